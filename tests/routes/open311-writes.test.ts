import { eq, isNull } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { apiKeys, auditLog, categories, serviceRequests, towns } from '#db/schema';
import { withTown } from '#db/scope';
import type { CategoryQuestion } from '#db/vocabulary';
import { createApiKey } from '~/modules/open311/api-keys.server';
import { EXACT_RETRY_WINDOW_MS, fileOpen311Request } from '~/modules/open311/file-request.server';
import { getStaffRequest } from '~/modules/staff/request-work.server';
import { action as adminAction, loader as adminLoader } from '~/routes/admin.api-keys';
import { action as postAction, loader as listLoader } from '~/routes/open311.v2.$file';
import { loader as requestLoader } from '~/routes/open311.v2.requests.$id';
import { addDays, dayIn } from '~/utils/calendar-day';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import { townLinks } from '~/utils/town.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { townAdminFor, townStaffFor } from '../capabilities';
import { startSession } from '~/utils/auth.server';
import { browserRequest, cookieFrom, createUser, townBySlug } from '../factories';
import { signInEveryone, TOWN_ADMIN_PAGE_MATRIX, type MatrixPerson } from '../people';
import { settle } from '../requests';
import { childrenNamed, leavesOf, parseXml } from '../xml';

const SOMERVILLE = 'http://somerville.localhost:3000';
const APEX = 'http://localhost:3000';
const POINT = { lat: '42.381', long: '-71.105' };
const MALDEN_POINT = { lat: '42.43', long: '-71.06' };
let ip = 0;
type RouteFunction = (args: never) => Promise<Response>;
const call = (fn: RouteFunction, request: Request, params: Record<string, string> = {}) => settle(fn({ request, params, context: { clientIp: `10.9.0.${++ip}` } } as never));

function post(url: string, body: Record<string, string | string[]>, options: { json?: boolean; headers?: Record<string, string> } = {}) {
  const file = new URL(url).pathname.split('/').pop()!;
  let init: RequestInit;
  if (options.json) init = { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...options.headers } };
  else {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
    init = { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...options.headers } };
  }
  return call(postAction, new Request(url, init), { file });
}
const errorsOf = async (response: Response) => childrenNamed(parseXml(await response.text()), 'error').map(leavesOf);

const QUESTIONS: CategoryQuestion[] = [
  { code: 'side', label: 'Which side of the street?', type: 'single', required: true, public: false, choices: [{ value: 'north', label: 'North' }, { value: 'south', label: 'South' }] },
  { code: 'kinds', label: 'What kinds?', type: 'multi', required: false, public: false, choices: [{ value: 'paint', label: 'Paint' }, { value: 'sticker', label: 'Sticker' }] },
];

let somerville: TownProfile;
let key: string;
beforeAll(async () => {
  somerville = await townBySlug('somerville');
  await withTown(somerville.id, (tx) => tx.update(categories).set({ questions: QUESTIONS }).where(eq(categories.code, 'pothole')));
  const admin = await townAdminFor(somerville, await createUser({ roles: [[somerville, 'admin']] }));
  ({ key } = await createApiKey(admin, { name: 'Work orders', scopes: ['requests.create'] }));
});

