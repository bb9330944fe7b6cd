import { listCategories } from '~/modules/categories/categories.server';
import { eq } from 'drizzle-orm';
import { categories, requestEvents, requestPhotos, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import type { CategoryQuestion } from '#db/vocabulary';
import { loader as discoveryLoader } from '~/routes/open311.$file';
import { loader as listLoader } from '~/routes/open311.v2.$file';
import { loader as requestLoader } from '~/routes/open311.v2.requests.$id';
import { loader as serviceLoader } from '~/routes/open311.v2.services.$code';
import { loader as tokenLoader } from '~/routes/open311.v2.tokens.$token';
import { uuidv7 } from '#db/ids';
import type { TownProfile } from '~/utils/town-profile.server';
import { requestRow, townBySlug } from '../factories';
import { settle } from '../requests';
import { childrenNamed, leavesOf, parseXml } from '../xml';

const SOMERVILLE = 'http://somerville.localhost:3000';
const APEX = 'http://localhost:3000';
const context = { clientIp: '10.3.1.1' };
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

type Loader = (args: { request: Request; params: Record<string, string>; context: typeof context }) => Promise<Response>;
async function get(loader: Loader, url: string, params: Record<string, string>) {
  return settle(loader({ request: new Request(url), params, context }));
}
const json = async (response: Response) => JSON.parse(await response.text()) as unknown;
const xml = async (response: Response) => parseXml(await response.text());

let somerville: TownProfile;
let malden: TownProfile;
const DAY = 86_400_000;
const now = Date.now();

async function categoryId(town: TownProfile, code: string) {
  const [row] = await withTown(town.id, (tx) => tx.select({ id: categories.id }).from(categories).where(eq(categories.code, code)));
  return row!.id;
}

const QUESTIONS: CategoryQuestion[] = [
  { code: 'side', label: 'Which side of the street?', type: 'single', required: true, public: true, choices: [{ value: 'north', label: 'North' }, { value: 'south', label: 'South' }] },
  { code: 'count', label: 'How many?', type: 'number', required: false, public: false },
  { code: 'kinds', label: 'What kinds?', type: 'multi', required: false, public: false, choices: [{ value: 'paint', label: 'Paint' }] },
  { code: 'seen', label: 'When did you see it?', type: 'datetime', required: false, public: false },
  { code: 'note', label: 'Anything else?', type: 'text', required: false, public: false },
];

let fresh: string, old: string, closed: string, withdrawn: string, inMalden: string;
beforeAll(async () => {
  somerville = await townBySlug('somerville');
  malden = await townBySlug('malden');
  const graffiti = await categoryId(somerville, 'graffiti');
  const pothole = await categoryId(somerville, 'pothole');
  await withTown(somerville.id, (tx) => tx.update(categories).set({ questions: QUESTIONS }).where(eq(categories.code, 'pothole')));
  const rows = [
    requestRow(somerville, graffiti, { createdAt: new Date(now - 2 * DAY), description: 'Fresh tag', reporterEmail: 'secret@example.com', reporterName: 'Secret Person', answers: { side: 'north' }, address: '93 Highland Ave' }),
    requestRow(somerville, graffiti, { createdAt: new Date(now - 120 * DAY), description: 'Old tag' }),
    requestRow(somerville, pothole, { createdAt: new Date(now - 5 * DAY), description: 'Deep hole', status: 'fixed', statusReason: 'Patched', closedAt: new Date(now - DAY) }),
    requestRow(somerville, graffiti, { createdAt: new Date(now - 3 * DAY), description: 'Withdrawn tag', status: 'withdrawn' }),
  ];
  await withTown(somerville.id, async (tx) => {
    await tx.insert(serviceRequests).values(rows);
    await tx.insert(requestPhotos).values({ townId: somerville.id, id: uuidv7(), requestId: rows[0]!.id, displayKey: 'somerville/photo-display.jpg', thumbnailKey: 'somerville/photo-thumb.jpg', width: 800, height: 600, sortOrder: 0 });
  });
  [fresh, old, closed, withdrawn] = rows.map((r) => r.trackingNumber) as [string, string, string, string];
  const maldenRow = requestRow(malden, await categoryId(malden, 'graffiti'), { createdAt: new Date(now - DAY), description: 'Malden tag' });
  await withTown(malden.id, (tx) => tx.insert(serviceRequests).values(maldenRow));
  inMalden = maldenRow.trackingNumber;
});

describe('GET /open311/discovery', () => {
  it('describes the town API on a town host and the statewide one at the apex, in both formats', async () => {
    const town = (await json(await get(discoveryLoader, `${SOMERVILLE}/open311/discovery.json`, { file: 'discovery.json' }))) as Record<string, unknown> & { endpoints: Record<string, unknown>[] };
    expect(town.changeset).toMatch(W3C);
    expect(town.contact).toContain('Somerville');
    expect(town.key_service).toContain('/admin/api-keys');
    expect(town.endpoints.map((e) => e.type)).toEqual(['production', 'test']);
    expect(town.endpoints[0]).toEqual({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${SOMERVILLE}/open311/v2`, changeset: town.changeset, type: 'production', formats: ['text/xml', 'application/json'] });

    const response = await get(discoveryLoader, `${APEX}/open311/discovery.xml`, { file: 'discovery.xml' });
    expect(response.headers.get('Content-Type')).toBe('text/xml; charset=utf-8');
    const root = await xml(response);
    expect(root.name).toBe('discovery');
    const [endpoint] = childrenNamed(childrenNamed(root, 'endpoints')[0]!, 'endpoint');
    expect(leavesOf(endpoint!)).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${APEX}/open311/v2`, type: 'production' });
    expect(childrenNamed(childrenNamed(endpoint!, 'formats')[0]!, 'format').map((f) => f.text)).toEqual(['text/xml', 'application/json']);
  });

  it('answers 404 in the Open311 error format for another file or format', async () => {
    const other = await get(discoveryLoader, `${APEX}/open311/other.xml`, { file: 'other.xml' });
    expect(other.status).toBe(404);
    expect((await xml(other)).name).toBe('errors');
    const noFormat = await get(discoveryLoader, `${APEX}/open311/discovery.html`, { file: 'discovery.html' });
    expect(noFormat.status).toBe(404);
    expect(await json(noFormat)).toEqual([{ code: 404, description: expect.any(String) }]);
  });
});

describe('jurisdiction_id', () => {
  it('is needed at the apex: missing → 400, unknown → 404, a town slug → that town', async () => {
    const missing = await get(listLoader, `${APEX}/open311/v2/services.json`, { file: 'services.json' });
    expect(missing.status).toBe(400);
    expect(await json(missing)).toEqual([{ code: 400, description: expect.stringContaining('jurisdiction_id') }]);

    const unknown = await get(listLoader, `${APEX}/open311/v2/services.xml?jurisdiction_id=atlantis`, { file: 'services.xml' });
    expect(unknown.status).toBe(404);
    const error = childrenNamed(await xml(unknown), 'error')[0]!;
    expect(leavesOf(error)).toEqual({ code: '404', description: expect.stringContaining('atlantis') });

    const requests = (await json(await get(listLoader, `${APEX}/open311/v2/requests.json?jurisdiction_id=malden`, { file: 'requests.json' }))) as { service_request_id: string }[];
    expect(requests.map((r) => r.service_request_id)).toEqual([inMalden]);
    const one = await get(requestLoader, `${APEX}/open311/v2/requests/${fresh}.json?jurisdiction_id=somerville`, { id: `${fresh}.json` });
    expect(one.status).toBe(200);
  });

  it('is optional on a town host and must name that town if given', async () => {
    expect((await get(listLoader, `${SOMERVILLE}/open311/v2/services.json?jurisdiction_id=somerville`, { file: 'services.json' })).status).toBe(200);
    const other = await get(listLoader, `${SOMERVILLE}/open311/v2/services.json?jurisdiction_id=malden`, { file: 'services.json' });
    expect(other.status).toBe(400);
    // Another town's request is not found through Somerville's API.
    expect((await get(requestLoader, `${SOMERVILLE}/open311/v2/requests/${inMalden}.json`, { id: `${inMalden}.json` })).status).toBe(404);
  });

  it('answers 404 for a host that is no town', async () => {
    const response = await get(listLoader, 'http://atlantis.localhost:3000/open311/v2/services.json', { file: 'services.json' });
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual([{ code: 404, description: expect.any(String) }]);
  });
});

describe('GET services', () => {
  it('lists the active categories with string codes, boolean metadata and type realtime', async () => {
    const response = await get(listLoader, `${SOMERVILLE}/open311/v2/services.json`, { file: 'services.json' });
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const services = (await json(response)) as Record<string, unknown>[];
    const pothole = services.find((s) => s.service_code === 'pothole');
    expect(Object.keys(pothole!)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
    expect(pothole).toMatchObject({ service_code: 'pothole', service_name: 'Pothole', metadata: true, type: 'realtime', group: expect.any(String) });
    // The words residents search with, comma-separated as the spec's keywords are.
    expect(String(pothole!.keywords).split(',')).toContain('pot hole');
    // metadata says whether the category asks questions: true for those that do, false for the rest.
    const questionsByCode = new Map((await listCategories((await townBySlug('somerville')).id)).map((c) => [c.code, c.questions.length > 0]));
    expect(new Set(questionsByCode.values())).toEqual(new Set([true, false]));
    for (const service of services) expect(service.metadata, String(service.service_code)).toBe(questionsByCode.get(String(service.service_code)));

    const root = await xml(await get(listLoader, `${SOMERVILLE}/open311/v2/services.xml`, { file: 'services.xml' }));
    expect(root.name).toBe('services');
    const fromXml = childrenNamed(root, 'service').map(leavesOf);
    expect(fromXml.map((s) => s.service_code)).toEqual(services.map((s) => s.service_code));
    expect(fromXml.find((s) => s.service_code === 'pothole')).toMatchObject({ metadata: 'true', type: 'realtime' });
  });
});

describe('GET services/{code}', () => {
  it('maps the questions to Open311 attributes, in order, with their values', async () => {
    const definition = (await json(await get(serviceLoader, `${SOMERVILLE}/open311/v2/services/pothole.json`, { code: 'pothole.json' }))) as { service_code: string; attributes: Record<string, unknown>[] };
    expect(definition.service_code).toBe('pothole');
    expect(definition.attributes.map((a) => [a.code, a.datatype, a.order, a.required])).toEqual([
      ['side', 'singlevaluelist', 1, true],
      ['count', 'number', 2, false],
      ['kinds', 'multivaluelist', 3, false],
      ['seen', 'datetime', 4, false],
      ['note', 'string', 5, false],
    ]);
    expect(definition.attributes[0]).toEqual({
      variable: true,
      code: 'side',
      datatype: 'singlevaluelist',
      required: true,
      datatype_description: expect.any(String),
      order: 1,
      description: 'Which side of the street?',
      values: [{ key: 'north', name: 'North' }, { key: 'south', name: 'South' }],
    });

    const root = await xml(await get(serviceLoader, `${APEX}/open311/v2/services/pothole.xml?jurisdiction_id=somerville`, { code: 'pothole.xml' }));
    expect(root.name).toBe('service_definition');
    const [side] = childrenNamed(childrenNamed(root, 'attributes')[0]!, 'attribute');
    expect(leavesOf(side!)).toMatchObject({ variable: 'true', code: 'side', datatype: 'singlevaluelist', required: 'true', order: '1' });
    const values = childrenNamed(childrenNamed(side!, 'values')[0]!, 'value').map(leavesOf);
    expect(values).toEqual([{ key: 'north', name: 'North' }, { key: 'south', name: 'South' }]);
  });

  it('answers 404 naming the code for an unknown service', async () => {
    const response = await get(serviceLoader, `${SOMERVILLE}/open311/v2/services/dragons.xml`, { code: 'dragons.xml' });
    expect(response.status).toBe(404);
    expect(leavesOf(childrenNamed(await xml(response), 'error')[0]!).description).toContain('dragons');
  });
});

describe('GET requests', () => {
  const list = async (query: string) => {
    const response = await get(listLoader, `${SOMERVILLE}/open311/v2/requests.json${query}`, { file: 'requests.json' });
    expect(response.status).toBe(200);
    return (await json(response)) as Record<string, unknown>[];
  };
  const ids = async (query: string) => (await list(query)).map((r) => r.service_request_id);

  it('lists the last 90 days newest first, never withdrawn reports or the reporter', async () => {
    expect(await ids('')).toEqual([fresh, closed]);
    const [first] = await list('');
    expect(Object.keys(first!)).toEqual([
      'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
      'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url',
    ]);
    expect(first).toMatchObject({ service_request_id: fresh, status: 'open', service_code: 'graffiti', address: '93 Highland Ave', lat: 42.39, long: -71.03, media_url: `${SOMERVILLE}/photos/somerville/photo-display.jpg` });
    expect(first!.requested_datetime).toMatch(W3C);
    expect(first!.requested_datetime).toMatch(/-0[45]:00$/);
    const text = JSON.stringify(await list(`?service_request_id=${fresh},${withdrawn}`));
    expect(text).not.toContain('secret');
    expect(text).not.toContain('Secret Person');
    expect(text).not.toContain(withdrawn);
  });

  it('filters by ids (overriding the rest), service_code, status and dates, and pages', async () => {
    expect(await ids(`?service_request_id=${old.toLowerCase()},${fresh}&status=closed`)).toEqual([fresh, old]);
    expect(await ids('?service_code=pothole')).toEqual([closed]);
    expect(await ids('?status=open')).toEqual([fresh]);
    expect(await ids('?status=closed')).toEqual([closed]);
    expect(await list('?status=closed')).toMatchObject([{ status: 'closed', status_notes: 'Patched' }]);
    const start = new Date(now - 200 * DAY).toISOString().slice(0, 10);
    expect(await ids(`?start_date=${start}`)).toEqual([fresh, closed, old]);
    expect(await ids(`?start_date=${start}&end_date=${new Date(now - 100 * DAY).toISOString()}`)).toEqual([old]);
    expect(await ids(`?start_date=${start}&page_size=2&page=2`)).toEqual([old]);
  });

  it('refuses a bad parameter with 400 naming it', async () => {
    for (const [query, parameter] of [['?status=pending', 'status'], ['?start_date=yesterday', 'start_date'], ['?page_size=1001', 'page_size'], ['?page=0', 'page']] as const) {
      const response = await get(listLoader, `${SOMERVILLE}/open311/v2/requests.xml${query}`, { file: 'requests.xml' });
      expect(response.status).toBe(400);
      expect(leavesOf(childrenNamed(await xml(response), 'error')[0]!)).toEqual({ code: '400', description: expect.stringContaining(parameter) });
    }
  });

  it('writes the same requests in the spec XML layout', async () => {
    const root = await xml(await get(listLoader, `${SOMERVILLE}/open311/v2/requests.xml`, { file: 'requests.xml' }));
    expect(root.name).toBe('service_requests');
    const requests = childrenNamed(root, 'request').map(leavesOf);
    expect(requests.map((r) => r.service_request_id)).toEqual([fresh, closed]);
    expect(requests[0]).toMatchObject({ status: 'open', lat: '42.39', long: '-71.03', service_notice: '', zipcode: '' });
  });
});

describe('GET servicerequestupdates (the mySociety extension)', () => {
  it('lists public updates oldest first with the status they left, never internal notes or withdrawn reports', async () => {
    const requestId = async (trackingNumber: string) =>
      (await withTown(somerville.id, (tx) => tx.select({ id: serviceRequests.id }).from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber))))[0]!.id;
    const event = async (trackingNumber: string, fields: Partial<typeof requestEvents.$inferInsert> & { kind: (typeof requestEvents.$inferInsert)['kind']; public: boolean }, hoursAgo: number) => {
      const id = await requestId(trackingNumber);
      await withTown(somerville.id, (tx) => tx.insert(requestEvents).values({ townId: somerville.id, id: uuidv7(now - hoursAgo * 3_600_000), requestId: id, createdAt: new Date(now - hoursAgo * 3_600_000), ...fields }));
    };
    await event(closed, { kind: 'status_changed', public: true, toStatus: 'fixed', message: 'Patched this morning' }, 20);
    await event(fresh, { kind: 'public_reply', public: true, message: 'Crew booked for Tuesday' }, 10);
    await event(fresh, { kind: 'internal_note', public: false, message: 'Secret internal note' }, 9);
    await event(withdrawn, { kind: 'public_reply', public: true, message: 'Reply on a withdrawn report' }, 8);

    const response = await get(listLoader, `${SOMERVILLE}/open311/v2/servicerequestupdates.json?start_date=${new Date(now - DAY).toISOString()}`, { file: 'servicerequestupdates.json' });
    expect(response.status).toBe(200);
    const updates = (await json(response)) as Record<string, unknown>[];
    expect(updates.map((u) => [u.service_request_id, u.status, u.description])).toEqual([
      [closed, 'closed', 'Patched this morning'],
      [fresh, 'open', 'Crew booked for Tuesday'],
    ]);
    expect(Object.keys(updates[0]!)).toEqual(['update_id', 'service_request_id', 'status', 'updated_datetime', 'description', 'media_url']);
    expect(updates[0]!.updated_datetime).toMatch(W3C);

    const root = await xml(await get(listLoader, `${APEX}/open311/v2/servicerequestupdates.xml?jurisdiction_id=somerville&start_date=${new Date(now - DAY).toISOString()}`, { file: 'servicerequestupdates.xml' }));
    expect(root.name).toBe('service_request_updates');
    expect(childrenNamed(root, 'request_update').map((u) => leavesOf(u).service_request_id)).toEqual([closed, fresh]);
    const bad = await get(listLoader, `${SOMERVILLE}/open311/v2/servicerequestupdates.json?start_date=yesterday`, { file: 'servicerequestupdates.json' });
    expect(bad.status).toBe(400);
  });
});

