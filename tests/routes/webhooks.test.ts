import { createHmac } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { auditLog, outboxMessages, webhookEndpoints } from '#db/schema';
import { withIdentity, withTown } from '#db/scope';
import { changeRequestStatus } from '~/modules/requests/request-updates.server';
import { action as adminAction, loader as adminLoader } from '~/routes/admin.webhooks';
import { startSession } from '~/utils/auth.server';
import { deliverDueOutboxMessages, enqueueAccountEmail, retryDelayMs } from '~/utils/outbox.server';
import { townLinks } from '~/utils/town.server';
import { townStaffFor } from '../capabilities';
import { browserRequest, cookieFrom, createUser, mailboxFor, townBySlug } from '../factories';
import { signInEveryone, TOWN_ADMIN_PAGE_MATRIX, type MatrixPerson } from '../people';
import { fileReport, PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const MALDEN = 'http://malden.localhost:3000';
type Received = { url: string; body: string; headers: Headers };

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A third-party receiver: records what arrives and answers with `statuses` in turn (then 200). */
function receiver(url: string, statuses: number[] = []) {
  const received: Received[] = [];
  server.use(
    http.post(url, async ({ request }) => {
      received.push({ url: request.url, body: await request.text(), headers: request.headers });
      return new HttpResponse(null, { status: statuses.shift() ?? 200 });
    }),
  );
  return received;
}

let ip = 0;
type RouteFunction = (args: never) => Promise<Response>;
const call = (fn: RouteFunction, request: Request) => settle(fn({ request, params: {}, context: { clientIp: `10.8.0.${++ip}` } } as never));
const page = (origin: string, cookie: string | null) => call(adminLoader, browserRequest(`${origin}/admin/webhooks`, { cookie }));
const submit = (origin: string, cookie: string | null, form: Record<string, string> | [string, string][]) => call(adminAction, browserRequest(`${origin}/admin/webhooks`, { cookie, form }));

async function adminCookie(slug: string, origin: string) {
  const admin = await createUser({ roles: [[await townBySlug(slug), 'admin']] });
  return cookieFrom(await startSession(admin.id, new Request(origin)));
}

async function addEndpoint(origin: string, cookie: string, url: string, events = ['request.created', 'request.status_changed']) {
  const response = await submit(origin, cookie, [['intent', 'create'], ['url', url], ...events.map((e): [string, string] => ['events', e])]);
  expect(response.status).toBe(200);
  const { newSecret } = await response.json();
  const [row] = await getDatabase().db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.url, url));
  return { id: row!.id, secret: newSecret.secret as string };
}

const webhookRows = () => getDatabase().db.select().from(outboxMessages).where(eq(outboxMessages.kind, 'webhook'));

/** What a receiver does: recompute the HMAC over `t.body` and compare. */
function verify(secret: string, received: Received): boolean {
  const header = received.headers.get('X-Commonwealth-Connect-Signature')!;
  const { t, v1 } = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  return createHmac('sha256', secret).update(`${t}.${received.body}`).digest('hex') === v1;
}

