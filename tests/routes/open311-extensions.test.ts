import { and, eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { auditLog, categories, open311UpdateReceipts, requestEvents, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { createApiKey } from '~/modules/open311/api-keys.server';
import { addInternalNote, getStaffRequest, postReply } from '~/modules/staff/request-work.server';
import { loader as discoveryLoader } from '~/routes/open311.$file';
import { action as postAction, loader as listLoader } from '~/routes/open311.v2.$file';
import { loader as requestLoader } from '~/routes/open311.v2.requests.$id';
import { loader as serviceLoader } from '~/routes/open311.v2.services.$code';
import { loader as tokenLoader } from '~/routes/open311.v2.tokens.$token';
import { townLinks } from '~/utils/town.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { townAdminFor, townStaffFor } from '../capabilities';
import { createUser, requestRow, townBySlug } from '../factories';
import { expectOpen311Shape } from '../fixtures/open311-schemas';
import { fileReport, settle } from '../requests';
import { childrenNamed, leavesOf, parseXml } from '../xml';

const SOMERVILLE = 'http://somerville.localhost:3000';
const APEX = 'http://localhost:3000';
const DAY = 86_400_000;
let ip = 0;
type RouteFunction = (args: never) => Promise<Response>;
const call = (fn: RouteFunction, request: Request, params: Record<string, string>, clientIp = `10.12.0.${++ip}`) => settle(fn({ request, params, context: { clientIp } } as never));
const fileOf = (url: string) => new URL(url).pathname.split('/').pop()!;
const list = (url: string, clientIp?: string) => call(listLoader, new Request(url), { file: fileOf(url) }, clientIp);
const json = async (response: Response) => JSON.parse(await response.text()) as Record<string, unknown>[];
function post(url: string, body: Record<string, string>) {
  return call(postAction, new Request(url, { method: 'POST', body: new URLSearchParams(body), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), { file: fileOf(url) });
}

let somerville: TownProfile;
let updatesKey: string;
let filingKey: string;
let staff: Awaited<ReturnType<typeof townStaffFor>>;
beforeAll(async () => {
  somerville = await townBySlug('somerville');
  const admin = await townAdminFor(somerville, await createUser({ roles: [[somerville, 'admin']] }));
  ({ key: updatesKey } = await createApiKey(admin, { name: 'Work-order system', scopes: ['updates.create'] }));
  ({ key: filingKey } = await createApiKey(admin, { name: 'Call centre', scopes: ['requests.create'] }));
  staff = await townStaffFor(somerville, await createUser({ roles: [[somerville, 'staff']] }));
});
const seen = async (trackingNumber: string) => ({ trackingNumber, expectedVersion: (await getStaffRequest(staff, trackingNumber))!.version });

describe('every JSON answer has the shape the specification gives it', () => {
  it('discovery, services, a definition, requests (with extensions), one request, a token, updates and errors', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, { lat: 42.3876, lng: -71.0995 });
    const get = (fn: RouteFunction, url: string, param: string) => call(fn, new Request(url), { [param]: fileOf(url) });
    expectOpen311Shape('discovery', await json(await get(discoveryLoader, `${SOMERVILLE}/open311/discovery.json`, 'file')));
    expectOpen311Shape('discovery', await json(await get(discoveryLoader, `${APEX}/open311/discovery.json`, 'file')));
    expectOpen311Shape('services', await json(await list(`${SOMERVILLE}/open311/v2/services.json`)));
    expectOpen311Shape('services', await json(await list(`${APEX}/open311/v2/services.json?jurisdiction_id=somerville`)));
    expectOpen311Shape('serviceDefinition', await json(await get(serviceLoader, `${SOMERVILLE}/open311/v2/services/pothole.json`, 'code')));
    expectOpen311Shape('requests', await json(await list(`${SOMERVILLE}/open311/v2/requests.json`)));
    expectOpen311Shape('requests', await json(await list(`${APEX}/open311/v2/requests.json?jurisdiction_id=somerville&extensions=true`)));
    expectOpen311Shape('requests', await json(await get(requestLoader, `${SOMERVILLE}/open311/v2/requests/${trackingNumber}.json`, 'id')));
    expectOpen311Shape('tokens', await json(await get(tokenLoader, `${SOMERVILLE}/open311/v2/tokens/${trackingNumber}.json`, 'token')));
    expectOpen311Shape('updates', await json(await list(`${SOMERVILLE}/open311/v2/servicerequestupdates.json`)));
    expectOpen311Shape('errors', await json(await list(`${APEX}/open311/v2/requests.json`)));
    const created = await post(`${SOMERVILLE}/open311/v2/requests.json`, { api_key: filingKey, service_code: 'graffiti', description: 'Tag on a wall', lat: '42.381', long: '-71.105' });
    expect(created.status).toBe(201);
    expectOpen311Shape('created', await json(created));
    // The schema is strict: an answer with a field the spec does not name fails.
    expect(() => expectOpen311Shape('requests', [{ service_request_id: 1 }])).toThrow(/GeoReport v2 requests/);
  });
});

describe('GET requests: updated_after / updated_before and extensions=true', () => {
  let recentlyUpdated: string;
  let longAgo: string;
  beforeAll(async () => {
    const [graffiti] = await withTown(somerville.id, (tx) => tx.select({ id: categories.id }).from(categories).where(eq(categories.code, 'graffiti')));
    const now = Date.now();
    const rows = [
      // Filed long before the default 90 days, updated yesterday: polling by update time finds it.
      requestRow(somerville, graffiti!.id, { createdAt: new Date(now - 200 * DAY), updatedAt: new Date(now - DAY), description: 'Old but updated' }),
      requestRow(somerville, graffiti!.id, { createdAt: new Date(now - 200 * DAY), updatedAt: new Date(now - 150 * DAY), description: 'Old and quiet' }),
    ];
    await withTown(somerville.id, (tx) => tx.insert(serviceRequests).values(rows));
    [recentlyUpdated, longAgo] = rows.map((r) => r.trackingNumber) as [string, string];
  });

  it('lists what changed in the window, whenever it was filed', async () => {
    const since = new Date(Date.now() - 2 * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    const ids = (await json(await list(`${SOMERVILLE}/open311/v2/requests.json?updated_after=${since}&page_size=1000`))).map((r) => r.service_request_id);
    expect(ids).toContain(recentlyUpdated);
    expect(ids).not.toContain(longAgo);
    const before = new Date(Date.now() - 100 * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    const old = (await json(await list(`${SOMERVILLE}/open311/v2/requests.json?updated_before=${before}&page_size=1000`))).map((r) => r.service_request_id);
    expect(old).toEqual([longAgo]);
    // The default listing (90 days of requested_datetime) has neither.
    const byDefault = (await json(await list(`${SOMERVILLE}/open311/v2/requests.json?page_size=1000`))).map((r) => r.service_request_id);
    expect(byDefault).not.toContain(recentlyUpdated);
  });

  it('refuses a malformed updated_after or extensions, naming it', async () => {
    const bad = await list(`${SOMERVILLE}/open311/v2/requests.xml?updated_after=yesterday`);
    expect(bad.status).toBe(400);
    expect(childrenNamed(parseXml(await bad.text()), 'error').map(leavesOf)).toEqual([{ code: '400', description: 'The parameter updated_after is not valid' }]);
    expect((await list(`${SOMERVILLE}/open311/v2/requests.json?extensions=yes`)).status).toBe(400);
  });

  it('extensions=true adds the public timeline, never internal notes, in JSON and XML', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, { lat: 42.3877, lng: -71.0996 });
    await postReply(staff, await seen(trackingNumber), 'Crew booked for Monday.', townLinks('somerville'));
    await addInternalNote(staff, await seen(trackingNumber), 'Private: the resident called twice.');
    const [withNotes] = await json(await call(requestLoader, new Request(`${SOMERVILLE}/open311/v2/requests/${trackingNumber}.json?extensions=true`), { id: `${trackingNumber}.json` }));
    const notes = (withNotes!.extended_attributes as { notes: { type: string; description: string | null }[] }).notes;
    expect(notes.map((n) => n.type)).toEqual(['submitted', 'public_reply']);
    expect(notes[1]!.description).toBe('Crew booked for Monday.');
    expect(JSON.stringify(withNotes)).not.toContain('Private');
    const [plain] = await json(await call(requestLoader, new Request(`${SOMERVILLE}/open311/v2/requests/${trackingNumber}.json`), { id: `${trackingNumber}.json` }));
    expect(plain).not.toHaveProperty('extended_attributes');

    const xml = parseXml(await (await list(`${SOMERVILLE}/open311/v2/requests.xml?service_request_id=${trackingNumber}&extensions=true`)).text());
    const [request] = childrenNamed(xml, 'request');
    const [extended] = childrenNamed(request!, 'extended_attributes');
    const xmlNotes = childrenNamed(childrenNamed(extended!, 'notes')[0]!, 'note').map(leavesOf);
    expect(xmlNotes.map((n) => n.type)).toEqual(['submitted', 'public_reply']);
  });
});

describe('reads are rate-limited per client address, and per API key', () => {
  afterEach(() => {
    delete process.env.OPEN311_READS_PER_MINUTE;
    delete process.env.OPEN311_KEY_READS_PER_MINUTE;
  });

  it('answers 429 with Retry-After in the Open311 error format once an address has used its reads', async () => {
    process.env.OPEN311_READS_PER_MINUTE = '3';
    const url = `${SOMERVILLE}/open311/v2/services.xml`;
    for (let i = 0; i < 3; i++) expect((await list(url, '10.13.0.1')).status).toBe(200);
    const limited = await list(url, '10.13.0.1');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(childrenNamed(parseXml(await limited.text()), 'error').map(leavesOf)).toEqual([{ code: '429', description: `Too many requests: try again in ${retryAfter} seconds` }]);
    // Another address is not held back by this one.
    expect((await list(url, '10.13.0.2')).status).toBe(200);
    // Nor are one request's or a token's reads on other routes exempt.
    const one = await call(serviceLoader, new Request(`${SOMERVILLE}/open311/v2/services/pothole.json`), { code: 'pothole.json' }, '10.13.0.1');
    expect(one.status).toBe(429);
  });

  it('a live key of the town reads on its own, larger allowance; a made-up key does not escape the address limit', async () => {
    process.env.OPEN311_READS_PER_MINUTE = '1';
    process.env.OPEN311_KEY_READS_PER_MINUTE = '5';
    const url = (key: string) => `${SOMERVILLE}/open311/v2/services.json?api_key=${encodeURIComponent(key)}`;
    expect((await list(url('made-up'), '10.13.1.1')).status).toBe(200);
    expect((await list(url('made-up-too'), '10.13.1.1')).status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await list(url(updatesKey), '10.13.1.1')).status).toBe(200);
    expect((await list(url(updatesKey), '10.13.1.2')).status).toBe(429);
  });
});