describe('GET requests/{id} and tokens/{token}', () => {
  it('answers one request as a list of one, by tracking number in any case', async () => {
    const body = (await json(await get(requestLoader, `${SOMERVILLE}/open311/v2/requests/${closed.toLowerCase()}.json`, { id: `${closed.toLowerCase()}.json` }))) as Record<string, unknown>[];
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ service_request_id: closed, status: 'closed', service_code: 'pothole', media_url: null });
    const root = await xml(await get(requestLoader, `${SOMERVILLE}/open311/v2/requests/${closed}.xml`, { id: `${closed}.xml` }));
    expect(childrenNamed(root, 'request').map(leavesOf)).toMatchObject([{ service_request_id: closed, status: 'closed' }]);
    for (const id of [withdrawn, 'SOM-424242']) expect((await get(requestLoader, `${SOMERVILLE}/open311/v2/requests/${id}.json`, { id: `${id}.json` })).status).toBe(404);
  });

  it('answers a token with the request it became', async () => {
    expect(await json(await get(tokenLoader, `${SOMERVILLE}/open311/v2/tokens/${fresh}.json`, { token: `${fresh}.json` }))).toEqual([{ service_request_id: fresh, token: fresh }]);
    const root = await xml(await get(tokenLoader, `${APEX}/open311/v2/tokens/${fresh}.xml?jurisdiction_id=somerville`, { token: `${fresh}.xml` }));
    expect(childrenNamed(root, 'request').map(leavesOf)).toEqual([{ service_request_id: fresh, token: fresh }]);
    const unknown = await get(tokenLoader, `${SOMERVILLE}/open311/v2/tokens/nope.xml`, { token: 'nope.xml' });
    expect(unknown.status).toBe(404);
  });
});