describe('POST requests', () => {
  it('files a request through the report core (urlencoded, XML) and keeps the contact private', async () => {
    const response = await post(`${SOMERVILLE}/open311/v2/requests.xml`, {
      api_key: key,
      service_code: 'graffiti',
      description: 'Tag on the mailbox',
      ...POINT,
      address_string: '93 Highland Ave',
      email: 'Pat@Example.com',
      first_name: 'Pat',
      last_name: 'Doe',
      phone: '617-555-0100',
      media_url: 'https://example.com/photo.jpg',
    });
    expect(response.status).toBe(201);
    const [created] = childrenNamed(parseXml(await response.text()), 'request').map(leavesOf);
    const id = created!.service_request_id!;
    expect(id).toMatch(/^SOM-\d+$/);

    const [row] = await withTown(somerville.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, id)));
    expect(row).toMatchObject({ reporterEmail: 'pat@example.com', reporterName: 'Pat Doe', reporterPhone: '617-555-0100', mediaUrl: 'https://example.com/photo.jpg', status: 'submitted', address: '93 Highland Ave' });

    const read = await call(requestLoader, new Request(`${SOMERVILLE}/open311/v2/requests/${id}.json`), { id: `${id}.json` });
    const text = await read.text();
    expect(JSON.parse(text)).toMatchObject([{ service_request_id: id, status: 'open', service_code: 'graffiti', media_url: 'https://example.com/photo.jpg' }]);
    for (const secret of ['pat@example.com', 'Pat', '617-555-0100']) expect(text).not.toContain(secret);
    const staff = await townStaffFor(somerville, await createUser({ roles: [[somerville, 'staff']] }));
    expect(await getStaffRequest(staff, id)).toMatchObject({ reporter: { name: 'Pat Doe', email: 'pat@example.com', phone: '617-555-0100' }, mediaUrl: 'https://example.com/photo.jpg', channel: 'open311' });
    const list = await (await call(listLoader, new Request(`${SOMERVILLE}/open311/v2/requests.json`), { file: 'requests.json' })).text();
    expect(list).toContain(id);
    expect(list).not.toContain('617-555-0100');
  });

  it('takes JSON at the apex with jurisdiction_id, attributes included, and answers in JSON', async () => {
    const response = await post(
      `${APEX}/open311/v2/requests.json`,
      { jurisdiction_id: 'somerville', api_key: key, service_code: 'pothole', description: 'Deep hole', ...POINT, attribute: { side: 'north', kinds: ['paint', 'sticker'] } } as never,
      { json: true },
    );
    expect(response.status).toBe(201);
    const [created] = JSON.parse(await response.text()) as { service_request_id: string }[];
    const [row] = await withTown(somerville.id, (tx) => tx.select({ answers: serviceRequests.answers }).from(serviceRequests).where(eq(serviceRequests.trackingNumber, created!.service_request_id)));
    expect(row!.answers).toEqual({ side: 'north', kinds: ['paint', 'sticker'] });
  });

  it('refuses a missing required attribute and an invalid choice with 400 naming the attribute, filing nothing', async () => {
    const before = await withTown(somerville.id, (tx) => tx.select({ id: serviceRequests.id }).from(serviceRequests));
    const missing = await post(`${SOMERVILLE}/open311/v2/requests.xml`, { api_key: key, service_code: 'pothole', description: 'Hole', ...POINT });
    expect(missing.status).toBe(400);
    expect(await errorsOf(missing)).toEqual([{ code: '400', description: expect.stringContaining('attribute[side]') }]);
    const invalid = await post(`${SOMERVILLE}/open311/v2/requests.xml`, { api_key: key, service_code: 'pothole', description: 'Hole', ...POINT, 'attribute[side]': 'east' });
    expect(invalid.status).toBe(400);
    expect((await errorsOf(invalid))[0]!.description).toContain('attribute[side]');
    const unknownService = await post(`${SOMERVILLE}/open311/v2/requests.json`, { api_key: key, service_code: 'dragons', description: 'Hole', ...POINT });
    expect(unknownService.status).toBe(400);
    expect(await unknownService.text()).toContain('service_code');
    const badMedia = await post(`${SOMERVILLE}/open311/v2/requests.json`, { api_key: key, service_code: 'graffiti', description: 'Tag', ...POINT, media_url: 'javascript:alert(1)' });
    expect(badMedia.status).toBe(400);
    expect(await badMedia.text()).toContain('media_url');
    expect(await withTown(somerville.id, (tx) => tx.select({ id: serviceRequests.id }).from(serviceRequests))).toHaveLength(before.length);
  });

  it('refuses a point in another town with 400 naming that town', async () => {
    const response = await post(`${SOMERVILLE}/open311/v2/requests.json`, { api_key: key, service_code: 'graffiti', description: 'Tag', ...MALDEN_POINT });
    expect(response.status).toBe(400);
    expect(JSON.parse(await response.text())).toEqual([{ code: 400, description: expect.stringMatching(/Malden.*jurisdiction_id malden/) }]);
  });

  it('answers a retry with the same Idempotency-Key with the request it already filed', async () => {
    const body = { api_key: key, service_code: 'graffiti', description: 'Retried tag', ...POINT };
    const first = JSON.parse(await (await post(`${SOMERVILLE}/open311/v2/requests.json`, body, { headers: { 'Idempotency-Key': 'retry-1' } })).text());
    const second = JSON.parse(await (await post(`${SOMERVILLE}/open311/v2/requests.json`, body, { headers: { 'Idempotency-Key': 'retry-1' } })).text());
    expect(second[0].service_request_id).toBe(first[0].service_request_id);
    const third = JSON.parse(await (await post(`${SOMERVILLE}/open311/v2/requests.json`, body, { headers: { 'Idempotency-Key': 'retry-2' } })).text());
    expect(third[0].service_request_id).not.toBe(first[0].service_request_id);
  });

  it('takes an exact repeat without Idempotency-Key, within ten minutes, for a retry (also across the slot boundary)', async () => {
    const [keyRow] = await withTown(somerville.id, (tx) => tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.name, 'Work orders')));
    const parameters = new URLSearchParams({ api_key: key, service_code: 'graffiti', description: 'Repeated tag, no key', ...POINT });
    // The same parameters in another order are the same call.
    const reordered = new URLSearchParams([...parameters].reverse());
    const file = (p: URLSearchParams, now: Date) => fileOpen311Request({ town: somerville, parameters: p, apiKeyId: keyRow!.id, clientIdempotencyKey: null, links: townLinks, now });
    const slotEnd = new Date((Math.floor(Date.now() / EXACT_RETRY_WINDOW_MS) + 1) * EXACT_RETRY_WINDOW_MS);
    const first = await file(parameters, new Date(slotEnd.getTime() - 1000));
    expect(first).toMatchObject({ kind: 'filed' });
    expect(await file(reordered, new Date(slotEnd.getTime() - 500))).toEqual(first);
    expect(await file(parameters, new Date(slotEnd.getTime() + 1000))).toEqual(first);
    const later = await file(parameters, new Date(slotEnd.getTime() + 2 * EXACT_RETRY_WINDOW_MS));
    expect(later).toMatchObject({ kind: 'filed' });
    expect(later).not.toEqual(first);
    const different = await file(new URLSearchParams({ ...Object.fromEntries(parameters), description: 'Another tag' }), new Date(slotEnd.getTime() - 400));
    expect(different).not.toEqual(first);
  });

  it('answers 403 in the Open311 format for a missing, wrong or other town key', async () => {
    const malden = await townBySlug('malden');
    const maldenAdmin = await townAdminFor(malden, await createUser({ roles: [[malden, 'admin']] }));
    const { key: maldenKey } = await createApiKey(maldenAdmin, { name: 'Malden', scopes: ['requests.create'] });
    for (const apiKey of [undefined, 'nope', maldenKey]) {
      const response = await post(`${SOMERVILLE}/open311/v2/requests.xml`, { ...(apiKey ? { api_key: apiKey } : {}), service_code: 'graffiti', description: 'Tag', ...POINT });
      expect(response.status).toBe(403);
      expect(await errorsOf(response)).toEqual([{ code: '403', description: expect.stringContaining('api_key') }]);
    }
  });

  it('tells a client that a lapsed town takes no reports, with its contact details', async () => {
    const chelsea = await townBySlug('chelsea');
    const chelseaAdmin = await townAdminFor(chelsea, await createUser({ roles: [[chelsea, 'admin']] }));
    const { key: chelseaKey } = await createApiKey(chelseaAdmin, { name: 'Chelsea', scopes: ['requests.create'] });
    const end = addDays(dayIn(new Date(), 'America/New_York'), -200);
    await getDatabase().db.update(towns).set({ grantStart: addDays(end, -3 * 365), grantEnd: end, contact: { phone: '617-466-4000', email: '311@chelsea.example', website: null } }).where(eq(towns.id, chelsea.id));
    invalidateTownCaches();
    const response = await post(`${APEX}/open311/v2/requests.xml`, { jurisdiction_id: 'chelsea', api_key: chelseaKey, service_code: 'other', description: 'Bench', lat: '42.3918', long: '-71.0328' });
    expect(response.status).toBe(400);
    const [error] = await errorsOf(response);
    expect(error!.description).toMatch(/Chelsea is not taking reports/);
    expect(error!.description).toContain('617-466-4000');
    expect(error!.description).toContain('311@chelsea.example');
  });
});

