import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { requestFollowers, serviceRequests } from '#db/schema';
import { resendVerification } from '~/modules/accounts/accounts.server';
import { listMyRequests } from '~/modules/requests/request-queries.server';
import { action as loginAction } from '~/routes/login';
import { action as signupAction } from '~/routes/signup';
import { action as confirmSignUpAction } from '~/routes/signup_.confirm';
import { action as verifyEmailAction } from '~/routes/verify-email';
import { accountLinks } from '~/utils/town.server';
import { residentFor } from '../capabilities';
import { browserRequest, createUser, TEST_PASSWORD } from '../factories';
import { latestMail, linkIn } from '../mail-links';
import { fileReport, PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const MALDEN = 'http://malden.localhost:3000';
let ip = 0;
const context = () => ({ clientIp: `10.3.0.${++ip}` });
const fresh = (name: string) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;

const reporterOf = async (trackingNumber: string) =>
  (await getDatabase().db.select({ userId: serviceRequests.reporterUserId }).from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)))[0]!.userId;
const myList = async (userId: string) => Object.fromEntries((await listMyRequests(await residentFor({ id: userId }))).items.map((r) => [r.trackingNumber, r.relation]));

describe('claiming reports made with an email address', () => {
  it('makes them the account’s when the sign-up link is used, in every town, and not before', async () => {
    const email = fresh('claimer');
    const inSomerville = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { email });
    const inMalden = await fileReport(MALDEN, PLACES.maldenCityHall, { email: email.toUpperCase() });
    const someoneElses = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { email: fresh('neighbour') });

    const signUp = await settle(signupAction({ request: browserRequest(`${SOMERVILLE}/signup`, { form: { email, password: 'a long enough passphrase' } }), params: {}, context: context() }));
    expect(signUp.status).toBe(200);
    // Asking for an account proves nothing: the reports wait for the link.
    expect(await reporterOf(inSomerville)).toBeNull();

    const link = linkIn(await latestMail(email, /Finish creating your/), '/signup/confirm');
    const confirmed = await settle(confirmSignUpAction({ request: browserRequest(link.href, { form: { token: link.searchParams.get('token')! } }), params: {}, context: context() }));
    expect(confirmed.status).toBe(302);
    const userId = (await reporterOf(inSomerville))!;
    expect(userId).toBeTruthy();
    expect(await reporterOf(inMalden)).toBe(userId);
    expect(await reporterOf(someoneElses)).toBeNull();
    // The reporter followed their reports by email; those follows are the account's now too.
    const follows = await getDatabase().db.select({ userId: requestFollowers.userId }).from(requestFollowers).where(eq(requestFollowers.userId, userId));
    expect(follows).toHaveLength(2);
    expect(await myList(userId)).toEqual({ [inSomerville]: 'reported', [inMalden]: 'reported' });
  });

  it('makes them the account’s when a later verification link is used, never on signing in unconfirmed', async () => {
    const user = await createUser({ email: fresh('unverified'), verified: false });
    const report = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { email: user.email });
    const signIn = await settle(loginAction({ request: browserRequest(`${SOMERVILLE}/login`, { form: { email: user.email, password: TEST_PASSWORD } }), params: {}, context: context() }));
    expect(signIn.status).toBe(302);
    expect(await reporterOf(report)).toBeNull();
    expect(await myList(user.id)).toEqual({});

    await resendVerification(user.id, (await accountLinks({ request: new Request(SOMERVILLE), context: context() })).verifyEmail);
    const link = linkIn(await latestMail(user.email, /Confirm your email/), '/verify-email');
    const verified = await settle(verifyEmailAction({ request: browserRequest(link.href, { form: { token: link.searchParams.get('token')! } }), params: {}, context: context() }));
    expect(verified.status).toBe(200);
    expect(await reporterOf(report)).toBe(user.id);
    expect(await myList(user.id)).toEqual({ [report]: 'reported' });
  });

  it('claims what was reported with a confirmed address since, at the next sign-in; another account claims nothing of it', async () => {
    const owner = await createUser({ email: fresh('owner') });
    const stranger = await createUser({ email: fresh('stranger') });
    const report = await fileReport(MALDEN, PLACES.maldenCityHall, { email: owner.email });
    const strangerSignIn = await settle(loginAction({ request: browserRequest(`${MALDEN}/login`, { form: { email: stranger.email, password: TEST_PASSWORD } }), params: {}, context: context() }));
    expect(strangerSignIn.status).toBe(302);
    expect(await reporterOf(report)).toBeNull();
    expect(await myList(stranger.id)).toEqual({});

    const ownerSignIn = await settle(loginAction({ request: browserRequest(`${MALDEN}/login`, { form: { email: owner.email, password: TEST_PASSWORD } }), params: {}, context: context() }));
    expect(ownerSignIn.status).toBe(302);
    expect(await reporterOf(report)).toBe(owner.id);
  });
});
