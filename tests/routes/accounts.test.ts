import { eq, sql } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { emailTokens, sessions, users } from '#db/schema';
import { RATE_LIMITS } from '~/modules/accounts/accounts.server';
import { loader as rootLoader } from '~/root';
import { action as forgotPasswordAction } from '~/routes/forgot-password';
import { action as loginAction } from '~/routes/login';
import { action as logoutAction } from '~/routes/logout';
import { action as resetPasswordAction, loader as resetPasswordLoader } from '~/routes/reset-password';
import { action as accountAction } from '~/routes/account';
import { action as signupAction } from '~/routes/signup';
import { action as confirmSignUpAction, loader as confirmSignUpLoader } from '~/routes/signup_.confirm';
import { action as verifyEmailAction, loader as verifyEmailLoader } from '~/routes/verify-email';
import { loader as staffLayoutLoader } from '~/routes/staff';
import { browserRequest, cookieFrom, createUser, mailboxFor, TEST_PASSWORD, townBySlug } from '../factories';
import { settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const DAY_MS = 86_400_000;
const MALDEN = 'http://malden.localhost:3000';
let ipCounter = 0;
const context = () => ({ clientIp: `10.0.0.${++ipCounter}` });

const call = (fn: (args: never) => Promise<Response>, request: Request, ip = context()) => settle(fn({ request, params: {}, context: ip } as never));

const freshEmail = () => `resident-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const signUpAs = (email: string, password = 'a long enough passphrase', host = SOMERVILLE) =>
  call(signupAction, browserRequest(`${host}/signup`, { form: { email, password, displayName: 'Pat' } }));
const userCount = async (email: string) =>
  (await getDatabase().db.select().from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase()))).length;
const linkIn = (text: string) => new URL(text.match(/https?:\/\/\S+/)![0]);

describe('sign-up', () => {
  it('answers "check your email", creates the account only when the emailed link is used, then signs in', async () => {
    const email = freshEmail();
    const response = await signUpAs(email);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sentTo: email });
    expect(response.headers.has('Set-Cookie')).toBe(false);
    expect(await userCount(email)).toBe(0);
    // Until the link is used there is nothing to sign in to: the answer is the one for an unknown address.
    const early = await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password: 'a long enough passphrase' } }));
    expect(early.status).toBe(401);

    const [mail] = await mailboxFor(email);
    expect(mail!.subject).toMatch(/Finish creating your/);
    const link = linkIn(mail!.text);
    expect(link.origin).toBe(SOMERVILLE);
    // Opening the link (or a mail scanner fetching it) changes nothing.
    expect((await call(confirmSignUpLoader, browserRequest(link.toString()))).status).toBe(200);
    expect(await userCount(email)).toBe(0);

    const confirmed = await call(confirmSignUpAction, browserRequest(link.toString(), { form: { token: link.searchParams.get('token')! } }));
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get('Location')).toBe('/account?welcome=1');
    expect(confirmed.headers.get('Set-Cookie')).toMatch(/HttpOnly/i);
    expect(confirmed.headers.get('Set-Cookie')).toMatch(/SameSite=Lax/i);
    const cookie = cookieFrom(confirmed.headers.get('Set-Cookie'));
    const root = await (await call(rootLoader, browserRequest(`${SOMERVILLE}/`, { cookie }))).json();
    expect(root.user).toMatchObject({ email, emailVerified: true, displayName: 'Pat' });

    const again = await call(confirmSignUpAction, browserRequest(link.toString(), { form: { token: link.searchParams.get('token')! } }));
    expect(again.status).toBe(410);
    expect(await userCount(email)).toBe(1);
  });

  it.each([
    [{ email: '', password: 'short' }, { email: 'Enter your email address', password: 'Use at least 10 characters' }],
    [{ email: 'not-an-email', password: 'a long enough passphrase' }, { email: 'Enter an email address like name@example.com' }],
    [{ email: 'pat@example.com', password: 'password123' }, { password: 'That password is too common; choose another' }],
    [{ email: 'pat@example.com', password: 'aaaaaaaaaaaa' }, { password: 'Use a less repetitive password' }],
    [{ email: 'pat@example.com', password: 'x'.repeat(129) }, { password: 'Use at most 128 characters' }],
  ])('refuses %j with a message per field and stores nothing', async (form, errors) => {
    const response = await call(signupAction, browserRequest(`${SOMERVILLE}/signup`, { form: { ...form, displayName: 'Kept Name' } }));
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.fieldErrors).toEqual(errors);
    expect(body.values.displayName).toBe('Kept Name');
    expect(await userCount(form.email || 'x')).toBe(0);
  });

  it('refuses a made-up, malformed or missing sign-up token with a clear message and creates nothing', async () => {
    const loaded = await call(confirmSignUpLoader, browserRequest(`${SOMERVILLE}/signup/confirm?token=nonsense-token-that-is-long-enough`));
    expect(loaded.status).toBe(400);
    expect((await loaded.json()).problem).toMatch(/not valid/);
    for (const token of ['', 'short', 'x'.repeat(20) + '"; drop table users; --']) {
      const posted = await call(confirmSignUpAction, browserRequest(`${SOMERVILLE}/signup/confirm`, { form: { token } }));
      expect(posted.status).toBe(400);
      expect((await posted.json()).problem).toMatch(/not valid/);
    }
    expect((await call(confirmSignUpLoader, browserRequest(`${SOMERVILLE}/signup/confirm`))).status).toBe(400);
  });

  it('answers a sign-up for an existing address exactly like a new one, whatever its case, and tells the owner by email', async () => {
    const { email } = await createUser();
    const fresh = freshEmail();
    const existing = await signUpAs(email.toUpperCase());
    const brandNew = await signUpAs(fresh);
    expect(existing.status).toBe(brandNew.status);
    expect(Object.keys(await existing.json())).toEqual(Object.keys(await brandNew.json()));
    expect(existing.headers.has('Set-Cookie')).toBe(false);
    expect(await userCount(email)).toBe(1);
    const [mail] = await mailboxFor(email);
    expect(mail!.subject).toMatch(/already have a Commonwealth Connect account/);
    expect(mail!.text).toContain(`${SOMERVILLE}/login`);
    // The password typed by whoever tried changes nothing.
    expect((await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password: TEST_PASSWORD } }))).status).toBe(302);
  });

  it('limits sign-ups per IP', async () => {
    const ip = context();
    for (let i = 0; i < RATE_LIMITS.signUpsPerIp.limit; i++) {
      await call(signupAction, browserRequest(`${SOMERVILLE}/signup`, { form: { email: freshEmail(), password: 'a long enough passphrase' } }), ip);
    }
    const email = freshEmail();
    const response = await call(signupAction, browserRequest(`${SOMERVILLE}/signup`, { form: { email, password: 'a long enough passphrase' } }), ip);
    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(await userCount(email)).toBe(0);
  });
});

describe('sign-in', () => {
  const signIn = (email: string, password: string, ip = context()) =>
    call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password, redirectTo: '/account' } }), ip);

  it('signs in with the right password and redirects only within the site', async () => {
    const { email } = await createUser();
    const response = await signIn(email, TEST_PASSWORD);
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/account');
    const evil = await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password: TEST_PASSWORD, redirectTo: '//evil.example' } }));
    expect(evil.headers.get('Location')).toBe('/');
  });

  it('answers a wrong password and an unknown account the same way', async () => {
    const { email } = await createUser();
    const wrong = await signIn(email, 'not the password');
    const unknown = await signIn(freshEmail(), 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await wrong.json()).formError).toBe((await unknown.json()).formError);
  });

  it('refuses the 11th attempt after 10 wrong passwords, even the right one, for real and unknown accounts alike', async () => {
    const { email } = await createUser();
    const ghost = freshEmail();
    for (let i = 0; i < RATE_LIMITS.signInFailuresPerAccount.limit; i++) {
      expect((await signIn(email, `wrong ${i}`)).status).toBe(401);
      expect((await signIn(ghost, `wrong ${i}`)).status).toBe(401);
    }
    const real = await signIn(email, TEST_PASSWORD);
    const fake = await signIn(ghost, TEST_PASSWORD);
    expect(real.status).toBe(429);
    expect(fake.status).toBe(429);
    expect((await real.json()).formError).toBe((await fake.json()).formError);
    expect(real.headers.has('Set-Cookie')).toBe(false);
  });
});

describe('one account across towns', () => {
  const saved = process.env.ROOT_DOMAIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.ROOT_DOMAIN;
    else process.env.ROOT_DOMAIN = saved;
  });

  it('sets the session cookie on the parent domain under ROOT_DOMAIN, so another town sees the user', async () => {
    process.env.ROOT_DOMAIN = 'connect.test';
    const { email } = await createUser();
    const response = await call(loginAction, browserRequest('http://somerville.connect.test/login', { form: { email, password: TEST_PASSWORD } }));
    const setCookie = response.headers.get('Set-Cookie')!;
    expect(setCookie).toMatch(/Domain=connect\.test/i);
    const root = await (await call(rootLoader, browserRequest('http://malden.connect.test/', { cookie: cookieFrom(setCookie) }))).json();
    expect(root.user.email).toBe(email);
    expect(root.town.slug).toBe('malden');
  });

  it('keeps the cookie host-only on *.localhost, where browsers refuse Domain=localhost', async () => {
    const { email } = await createUser();
    const response = await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password: TEST_PASSWORD } }));
    expect(response.headers.get('Set-Cookie')).not.toMatch(/Domain=/i);
  });

  it('signs out everywhere the session was used', async () => {
    const { email } = await createUser();
    const login = await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password: TEST_PASSWORD } }));
    const cookie = cookieFrom(login.headers.get('Set-Cookie'));
    const logout = await call(logoutAction, browserRequest(`${MALDEN}/logout`, { method: 'POST', cookie }));
    expect(logout.headers.get('Set-Cookie')).toMatch(/Max-Age=0/i);
    const root = await (await call(rootLoader, browserRequest(`${SOMERVILLE}/`, { cookie }))).json();
    expect(root.user).toBeNull();
  });
});

describe('a session past half its life', () => {
  it('is extended, and the new cookie goes out with the first answer, even one the root loader is not part of', async () => {
    const somerville = await townBySlug('somerville');
    const { id, email } = await createUser({ roles: [[somerville, 'staff']] });
    const login = await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password: TEST_PASSWORD } }));
    const cookie = cookieFrom(login.headers.get('Set-Cookie'));
    await getDatabase().db.update(sessions).set({ expiresAt: new Date(Date.now() + 10 * DAY_MS) }).where(eq(sessions.userId, id));
    // What a browser that kept the queue open asks first: the queue's data, or its layout's.
    const sent: string[] = [];
    const layout = await call(staffLayoutLoader, browserRequest(`${SOMERVILLE}/staff?_data=routes%2Fstaff`, { cookie }), { clientIp: '10.9.0.1', sendCookie: (c: string) => sent.push(c) } as never);
    expect(layout.status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(cookieFrom(sent[0])).toBe(cookie);
    expect(sent[0]).toMatch(/Max-Age=2592000/);
    const [stored] = await getDatabase().db.select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.userId, id));
    expect(stored!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * DAY_MS);
    // Extended once: the next answer has nothing to send.
    const again: string[] = [];
    await call(staffLayoutLoader, browserRequest(`${SOMERVILLE}/staff?_data=routes%2Fstaff`, { cookie }), { clientIp: '10.9.0.1', sendCookie: (c: string) => again.push(c) } as never);
    expect(again).toEqual([]);
  });
});

describe('email verification links', () => {
  async function signUpAndGetLink() {
    const { id, email } = await createUser({ verified: false });
    const login = await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password: TEST_PASSWORD } }));
    await call(accountAction, browserRequest(`${SOMERVILLE}/account`, { method: 'POST', form: {}, cookie: cookieFrom(login.headers.get('Set-Cookie')) }));
    const [mail] = await mailboxFor(email);
    return { id, email, link: linkIn(mail!.text) };
  }

  const verifiedAt = async (email: string) => (await getDatabase().db.select().from(users).where(eq(users.email, email)))[0]!.emailVerifiedAt;
  const confirm = (link: URL) => call(verifyEmailAction, browserRequest(`${link.origin}${link.pathname}`, { form: { token: link.searchParams.get('token')! } }));

  it('opening the link only shows a button; pressing it confirms the email once, and the link then says it was used', async () => {
    const { email, link } = await signUpAndGetLink();
    const opened = await call(verifyEmailLoader, browserRequest(link.toString()));
    expect(opened.status).toBe(200);
    expect((await opened.json()).token).toBe(link.searchParams.get('token'));
    expect(await verifiedAt(email)).toBeNull();
    const first = await confirm(link);
    expect(first.status).toBe(200);
    expect(await verifiedAt(email)).not.toBeNull();
    const again = await confirm(link);
    expect(again.status).toBe(410);
    expect((await again.json()).message).toMatch(/already been used/);
    const reopened = await call(verifyEmailLoader, browserRequest(link.toString()));
    expect(reopened.status).toBe(410);
  });

  it('refuses an expired or made-up link', async () => {
    const { id, link } = await signUpAndGetLink();
    await getDatabase().db.update(emailTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(emailTokens.userId, id));
    const expired = await call(verifyEmailLoader, browserRequest(link.toString()));
    expect(expired.status).toBe(410);
    expect((await expired.json()).problem).toMatch(/expired/);
    const pressedLate = await confirm(link);
    expect(pressedLate.status).toBe(410);
    expect((await pressedLate.json()).message).toMatch(/expired/);
    const madeUp = await call(verifyEmailLoader, browserRequest(`${SOMERVILLE}/verify-email?token=nonsense`));
    expect(madeUp.status).toBe(400);
  });
});

describe('password reset', () => {
  const requestReset = (email: string) => call(forgotPasswordAction, browserRequest(`${SOMERVILLE}/forgot-password`, { form: { email } }));

  it('answers the same for unknown addresses and sends nothing', async () => {
    const email = freshEmail();
    const response = await requestReset(email);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sent: true });
    expect(await mailboxFor(email)).toHaveLength(0);
  });

  it('resets with the emailed link once, signs out other sessions, and the new password works', async () => {
    const { email } = await createUser();
    const oldLogin = await call(loginAction, browserRequest(`${MALDEN}/login`, { form: { email, password: TEST_PASSWORD } }));
    const oldCookie = cookieFrom(oldLogin.headers.get('Set-Cookie'));
    await requestReset(email);
    const [mail] = await mailboxFor(email);
    const link = linkIn(mail!.text);
    const token = link.searchParams.get('token')!;
    expect((await call(resetPasswordLoader, browserRequest(link.toString()))).status).toBe(200);

    const weak = await call(resetPasswordAction, browserRequest(link.toString(), { form: { token, password: 'short' } }));
    expect(weak.status).toBe(422);

    const reset = await call(resetPasswordAction, browserRequest(link.toString(), { form: { token, password: 'my brand new passphrase' } }));
    expect(reset.status).toBe(302);
    const oldSession = await (await call(rootLoader, browserRequest(`${MALDEN}/`, { cookie: oldCookie }))).json();
    expect(oldSession.user).toBeNull();

    const reused = await call(resetPasswordAction, browserRequest(link.toString(), { form: { token, password: 'yet another passphrase' } }));
    expect(reused.status).toBe(410);
    expect((await call(resetPasswordLoader, browserRequest(link.toString()))).status).toBe(410);

    const login = await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password: 'my brand new passphrase' } }));
    expect(login.status).toBe(302);
  });
});

describe('hardening', () => {
  let savedEnv: NodeJS.ProcessEnv;
  beforeAll(() => {
    savedEnv = { ...process.env };
  });
  afterEach(() => {
    process.env = { ...savedEnv };
  });
  const requestReset = (email: string, host = SOMERVILLE) => call(forgotPasswordAction, browserRequest(`${host}/forgot-password`, { form: { email } }));

  it.each([
    ['/\t/evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/ /evil.example', '/%20/evil.example'],
    ['/\r\nSet-Cookie: x=1', '/'],
    ['/\u0000', '/'],
    ['/requests?q=café', '/requests?q=caf%C3%A9'],
    ['/track?number=SOM-1', '/track?number=SOM-1'],
  ])('after sign-in, redirectTo %j goes to %j and never off the site', async (redirectTo, expected) => {
    const { email } = await createUser();
    const response = await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password: TEST_PASSWORD, redirectTo } }));
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(expected);
  });

  it('builds emailed links from ROOT_DOMAIN and the configured scheme, never from the Host header', async () => {
    process.env.ROOT_DOMAIN = 'connect.mass.gov';
    const { email } = await createUser();
    await requestReset(email, 'http://somerville.connect.mass.gov:8080');
    const [mail] = await mailboxFor(email);
    expect(linkIn(mail!.text).origin).toBe('https://somerville.connect.mass.gov');
  });

  it('a password reset cancels every other link still in the mail', async () => {
    const { email } = await createUser();
    await requestReset(email);
    await requestReset(email);
    const [first, second] = await mailboxFor(email);
    const firstLink = linkIn(first!.text);
    const secondLink = linkIn(second!.text);
    const reset = await call(resetPasswordAction, browserRequest(secondLink.toString(), { form: { token: secondLink.searchParams.get('token')!, password: 'my brand new passphrase' } }));
    expect(reset.status).toBe(302);
    const stale = await call(resetPasswordAction, browserRequest(firstLink.toString(), { form: { token: firstLink.searchParams.get('token')!, password: 'an attacker passphrase' } }));
    expect(stale.status).toBe(410);
    expect((await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password: 'an attacker passphrase' } }))).status).toBe(401);
  });

  it('signing out everywhere ends every session and cancels outstanding links', async () => {
    const { email } = await createUser();
    const here = cookieFrom((await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email, password: TEST_PASSWORD } }))).headers.get('Set-Cookie'));
    const there = cookieFrom((await call(loginAction, browserRequest(`${MALDEN}/login`, { form: { email, password: TEST_PASSWORD } }))).headers.get('Set-Cookie'));
    await requestReset(email);
    const [mail] = await mailboxFor(email);
    const link = linkIn(mail!.text);
    const out = await call(accountAction, browserRequest(`${SOMERVILLE}/account`, { form: { intent: 'sign-out-everywhere' }, cookie: here }));
    expect(out.status).toBe(302);
    expect((await (await call(rootLoader, browserRequest(`${MALDEN}/`, { cookie: there }))).json()).user).toBeNull();
    expect((await call(resetPasswordLoader, browserRequest(link.toString()))).status).toBe(410);
  });

  it('outside demo mode a demo account cannot sign in, whatever NODE_ENV says', async () => {
    await createUser({ email: 'state@demo.test', stateStaff: true });
    process.env.DEMO_MODE = 'false';
    Object.assign(process.env, { NODE_ENV: 'development' });
    const response = await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email: 'state@demo.test', password: TEST_PASSWORD } }));
    expect(response.status).toBe(401);
    process.env.DEMO_MODE = 'true';
    const demo = await call(loginAction, browserRequest(`${SOMERVILLE}/login`, { form: { email: 'state@demo.test', password: TEST_PASSWORD } }));
    expect(demo.status).toBe(302);
  });
});