describe('POST servicerequestupdates (mySociety): a back office reports status changes and notes', () => {
  const endpoint = (format = 'json') => `${SOMERVILLE}/open311/v2/servicerequestupdates.${format}`;

  it('applies a status change with a note once per update_id, visible to residents and in GET servicerequestupdates', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, { lat: 42.3878, lng: -71.0997 });
    const update = { api_key: updatesKey, service_request_id: trackingNumber, update_id: 'WO-7731', status: 'IN_PROGRESS', description: 'Crew dispatched.', updated_datetime: '2026-12-07T09:00:00-05:00' };
    const first = await post(endpoint(), update);
    expect(first.status).toBe(201);
    const receipt = await json(first);
    expectOpen311Shape('updateReceipt', receipt);
    const retry = await post(endpoint(), update);
    expect(retry.status).toBe(200);
    expect(await json(retry)).toEqual(receipt);

    const request = (await getStaffRequest(staff, trackingNumber))!;
    expect(request.status).toBe('in_progress');
    const events = await withTown(somerville.id, (tx) => tx.select().from(requestEvents).where(eq(requestEvents.requestId, request.id)));
    expect(events.filter((e) => e.kind === 'status_changed')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'public_reply').map((e) => e.message)).toEqual(['Crew dispatched.']);
    const receipts = await withTown(somerville.id, (tx) => tx.select().from(open311UpdateReceipts).where(eq(open311UpdateReceipts.updateId, 'WO-7731')));
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.reportedAt).toEqual(new Date('2026-12-07T14:00:00Z'));
    const audit = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, 'open311.update_applied'), eq(auditLog.entityId, trackingNumber))));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ apiKey: 'Work-order system', updateId: 'WO-7731' });

    const polled = await json(await list(`${SOMERVILLE}/open311/v2/servicerequestupdates.json`));
    expect(polled.filter((u) => u.service_request_id === trackingNumber).map((u) => [u.status, u.description])).toContainEqual(['open', 'Crew dispatched.']);
  });

  it('FIXED closes the request; OPEN on a closed one reopens it; a note with the same status only adds the note (XML)', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, { lat: 42.3879, lng: -71.0998 });
    expect((await post(endpoint('xml'), { api_key: updatesKey, service_request_id: trackingNumber, update_id: 'A-1', status: 'FIXED' })).status).toBe(201);
    expect((await getStaffRequest(staff, trackingNumber))!.status).toBe('fixed');
    const reopened = await post(endpoint('xml'), { api_key: updatesKey, service_request_id: trackingNumber, update_id: 'A-2', status: 'OPEN', description: 'Came back after the rain.' });
    expect(reopened.status).toBe(201);
    expect(childrenNamed(parseXml(await reopened.text()), 'request_update').map(leavesOf)).toEqual([{ update_id: expect.any(String) }]);
    expect((await getStaffRequest(staff, trackingNumber))!.status).toBe('in_progress');
    expect((await post(endpoint(), { api_key: updatesKey, service_request_id: trackingNumber, update_id: 'A-3', status: 'OPEN', description: 'Still on the list.' })).status).toBe(201);
    expect((await getStaffRequest(staff, trackingNumber))!.status).toBe('in_progress');
  });

  it('refuses what it cannot apply, names the parameter, and records nothing', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, { lat: 42.388, lng: -71.0999 });
    const base = { api_key: updatesKey, service_request_id: trackingNumber, update_id: 'R-1' };
    const cases: [Record<string, string>, number, string][] = [
      [{ ...base, status: 'NO_FURTHER_ACTION' }, 400, 'Give the parameter description'],
      [{ ...base, status: 'MAYBE' }, 400, 'status must be one of OPEN, INVESTIGATING, IN_PROGRESS, ACTION_SCHEDULED, FIXED, CLOSED, NO_FURTHER_ACTION, NOT_COUNCILS_RESPONSIBILITY, INTERNAL_REFERRAL'],
      [{ api_key: updatesKey, service_request_id: trackingNumber, status: 'FIXED' }, 400, 'Give the parameter update_id'],
      [{ ...base, status: 'FIXED', updated_datetime: 'noon' }, 400, 'The parameter updated_datetime is not valid'],
      [{ ...base, service_request_id: 'SOM-999999', status: 'FIXED' }, 404, 'Somerville has no service request SOM-999999'],
      [{ ...base, api_key: filingKey, status: 'FIXED' }, 403, 'The api_key is missing, wrong or revoked for Somerville'],
    ];
    for (const [body, status, description] of cases) {
      const refused = await post(endpoint(), body);
      expect(refused.status).toBe(status);
      expect(await json(refused)).toEqual([{ code: status, description }]);
    }
    expect((await getStaffRequest(staff, trackingNumber))!.status).toBe('submitted');
    expect(await getDatabase().db.select().from(open311UpdateReceipts).where(eq(open311UpdateReceipts.updateId, 'R-1'))).toHaveLength(0);
  });

  it('a refused transition leaves no receipt, so the back office can send the update again once it makes sense', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, { lat: 42.3881, lng: -71.1 });
    await withTown(somerville.id, (tx) => tx.update(serviceRequests).set({ status: 'duplicate' }).where(eq(serviceRequests.trackingNumber, trackingNumber)));
    const refused = await post(endpoint(), { api_key: updatesKey, service_request_id: trackingNumber, update_id: 'T-1', status: 'FIXED' });
    expect(refused.status).toBe(400);
    expect(await json(refused)).toEqual([{ code: 400, description: `Request ${trackingNumber} cannot go from duplicate to fixed` }]);
    expect(await getDatabase().db.select().from(open311UpdateReceipts).where(eq(open311UpdateReceipts.updateId, 'T-1'))).toHaveLength(0);
  });
});
