import { setupServer } from 'msw/node';
import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { requestFollowers } from '#db/schema';
import { FOLLOW_RATE_LIMITS } from '~/modules/requests/following.server';
import { action as followAction, loader as followLoader } from '~/routes/follow';
import { action as requestAction, loader as requestLoader } from '~/routes/requests.$trackingNumber';
import { action as unsubscribeAction, loader as unsubscribeLoader } from '~/routes/unsubscribe';
import { action as oneClickAction, loader as oneClickLoader } from '~/routes/unsubscribe_.one-click';
import { startSession } from '~/utils/auth.server';
import { deliverDueOutboxMessages } from '~/utils/outbox.server';
import { resendHandlers, type SentEmail } from '../mocks/resend';
import { browserRequest, cookieFrom, createUser } from '../factories';
import { followThroughEmail, latestMail, linkIn } from '../mail-links';
import { fileReport, PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const MALDEN = 'http://malden.localhost:3000';
let ip = 0;
const context = () => ({ clientIp: `10.6.0.${++ip}` });
const fresh = (name: string) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  delete process.env.RESEND_API_KEY;
});
afterAll(() => server.close());

const followersOf = async (email: string) => getDatabase().db.select().from(requestFollowers).where(eq(requestFollowers.email, email));
const follow = (trackingNumber: string, form: Record<string, string>, cookie?: string, ctx = context()) =>
  settle(requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { form: { intent: 'follow', ...form }, cookie }), params: { trackingNumber }, context: ctx }));

describe('following by email', () => {
  it('needs the address’s own confirmation click: asking, or opening the link, subscribes nobody', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    const neighbour = fresh('neighbour');
    const asked = await follow(trackingNumber, { email: neighbour });
    expect(asked.status).toBe(200);
    expect((await asked.json()).done).toBe(`Check your email: we sent a link to ${neighbour}. You follow ${trackingNumber} once you press the button it leads to.`);
    expect(await followersOf(neighbour)).toHaveLength(0);

    const link = linkIn(await latestMail(neighbour, `Confirm: follow ${trackingNumber}`), '/follow');
    expect(link.origin).toBe(SOMERVILLE);
    const page = await settle(followLoader({ request: new Request(link), params: {}, context: context() }));
    expect(await page.json()).toMatchObject({ trackingNumber, email: neighbour });
    expect(await followersOf(neighbour)).toHaveLength(0);
    // Another town's site knows nothing of the link.
    expect((await settle(followLoader({ request: new Request(`${MALDEN}/follow${link.search}`), params: {}, context: context() }))).status).toBe(400);

    const confirmed = await followThroughEmail(neighbour, trackingNumber);
    expect(confirmed.headers.get('Location')).toBe(`/requests/${trackingNumber}?done=following`);
    expect(await followersOf(neighbour)).toHaveLength(1);
    const again = await settle(followAction({ request: browserRequest(`${SOMERVILLE}/follow`, { form: { token: link.searchParams.get('token')! } }), params: {}, context: context() }));
    expect(again.status).toBe(410);
    expect(await followersOf(neighbour)).toHaveLength(1);
  });

  it('answers the same for an address that already follows, without emailing it again; a bad address is refused next to the field', async () => {
    const reporter = fresh('reporter');
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { email: reporter });
    const answer = await follow(trackingNumber, { email: reporter });
    expect((await answer.json()).done).toMatch(/^Check your email/);
    await deliverDueOutboxMessages();
    await expect(latestMail(reporter, `Confirm: follow ${trackingNumber}`)).rejects.toThrow(/no email/);

    const bad = await follow(trackingNumber, { email: 'not-an-address' });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ fieldErrors: { email: 'Enter an email address like name@example.com' }, values: { email: 'not-an-address' } });
  });

  it('limits how many confirmations one address is sent', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    const target = fresh('flooded');
    for (let i = 0; i < FOLLOW_RATE_LIMITS.perEmail.limit; i++) expect((await follow(trackingNumber, { email: target })).status).toBe(200);
    const limited = await follow(trackingNumber, { email: target });
    expect(limited.status).toBe(429);
  });

  it('follows at once for a signed-in account with a confirmed address', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    const user = await createUser();
    const cookie = cookieFrom(await startSession(user.id, new Request(SOMERVILLE)));
    expect((await (await follow(trackingNumber, {}, cookie)).json()).done).toBe(`You will get an email when ${trackingNumber} changes.`);
    expect(await followersOf(user.email)).toEqual([expect.objectContaining({ userId: user.id })]);
    const page = await (await requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { cookie }), params: { trackingNumber }, context: context() })).json();
    expect(page.viewer.following).toBe(true);
  });
});

