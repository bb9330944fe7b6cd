import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { and, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { getDatabase } from '#db/client';
import { auditLog, outboxMessages, webhookDeliveries, webhookEndpoints } from '#db/schema';
import { withTown } from '#db/scope';
import { changeRequestStatus } from '~/modules/requests/request-updates.server';
import { assign, correctLocation, getStaffRequest, postReply } from '~/modules/staff/request-work.server';
import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_DELAYS_MS, deliverDueWebhooks } from '~/modules/webhooks/webhook-deliveries.server';
import { enqueueRequestWebhooks } from '~/modules/webhooks/webhook-endpoints.server';
import { action as adminAction, loader as adminLoader } from '~/routes/admin.webhooks';
import { action as logAction, loader as logLoader } from '~/routes/admin.webhooks_.$id';
import { startSession } from '~/utils/auth.server';
import { deliverDueOutboxMessages } from '~/utils/outbox.server';
import { townLinks } from '~/utils/town.server';
import { townStaffFor } from '../capabilities';
import { browserRequest, cookieFrom, createUser, mailboxFor, townBySlug } from '../factories';
import { signInEveryone, TOWN_ADMIN_PAGE_MATRIX, type MatrixPerson } from '../people';
import { fileReport, PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const MALDEN = 'http://malden.localhost:3000';
const HOUR = 3_600_000;
type Received = { path: string; body: string; headers: Record<string, string> };

/**
 * A real HTTP receiver on this machine, as a town's system would run one: it records what arrives
 * and answers each path with its queued statuses in turn (then 200). Allowed by the development
 * setting WEBHOOK_LOCAL_RECEIVERS, which the tests turn on.
 */
const received: Received[] = [];
const answers = new Map<string, number[]>();
let receiverServer: Server;
let receiverOrigin: string;
// Only third-party hosts go to msw: the local receiver is a real server.
const thirdParty = setupServer();

beforeAll(async () => {
  process.env.WEBHOOK_LOCAL_RECEIVERS = 'true';
  thirdParty.listen({ onUnhandledRequest: 'bypass' });
  receiverServer = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, body: Buffer.concat(chunks).toString('utf8'), headers: request.headers as Record<string, string> });
      const status = answers.get(path)?.shift() ?? 200;
      if (status >= 300 && status < 400) response.setHeader('Location', `${receiverOrigin}/elsewhere`);
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiverServer.listen(0, '127.0.0.1', resolve));
  receiverOrigin = `http://localhost:${(receiverServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete process.env.WEBHOOK_LOCAL_RECEIVERS;
  thirdParty.close();
  await new Promise((resolve) => receiverServer.close(resolve));
});
afterEach(() => thirdParty.resetHandlers());

const at = (path: string) => received.filter((r) => r.path === path);
const answer = (path: string, statuses: number[]) => answers.set(path, [...statuses]);

let ip = 0;
type RouteFunction = (args: never) => Promise<Response>;
const call = (fn: RouteFunction, request: Request, params: Record<string, string> = {}) => settle(fn({ request, params, context: { clientIp: `10.8.0.${++ip}` } } as never));
const page = (origin: string, cookie: string | null) => call(adminLoader, browserRequest(`${origin}/admin/webhooks`, { cookie }));
const submit = (origin: string, cookie: string | null, form: Record<string, string> | [string, string][]) => call(adminAction, browserRequest(`${origin}/admin/webhooks`, { cookie, form }));
const logPage = (origin: string, cookie: string | null, id: string) => call(logLoader, browserRequest(`${origin}/admin/webhooks/${id}`, { cookie }), { id });
const redeliver = (origin: string, cookie: string | null, id: string, deliveryId: string) =>
  call(logAction, browserRequest(`${origin}/admin/webhooks/${id}`, { cookie, form: { intent: 'redeliver', deliveryId } }), { id });

async function adminCookie(slug: string, origin: string) {
  const admin = await createUser({ roles: [[await townBySlug(slug), 'admin']] });
  return { admin, cookie: cookieFrom(await startSession(admin.id, new Request(origin))) };
}

async function addEndpoint(origin: string, cookie: string, url: string, events = ['request.created', 'request.status_changed']) {
  const response = await submit(origin, cookie, [['intent', 'create'], ['url', url], ...events.map((e): [string, string] => ['events', e])]);
  expect(response.status).toBe(200);
  const { newSecret } = await response.json();
  const [row] = await getDatabase().db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.url, url));
  return { id: row!.id, secret: newSecret.secret as string };
}

const deliveriesTo = (endpointId: string) => getDatabase().db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(webhookDeliveries.createdAt, webhookDeliveries.id);

/** What a receiver does with the Standard Webhooks library: throws unless id, time and body are signed with the secret. */
const verify = (secret: string, r: Received) => new Webhook(secret).verify(r.body, r.headers);

describe('webhook delivery', () => {
  let cookie: string;
  let somervilleStaff: Awaited<ReturnType<typeof townStaffFor>>;
  beforeAll(async () => {
    ({ cookie } = await adminCookie('somerville', SOMERVILLE));
    const somerville = await townBySlug('somerville');
    somervilleStaff = await townStaffFor(somerville, await createUser({ roles: [[somerville, 'staff']] }));
  });
  // Each test hears only its own endpoint (deleting one deletes its deliveries).
  beforeEach(async () => {
    await getDatabase().db.delete(webhookEndpoints);
  });
  const seen = async (trackingNumber: string) => ({ trackingNumber, expectedVersion: (await getStaffRequest(somervilleStaff, trackingNumber))!.version });

  it('sends each event type as a Standard Webhooks delivery that the library verifies, and logs each as delivered', async () => {
    const path = '/all-events';
    const { id, secret } = await addEndpoint(SOMERVILLE, cookie, `${receiverOrigin}${path}`, ['request.created', 'request.status_changed', 'request.assigned', 'request.public_reply', 'request.transferred']);
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { email: 'private-reporter@example.org' });
    expect(await changeRequestStatus(somervilleStaff, trackingNumber, { to: 'in_progress', reason: null }, townLinks('somerville'))).toMatchObject({ ok: true });
    expect(await assign(somervilleStaff, await seen(trackingNumber), { assigneeUserId: somervilleStaff.user.id }, townLinks('somerville'))).toMatchObject({ ok: true });
    expect(await postReply(somervilleStaff, await seen(trackingNumber), 'A crew is booked for Thursday.', townLinks('somerville'))).toMatchObject({ ok: true });
    const moved = await correctLocation(somervilleStaff, await seen(trackingNumber), { ...PLACES.maldenCityHall, address: null }, townLinks, 'Over the city line.');
    expect(moved).toMatchObject({ ok: true });

    const now = new Date();
    expect(await deliverDueWebhooks({ now })).toMatchObject({ failed: 0, skipped: 0 });
    const mine = at(path);
    const events = mine.map((r) => verify(secret, r) as { id: string; type: string; timestamp: string; data: Record<string, unknown> });
    expect(events.map((e) => e.type)).toEqual(['request.created', 'request.status_changed', 'request.assigned', 'request.public_reply', 'request.status_changed', 'request.transferred']);
    expect(events[1]!.data.service_request).toMatchObject({ service_request_id: trackingNumber, status: 'open', service_code: 'graffiti', lat: expect.any(Number) });
    expect(events[2]!.data.assignment).toEqual({ department: null, assignee: somervilleStaff.user.email });
    expect(events[3]!.data.reply).toEqual({ message: 'A crew is booked for Thursday.' });
    expect(events[5]!.data.transfer).toEqual({ to_jurisdiction_id: 'malden', to_service_request_id: (moved as { transferredTo: { trackingNumber: string } }).transferredTo.trackingNumber });
    // The reporter's address never leaves in an event.
    expect(mine.map((r) => r.body).join()).not.toContain('private-reporter@example.org');
    for (const [i, r] of mine.entries()) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['webhook-id']).toBe(events[i]!.id);
      expect(r.headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
      expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(r.body, r.headers)).toThrow();
      expect(() => new Webhook(secret).verify(`${r.body} `, r.headers)).toThrow();
    }
    expect((await deliveriesTo(id)).map((d) => [d.status, d.lastResponseStatus, d.attempts])).toEqual(Array(6).fill(['delivered', 200, 1]));
  });

  it("Malden's endpoint hears of a request transferred in as created, with where it came from", async () => {
    const { cookie: maldenCookie } = await adminCookie('malden', MALDEN);
    const path = '/malden-created';
    const { secret } = await addEndpoint(MALDEN, maldenCookie, `${receiverOrigin}${path}`, ['request.created']);
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    await correctLocation(somervilleStaff, await seen(trackingNumber), { ...PLACES.maldenCityHall, address: null }, townLinks, 'Over the city line.');
    await deliverDueWebhooks();
    const [event] = at(path).map((r) => verify(secret, r) as { type: string; data: { transfer: unknown; service_request: { service_request_id: string } } });
    expect(event).toMatchObject({ type: 'request.created', data: { transfer: { from_jurisdiction_id: 'somerville', from_service_request_id: trackingNumber } } });
    expect(event!.data.service_request.service_request_id).toMatch(/^MAL-/);
  });

  it('queues nothing for a change that rolls back', async () => {
    const path = '/rolled-back';
    const { id } = await addEndpoint(SOMERVILLE, cookie, `${receiverOrigin}${path}`, ['request.status_changed']);
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    const request = (await getStaffRequest(somervilleStaff, trackingNumber))!;
    const somerville = await townBySlug('somerville');
    await expect(
      withTown(somerville.id, async (tx) => {
        await enqueueRequestWebhooks(tx, somerville.id, 'request.status_changed', request.id);
        expect(await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, id))).toHaveLength(1);
        throw new Error('the change failed after queueing');
      }),
    ).rejects.toThrow('the change failed');
    expect(await deliveriesTo(id)).toHaveLength(0);
    await deliverDueWebhooks();
    expect(at(path)).toHaveLength(0);
  });

  it('retries a 500 on the backoff with the same webhook-id, and logs each answer', async () => {
    const path = '/flaky';
    const { id } = await addEndpoint(SOMERVILLE, cookie, `${receiverOrigin}${path}`, ['request.created']);
    answer(path, [500, 503]);
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    const now = new Date();
    expect(await deliverDueWebhooks({ now })).toMatchObject({ delivered: 0, failed: 1 });
    let [delivery] = await deliveriesTo(id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: 500, lastError: 'The endpoint answered 500' });
    expect(delivery!.nextAttemptAt.getTime()).toBe(now.getTime() + WEBHOOK_RETRY_DELAYS_MS[0]);
    // Not before it is due.
    expect(await deliverDueWebhooks({ now: new Date(now.getTime() + 1000) })).toMatchObject({ delivered: 0, failed: 0 });
    const second = new Date(delivery!.nextAttemptAt.getTime() + 1);
    expect(await deliverDueWebhooks({ now: second })).toMatchObject({ failed: 1 });
    [delivery] = await deliveriesTo(id);
    expect(delivery!.nextAttemptAt.getTime()).toBe(second.getTime() + WEBHOOK_RETRY_DELAYS_MS[1]);
    expect(await deliverDueWebhooks({ now: new Date(delivery!.nextAttemptAt.getTime() + 1) })).toMatchObject({ delivered: 1 });
    [delivery] = await deliveriesTo(id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastResponseStatus: 200, lastError: null });
    expect(new Set(at(path).map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery!.eventId]));
    expect(at(path)).toHaveLength(3);
    // A success clears the endpoint's failure record.
    const [endpoint] = await getDatabase().db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    expect(endpoint!.failingSince).toBeNull();
  });

  it('retries for a day, then gives up on the delivery', () => {
    const total = WEBHOOK_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(23 * HOUR);
    expect(total).toBeLessThanOrEqual(26 * HOUR);
    expect([...WEBHOOK_RETRY_DELAYS_MS]).toEqual([...WEBHOOK_RETRY_DELAYS_MS].sort((a, b) => a - b));
  });

  it('marks a delivery failed after the last attempt', async () => {
    const path = '/doomed';
    const { id } = await addEndpoint(SOMERVILLE, cookie, `${receiverOrigin}${path}`, ['request.created']);
    answer(path, [500]);
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    await getDatabase().db.update(webhookDeliveries).set({ attempts: WEBHOOK_MAX_ATTEMPTS - 1 }).where(eq(webhookDeliveries.endpointId, id));
    await deliverDueWebhooks();
    expect((await deliveriesTo(id))[0]).toMatchObject({ status: 'failed', attempts: WEBHOOK_MAX_ATTEMPTS, lastResponseStatus: 500 });
  });

  it('disables an endpoint that has failed for a day, emails its admins once, and sends it nothing more', async () => {
    const { admin, cookie: adminOfThis } = await adminCookie('somerville', SOMERVILLE);
    const path = '/down-for-a-day';
    const { id } = await addEndpoint(SOMERVILLE, adminOfThis, `${receiverOrigin}${path}`, ['request.created']);
    answer(path, [500, 500, 500]);
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    const now = new Date();
    await getDatabase().db.update(webhookEndpoints).set({ failingSince: new Date(now.getTime() - 25 * HOUR) }).where(eq(webhookEndpoints.id, id));
    await deliverDueWebhooks({ now, limit: 1 });
    const [endpoint] = await getDatabase().db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    expect(endpoint).toMatchObject({ enabled: false, autoDisabledAt: now });
    // The other queued event is not sent to an endpoint that is off.
    expect(await deliverDueWebhooks({ now })).toMatchObject({ skipped: 1, delivered: 0, failed: 0 });
    expect(at(path)).toHaveLength(1);
    expect((await deliveriesTo(id)).map((d) => d.status).sort()).toEqual(['pending', 'skipped']);
    const mail = (await mailboxFor(admin.email)).filter((m) => m.subject.includes('webhook endpoint was turned off'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain(`${receiverOrigin}${path}`);
    expect(mail[0]!.text).toContain(`/admin/webhooks/${id}`);
    const somerville = await townBySlug('somerville');
    const audit = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'webhook.auto_disabled'))));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBeNull();

    // Enabling it again starts afresh, and the page says nothing of failing any more.
    expect((await submit(SOMERVILLE, adminOfThis, { intent: 'enable', id })).status).toBe(200);
    const listed = (await (await page(SOMERVILLE, adminOfThis)).json()).endpoints.find((e: { id: string }) => e.id === id);
    expect(listed).toMatchObject({ enabled: true, failingSince: null, autoDisabledAt: null });
  });

  it('a disabled endpoint receives nothing, not even what was queued before it was disabled', async () => {
    const path = '/off';
    const { id } = await addEndpoint(SOMERVILLE, cookie, `${receiverOrigin}${path}`, ['request.created']);
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    expect((await submit(SOMERVILLE, cookie, { intent: 'disable', id })).status).toBe(200);
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    await deliverDueWebhooks({ limit: 500 });
    expect(at(path)).toHaveLength(0);
    expect((await deliveriesTo(id)).map((d) => d.status)).toEqual(['skipped']);
  });

  it('never follows a redirect', async () => {
    const path = '/moved';
    const { id } = await addEndpoint(SOMERVILLE, cookie, `${receiverOrigin}${path}`, ['request.created']);
    answer(path, [302]);
    const elsewhereBefore = at('/elsewhere').length;
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    await deliverDueWebhooks({ limit: 500 });
    expect(at('/elsewhere')).toHaveLength(elsewhereBefore);
    expect((await deliveriesTo(id))[0]).toMatchObject({ status: 'pending', lastResponseStatus: 302 });
  });

  it("another town's events never reach this town's endpoint", async () => {
    const path = '/somerville-only';
    const { id } = await addEndpoint(SOMERVILLE, cookie, `${receiverOrigin}${path}`, ['request.created']);
    await fileReport(MALDEN, PLACES.maldenCityHall);
    await deliverDueWebhooks({ limit: 500 });
    expect(at(path)).toHaveLength(0);
    expect(await deliveriesTo(id)).toHaveLength(0);
  });

  it('go out without a mail transport, and to a public address without the development setting', async () => {
    const { id } = await addEndpoint(SOMERVILLE, cookie, `${receiverOrigin}/public`, ['request.created']);
    // A public address literal: the send-time check needs no DNS (the tests have no network); msw plays the receiver.
    await getDatabase().db.update(webhookEndpoints).set({ url: 'https://93.184.216.34/public' }).where(eq(webhookEndpoints.id, id));
    const arrived: string[] = [];
    thirdParty.use(
      http.post('https://93.184.216.34/public', async ({ request }) => {
        arrived.push(request.headers.get('webhook-id')!);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { email: 'waits-for-mail@example.org' });
    process.env.DEMO_MODE = 'false';
    process.env.WEBHOOK_LOCAL_RECEIVERS = 'false';
    try {
      // No mail transport outside demo mode without Resend: mail waits, untouched.
      expect(await deliverDueOutboxMessages()).toEqual({ sent: 0, failed: 0 });
      await deliverDueWebhooks({ limit: 500 });
      expect(arrived).toHaveLength(1);
      const pendingMail = await getDatabase().db.select().from(outboxMessages).where(eq(outboxMessages.status, 'pending'));
      expect(pendingMail.length).toBeGreaterThan(0);
    } finally {
      process.env.DEMO_MODE = 'true';
      process.env.WEBHOOK_LOCAL_RECEIVERS = 'true';
    }
    expect((await deliveriesTo(id))[0]).toMatchObject({ status: 'delivered', lastResponseStatus: 204 });
  });

  it('refuses to send to a private or local address at send time unless the development setting is on', async () => {
    const path = '/private';
    const { id } = await addEndpoint(SOMERVILLE, cookie, `${receiverOrigin}${path}`, ['request.created']);
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    process.env.WEBHOOK_LOCAL_RECEIVERS = 'false';
    try {
      await deliverDueWebhooks({ limit: 500 });
      expect((await deliveriesTo(id))[0]).toMatchObject({ status: 'pending', lastResponseStatus: null, lastError: expect.stringMatching(/not_https/) });
      await getDatabase().db.update(webhookEndpoints).set({ url: 'https://169.254.169.254/latest' }).where(eq(webhookEndpoints.id, id));
      await getDatabase().db.update(webhookDeliveries).set({ nextAttemptAt: new Date() }).where(eq(webhookDeliveries.endpointId, id));
      await deliverDueWebhooks({ limit: 500 });
      expect((await deliveriesTo(id))[0]).toMatchObject({ status: 'pending', lastResponseStatus: null, lastError: expect.stringMatching(/private/) });
    } finally {
      process.env.WEBHOOK_LOCAL_RECEIVERS = 'true';
    }
    expect(at(path)).toHaveLength(0);
  });
});

describe('/admin/webhooks/<id>: the delivery log and redelivery', () => {
  let cookies: Record<MatrixPerson, string | null>;
  let endpointId: string;
  let secret: string;
  const path = '/logged';
  beforeAll(async () => {
    ({ cookies } = await signInEveryone(SOMERVILLE));
    ({ id: endpointId, secret } = await addEndpoint(SOMERVILLE, cookies.adminA!, `${receiverOrigin}${path}`, ['request.created']));
    answer(path, [500]);
    await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    await deliverDueWebhooks({ limit: 500 });
  });

  it.each(TOWN_ADMIN_PAGE_MATRIX)('%s: the log answers %i', async (who, status) => {
    expect((await logPage(SOMERVILLE, cookies[who]!, endpointId)).status).toBe(status);
  });

  it('lists each delivery with its status, attempts and last answer', async () => {
    const { deliveries, endpoint } = await (await logPage(SOMERVILLE, cookies.adminA!, endpointId)).json();
    expect(endpoint.url).toBe(`${receiverOrigin}${path}`);
    expect(deliveries).toEqual([expect.objectContaining({ eventType: 'request.created', status: 'pending', attempts: 1, lastResponseStatus: 500, redelivery: false, nextAttemptAt: expect.any(String) })]);
    expect(JSON.stringify(deliveries)).not.toContain(secret);
  });

  it('redelivers the same event (same webhook-id) by hand, audited', async () => {
    const [original] = await deliveriesTo(endpointId);
    const response = await redeliver(SOMERVILLE, cookies.adminA!, endpointId, original!.id);
    expect(response.status).toBe(200);
    expect((await response.json()).message).toMatch(/queued again/);
    const before = at(path).length;
    // The original waits for its retry; the redelivery is due at once.
    await deliverDueWebhooks({ limit: 500 });
    const arrivals = at(path).slice(before);
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]!.headers['webhook-id']).toBe(original!.eventId);
    verify(secret, arrivals[0]!);
    const rows = await deliveriesTo(endpointId);
    expect(rows.map((r) => [r.eventId, r.status, r.redeliveryOfId])).toEqual([
      [original!.eventId, 'pending', null],
      [original!.eventId, 'delivered', original!.id],
    ]);
    const somerville = await townBySlug('somerville');
    const audit = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(and(eq(auditLog.entityId, endpointId), eq(auditLog.action, 'webhook.redelivered'))));
    expect(audit).toHaveLength(1);
  });

  it('refuses to redeliver to a disabled endpoint, saying why', async () => {
    const [original] = await deliveriesTo(endpointId);
    await submit(SOMERVILLE, cookies.adminA!, { intent: 'disable', id: endpointId });
    try {
      const refused = await redeliver(SOMERVILLE, cookies.adminA!, endpointId, original!.id);
      expect(refused.status).toBe(409);
      expect((await refused.json()).error).toBe('Enable the endpoint before redelivering to it.');
    } finally {
      await submit(SOMERVILLE, cookies.adminA!, { intent: 'enable', id: endpointId });
    }
  });

  it("another town's admin sees no log and cannot redeliver", async () => {
    const [original] = await deliveriesTo(endpointId);
    const { cookie: maldenCookie } = await adminCookie('malden', MALDEN);
    expect((await logPage(MALDEN, maldenCookie, endpointId)).status).toBe(404);
    const before = (await deliveriesTo(endpointId)).length;
    expect((await redeliver(MALDEN, maldenCookie, endpointId, original!.id)).status).toBe(404);
    expect(await deliveriesTo(endpointId)).toHaveLength(before);
  });

  it('answers 404 for an id that is not an endpoint', async () => {
    expect((await logPage(SOMERVILLE, cookies.adminA!, 'not-a-uuid')).status).toBe(404);
    expect((await logPage(SOMERVILLE, cookies.adminA!, '00000000-0000-7000-8000-000000000000')).status).toBe(404);
  });
});

describe('/admin/webhooks', () => {
  let cookies: Record<MatrixPerson, string | null>;
  beforeAll(async () => {
    ({ cookies } = await signInEveryone(SOMERVILLE));
    process.env.WEBHOOK_LOCAL_RECEIVERS = 'false';
  });
  afterAll(() => {
    process.env.WEBHOOK_LOCAL_RECEIVERS = 'true';
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
    expect(newSecret.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
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

  it('refuses an endpoint without events, and local receivers without the development setting', async () => {
    const noEvents = await submit(SOMERVILLE, cookies.adminA!, [['intent', 'create'], ['url', 'https://hooks.example.org/none']]);
    expect((await noEvents.json()).errors.events).toBe('Choose at least one event');
    const local = await submit(SOMERVILLE, cookies.adminA!, [['intent', 'create'], ['url', 'https://receiver.test/hook'], ['events', 'request.created']]);
    expect((await local.json()).errors.url).toMatch(/public address/);
    process.env.WEBHOOK_LOCAL_RECEIVERS = 'true';
    try {
      expect((await submit(SOMERVILLE, cookies.adminA!, [['intent', 'create'], ['url', 'http://localhost:4000/hook'], ['events', 'request.created']])).status).toBe(200);
    } finally {
      process.env.WEBHOOK_LOCAL_RECEIVERS = 'false';
    }
  });

  it("another town's admin cannot disable or delete Somerville's endpoint", async () => {
    const { id } = await addEndpoint(SOMERVILLE, cookies.adminA!, 'https://hooks.example.org/kept');
    const { cookie: maldenCookie } = await adminCookie('malden', MALDEN);
    expect((await submit(MALDEN, maldenCookie, { intent: 'disable', id })).status).toBe(404);
    expect((await submit(MALDEN, maldenCookie, { intent: 'delete', id })).status).toBe(404);
    const [still] = await getDatabase().db.select({ enabled: webhookEndpoints.enabled }).from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    expect(still).toEqual({ enabled: true });
  });
});