describe('/admin/api-keys', () => {
  let cookies: Record<MatrixPerson, string | null>;
  beforeAll(async () => {
    ({ cookies } = await signInEveryone(SOMERVILLE));
  });
  const page = (cookie: string | null) => call(adminLoader, browserRequest(`${SOMERVILLE}/admin/api-keys`, { cookie }));
  const submit = (cookie: string | null, form: Record<string, string> | [string, string][]) => call(adminAction, browserRequest(`${SOMERVILLE}/admin/api-keys`, { cookie, form }));

  it.each(TOWN_ADMIN_PAGE_MATRIX)('%s: page and create answer %i', async (who, status) => {
    expect((await page(cookies[who]!)).status).toBe(status);
    const created = await submit(cookies[who]!, [['intent', 'create'], ['name', `By ${who}`], ['scopes', 'requests.create']]);
    expect(created.status).toBe(status);
  });

  it('creates a key shown once, lists it by prefix with its creator, marks it used, and revokes it (audited)', async () => {
    const created = await submit(cookies.adminA!, [['intent', 'create'], ['name', 'Dashboard'], ['scopes', 'requests.create']]);
    const { newKey } = await created.json();
    expect(newKey.key).toMatch(/^cc311_[A-Za-z0-9_-]{32}$/);
    expect(created.headers.get('Cache-Control')).toBe('no-store');

    const listed = (await (await page(cookies.adminA!)).json()).keys.find((k: { name: string }) => k.name === 'Dashboard');
    expect(listed).toMatchObject({ keyPrefix: newKey.key.slice(0, 10), lastUsedAt: null, revokedAt: null, scopes: ['requests.create'], createdBy: expect.any(String) });
    expect(JSON.stringify(listed)).not.toContain(newKey.key);
    const [stored] = await withTown(somerville.id, (tx) => tx.select().from(apiKeys).where(eq(apiKeys.id, listed.id)));
    expect(stored!.keyHash).not.toContain(newKey.key);

    const filed = await post(`${SOMERVILLE}/open311/v2/requests.json`, { api_key: newKey.key, service_code: 'graffiti', description: 'Tag', ...POINT });
    expect(filed.status).toBe(201);
    const used = (await (await page(cookies.adminA!)).json()).keys.find((k: { id: string }) => k.id === listed.id);
    expect(used.lastUsedAt).not.toBeNull();

    const revoked = await submit(cookies.adminA!, { intent: 'revoke', id: listed.id });
    expect((await revoked.json()).message).toContain('Dashboard');
    const refused = await post(`${SOMERVILLE}/open311/v2/requests.json`, { api_key: newKey.key, service_code: 'graffiti', description: 'Tag', ...POINT });
    expect(refused.status).toBe(403);
    const actions = (await withTown(somerville.id, (tx) => tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, listed.id)))).map((a) => a.action);
    expect(actions.sort()).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it('refuses a key without a name or a scope, keeping what was typed, and stores nothing', async () => {
    const before = (await withTown(somerville.id, (tx) => tx.select().from(apiKeys))).length;
    const noName = await submit(cookies.adminA!, [['intent', 'create'], ['name', ' '], ['scopes', 'requests.create']]);
    expect(noName.status).toBe(422);
    expect((await noName.json()).errors.name).toBeTruthy();
    const noScope = await submit(cookies.adminA!, [['intent', 'create'], ['name', 'Scopeless']]);
    expect(noScope.status).toBe(422);
    const body = await noScope.json();
    expect(body.errors.scopes).toBe('Choose what the key may do');
    expect(body.values.name).toBe('Scopeless');
    expect((await withTown(somerville.id, (tx) => tx.select().from(apiKeys))).length).toBe(before);
  });

  it("another town's admin cannot revoke Somerville's key", async () => {
    const [somervilleKey] = await withTown(somerville.id, (tx) => tx.select({ id: apiKeys.id }).from(apiKeys).where(isNull(apiKeys.revokedAt)).limit(1));
    const malden = await townBySlug('malden');
    const maldenAdmin = await createUser({ roles: [[malden, 'admin']] });
    const cookie = cookieFrom(await startSession(maldenAdmin.id, new Request('http://malden.localhost:3000')));
    const response = await call(adminAction, browserRequest('http://malden.localhost:3000/admin/api-keys', { cookie, form: { intent: 'revoke', id: somervilleKey!.id } }));
    expect(response.status).toBe(404);
    const [still] = await withTown(somerville.id, (tx) => tx.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, somervilleKey!.id)));
    expect(still!.revokedAt).toBeNull();
  });
});