describe('unsubscribing', () => {
  async function followedReport() {
    const reporter = fresh('reporter');
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { email: reporter });
    const mail = await latestMail(reporter, `We received your report ${trackingNumber}`);
    return { reporter, trackingNumber, mail, page: linkIn(mail, '/unsubscribe') };
  }

  it('asks first: opening the link (as a mail scanner would) changes nothing; the button’s POST unsubscribes', async () => {
    const { reporter, trackingNumber, page } = await followedReport();
    const opened = await settle(unsubscribeLoader({ request: new Request(page), params: {}, context: context() }));
    expect(opened.status).toBe(200);
    expect(await opened.json()).toEqual({ token: page.searchParams.get('token'), trackingNumber });
    expect(await followersOf(reporter)).toHaveLength(1);

    // Another town's site cannot use it.
    const elsewhere = await settle(unsubscribeAction({ request: browserRequest(`${MALDEN}/unsubscribe`, { form: { token: page.searchParams.get('token')! } }), params: {}, context: context() }));
    expect(elsewhere.status).toBe(404);
    expect(await followersOf(reporter)).toHaveLength(1);

    const done = await settle(unsubscribeAction({ request: browserRequest(`${SOMERVILLE}/unsubscribe`, { form: { token: page.searchParams.get('token')! } }), params: {}, context: context() }));
    expect(await done.json()).toEqual({ unsubscribed: trackingNumber });
    expect(await followersOf(reporter)).toHaveLength(0);
    expect((await settle(unsubscribeLoader({ request: new Request(page), params: {}, context: context() }))).status).toBe(404);
  });

  it('takes the mail provider’s one-click POST (RFC 8058) from the List-Unsubscribe header; its GET only leads to the page that asks', async () => {
    const { reporter, mail } = await followedReport();
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const oneClick = new URL(mail.headers['List-Unsubscribe']!.replace(/^<|>$/g, ''));
    expect(oneClick.pathname).toBe('/unsubscribe/one-click');

    const scanned = await settle(oneClickLoader({ request: new Request(oneClick), params: {}, context: context() }));
    expect(scanned.status).toBe(302);
    expect(scanned.headers.get('Location')).toBe(`/unsubscribe?token=${oneClick.searchParams.get('token')}`);
    expect(await followersOf(reporter)).toHaveLength(1);

    // As a provider posts it: from its own servers, no Origin, no cookie.
    const providerPost = (body: string) =>
      settle(oneClickAction({ request: new Request(oneClick, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body }), params: {}, context: context() }));
    expect((await providerPost('something=else')).status).toBe(400);
    expect(await followersOf(reporter)).toHaveLength(1);
    expect((await providerPost('List-Unsubscribe=One-Click')).status).toBe(200);
    expect(await followersOf(reporter)).toHaveLength(0);
    expect((await providerPost('List-Unsubscribe=One-Click')).status).toBe(404);
  });

  it('hands the List-Unsubscribe headers to Resend too', async () => {
    process.env.RESEND_API_KEY = 're_test_key';
    const sent: SentEmail[] = [];
    server.use(...resendHandlers(sent));
    const reporter = fresh('resend');
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { email: reporter });
    await deliverDueOutboxMessages({ limit: 500 });
    const toReporter = sent.find((m) => m.body.to === reporter)!;
    expect(toReporter.body.headers).toEqual({
      'List-Unsubscribe': expect.stringMatching(/^<http:\/\/somerville\.localhost:3000\/unsubscribe\/one-click\?token=[\w-]+>$/),
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    // Staff mail is their work queue: nothing to unsubscribe from.
    expect(sent.filter((m) => m.body.headers).every((m) => m.body.to === reporter)).toBe(true);
  });
});