describe('webhook delivery', () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await adminCookie('somerville', SOMERVILLE);
  });

  it('delivers a created request and a status change as signed Open311 documents', async () => {
    const { secret } = await addEndpoint(SOMERVILLE, cookie, 'https://hooks.receiver.test/signed');
    const received = receiver('https://hooks.receiver.test/signed');
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    const somerville = await townBySlug('somerville');
    const staff = await townStaffFor(somerville, await createUser({ roles: [[somerville, 'staff']] }));
    expect(await changeRequestStatus(staff, trackingNumber, { to: 'in_progress', reason: null }, townLinks('somerville'))).toMatchObject({ ok: true });

    const now = new Date();
    expect(await deliverDueOutboxMessages({ now })).toMatchObject({ failed: 0 });
    expect(received).toHaveLength(2);
    const events = received.map((r) => JSON.parse(r.body));
    expect(events.map((e) => e.type)).toEqual(['request.created', 'request.status_changed']);
    expect(events[1].data.service_request).toMatchObject({ service_request_id: trackingNumber, status: 'open', service_code: 'graffiti', lat: expect.any(Number) });
    expect(JSON.stringify(events)).not.toMatch(/@|reporter/);
    for (const [i, r] of received.entries()) {
      expect(r.headers.get('Content-Type')).toBe('application/json');
      expect(r.headers.get('X-Commonwealth-Connect-Event-Id')).toBe(events[i].id);
      expect(r.headers.get('X-Commonwealth-Connect-Signature')).toMatch(new RegExp(`^t=${Math.floor(now.getTime() / 1000)},v1=[0-9a-f]{64}$`));
      expect(verify(secret, r)).toBe(true);
      expect(verify(`${secret}x`, r)).toBe(false);
    }
    expect((await webhookRows()).every((m) => m.status === 'sent')).toBe(true);
  });

  it('retries after a 500 with the backoff, keeping the event id, and gives up after the last attempt', async () => {
    await getDatabase().db.delete(webhookEndpoints);
    await addEndpoint(SOMERVILLE, cookie, 'https://hooks.receiver.test/flaky', ['request.created']);
    const received = receiver('https://hooks.receiver.test/flaky', [500]);
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    const [row] = (await webhookRows()).filter((m) => m.status === 'pending');
    const now = new Date();
    expect(await deliverDueOutboxMessages({ now })).toEqual({ sent: 0, failed: 1 });
    const [failed] = await getDatabase().db.select().from(outboxMessages).where(eq(outboxMessages.id, row!.id));
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/500/) });
    expect(failed!.runAt.getTime()).toBe(now.getTime() + retryDelayMs(1));
    expect(await deliverDueOutboxMessages({ now: new Date(failed!.runAt.getTime() + 1) })).toEqual({ sent: 1, failed: 0 });
    expect(received).toHaveLength(2);
    expect(received[1]!.headers.get('X-Commonwealth-Connect-Event-Id')).toBe(received[0]!.headers.get('X-Commonwealth-Connect-Event-Id'));

    receiver('https://hooks.receiver.test/flaky', Array(20).fill(500));
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    const [doomed] = (await webhookRows()).filter((m) => m.status === 'pending');
    await getDatabase().db.update(outboxMessages).set({ attempts: 7 }).where(eq(outboxMessages.id, doomed!.id));
    await deliverDueOutboxMessages();
    const [gaveUp] = await getDatabase().db.select().from(outboxMessages).where(eq(outboxMessages.id, doomed!.id));
    expect(gaveUp).toMatchObject({ status: 'failed', attempts: 8 });
  });

  it('never follows a redirect', async () => {
    await getDatabase().db.delete(webhookEndpoints);
    await addEndpoint(SOMERVILLE, cookie, 'https://hooks.receiver.test/moved', ['request.created']);
    receiver('https://hooks.receiver.test/moved', [302]);
    const elsewhere = receiver('https://hooks.receiver.test/elsewhere');
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    expect(await deliverDueOutboxMessages()).toEqual({ sent: 0, failed: 1 });
    expect(elsewhere).toHaveLength(0);
  });

  it('a disabled endpoint receives nothing, not even what was queued before it was disabled', async () => {
    await getDatabase().db.delete(webhookEndpoints);
    const { id } = await addEndpoint(SOMERVILLE, cookie, 'https://hooks.receiver.test/off', ['request.created']);
    const received = receiver('https://hooks.receiver.test/off');
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    expect((await submit(SOMERVILLE, cookie, { intent: 'disable', id })).status).toBe(200);
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    await deliverDueOutboxMessages();
    expect(received).toHaveLength(0);
  });

  it("another town's events never reach this town's endpoint", async () => {
    await getDatabase().db.delete(webhookEndpoints);
    await addEndpoint(SOMERVILLE, cookie, 'https://hooks.receiver.test/somerville', ['request.created']);
    const received = receiver('https://hooks.receiver.test/somerville');
    const before = (await webhookRows()).length;
    await fileReport(MALDEN, PLACES.maldenCityHall);
    expect((await webhookRows()).length).toBe(before);
    await deliverDueOutboxMessages();
    expect(received).toHaveLength(0);
  });

  it('outside demo mode without a mail transport, mail waits while webhooks go out', async () => {
    await getDatabase().db.delete(webhookEndpoints);
    await addEndpoint(SOMERVILLE, cookie, 'https://hooks.receiver.test/no-mail', ['request.created']);
    const received = receiver('https://hooks.receiver.test/no-mail');
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    process.env.DEMO_MODE = 'false';
    try {
      await withIdentity((tx) => enqueueAccountEmail(tx, { to: 'waits@example.com', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' }));
      // *.test receivers are a demo-mode allowance; outside it the public-address check refuses them.
      // A public address literal: the check needs no DNS (the tests have no network).
      await getDatabase().db.update(webhookEndpoints).set({ url: 'https://93.184.216.34/no-mail' });
      const publicReceiver = receiver('https://93.184.216.34/no-mail');
      const result = await deliverDueOutboxMessages();
      expect(result.failed).toBe(0);
      expect(publicReceiver).toHaveLength(1);
      expect(received).toHaveLength(0);
      const [mail] = (await getDatabase().db.select().from(outboxMessages)).filter((m) => (m.payload as { to?: string }).to === 'waits@example.com');
      expect(mail).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await mailboxFor('waits@example.com')).toHaveLength(0);
    } finally {
      process.env.DEMO_MODE = 'true';
    }
  });

  it('refuses to send to a private address even when the URL was stored', async () => {
    await getDatabase().db.delete(webhookEndpoints);
    await addEndpoint(SOMERVILLE, cookie, 'https://hooks.receiver.test/ssrf', ['request.created']);
    await getDatabase().db.update(webhookEndpoints).set({ url: 'https://169.254.169.254/latest' });
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    // The reporter's confirmation goes to the dev mailbox; the webhook fails.
    expect(await deliverDueOutboxMessages()).toMatchObject({ failed: 1 });
    const newest = (await webhookRows()).sort((a, b) => b.id - a.id)[0];
    expect(newest).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/private/) });
  });
});

describe('/admin/webhooks', () => {
  let cookies: Record<MatrixPerson, string | null>;
  beforeAll(async () => {
    ({ cookies } = await signInEveryone(SOMERVILLE));
  });

  it.each(TOWN_ADMIN_PAGE_MATRIX)('%s: page and create answer %i', async (who, status) => {
    expect((await page(SOMERVILLE, cookies[who]!)).status).toBe(status);
    const created = await submit(SOMERVILLE, cookies[who]!, [['intent', 'create'], ['url', `https://hooks.example.org/${who}`], ['events', 'request.created']]);
    expect(created.status).toBe(status);
  });

  it('shows the secret once, lists the endpoint without it, and audits create, disable and delete', async () => {
    const created = await submit(SOMERVILLE, cookies.adminA!, [['intent', 'create'], ['url', 'https://hooks.example.org/listed'], ['events', 'request.status_changed']]);
    expect(created.headers.get('Cache-Control')).toBe('no-store');
    const { newSecret } = await created.json();
    expect(newSecret.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = (await (await page(SOMERVILLE, cookies.adminA!)).json()).endpoints.find((e: { url: string }) => e.url === 'https://hooks.example.org/listed');
    expect(listed).toMatchObject({ events: ['request.status_changed'], enabled: true });
    expect(JSON.stringify(listed)).not.toContain(newSecret.secret);
    expect((await (await submit(SOMERVILLE, cookies.adminA!, { intent: 'disable', id: listed.id })).json()).message).toContain('disabled');
    expect((await submit(SOMERVILLE, cookies.adminA!, { intent: 'delete', id: listed.id })).status).toBe(200);
    const somerville = await townBySlug('somerville');
    const actions = (await withTown(somerville.id, (tx) => tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, listed.id)))).map((a) => a.action);
    expect(actions.sort()).toEqual(['webhook.created', 'webhook.deleted', 'webhook.disabled']);
  });

  it.each([
    ['not a URL', 'hooks', 'Enter the full address of your receiver, like https://example.org/hooks'],
    ['plain http to a public host', 'http://hooks.example.org/x', 'Use an https address'],
    ['a private address', 'https://10.0.0.5/x', 'Use a public address: private, local and loopback addresses are refused'],
    ['an IPv6 loopback', 'https://[::1]/x', 'Use a public address: private, local and loopback addresses are refused'],
  ])('refuses %s next to the field, keeping what was typed, and writes nothing', async (_, url, message) => {
    const before = (await getDatabase().db.select().from(webhookEndpoints)).length;
    const refused = await submit(SOMERVILLE, cookies.adminA!, [['intent', 'create'], ['url', url], ['events', 'request.created']]);
    expect(refused.status).toBe(422);
    const body = await refused.json();
    expect(body.errors.url).toBe(message);
    expect(body.values.url).toBe(url);
    expect((await getDatabase().db.select().from(webhookEndpoints)).length).toBe(before);
  });

  it('refuses an endpoint without events, and local receivers outside demo mode', async () => {
    const noEvents = await submit(SOMERVILLE, cookies.adminA!, [['intent', 'create'], ['url', 'https://hooks.example.org/none']]);
    expect((await noEvents.json()).errors.events).toBe('Choose at least one event');
    expect((await submit(SOMERVILLE, cookies.adminA!, [['intent', 'create'], ['url', 'http://localhost:4000/hook'], ['events', 'request.created']])).status).toBe(200);
    process.env.DEMO_MODE = 'false';
    try {
      const local = await submit(SOMERVILLE, cookies.adminA!, [['intent', 'create'], ['url', 'https://receiver.test/hook'], ['events', 'request.created']]);
      expect((await local.json()).errors.url).toMatch(/public address/);
    } finally {
      process.env.DEMO_MODE = 'true';
    }
  });

  it("another town's admin cannot disable or delete Somerville's endpoint", async () => {
    const { id } = await addEndpoint(SOMERVILLE, cookies.adminA!, 'https://hooks.example.org/kept');
    const maldenCookie = await adminCookie('malden', MALDEN);
    expect((await submit(MALDEN, maldenCookie, { intent: 'disable', id })).status).toBe(404);
    expect((await submit(MALDEN, maldenCookie, { intent: 'delete', id })).status).toBe(404);
    const [still] = await getDatabase().db.select({ enabled: webhookEndpoints.enabled }).from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    expect(still).toEqual({ enabled: true });
  });
});
