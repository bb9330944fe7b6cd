import { and, eq, ne, sql } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { categories, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import type { TownProfile } from '~/utils/town-profile.server';
import { requestRow, townBySlug } from '../../../tests/factories';
import {
  distanceFrom,
  insideBox,
  loadPublicRequestList,
  loadRequestMap,
  parseMapView,
  parsePublicListFilters,
  PUBLIC_LIST_COUNT_LIMIT,
  PUBLIC_LIST_MAX_PAGE,
  PUBLIC_LIST_PAGE_SIZE,
  publicListSearchParams,
  selectListItems,
  type PublicListFilters,
} from './request-list.server';

const parse = (query: string) => parsePublicListFilters(new URLSearchParams(query));
const filtersOf = (query: string): PublicListFilters => {
  const parsed = parse(query);
  if (!parsed.ok) throw new Error(`invalid filters: ${JSON.stringify(parsed.errors)}`);
  return parsed.filters;
};

describe('the list filters from the URL', () => {
  it('reads every filter, blanks as missing, and a decimal comma in coordinates', () => {
    expect(parse('status=open&category=pothole&from=2026-03-01&to=2026-03-31&q=+Elm+St+&lat=42,3876&lng=-71.0995&page=3')).toEqual({
      ok: true,
      filters: { status: 'open', category: 'pothole', from: '2026-03-01', to: '2026-03-31', q: 'Elm St', near: { lat: 42.3876, lng: -71.0995 }, page: 3 },
      values: { status: 'open', category: 'pothole', from: '2026-03-01', to: '2026-03-31', q: ' Elm St ', lat: '42,3876', lng: '-71.0995', page: '3' },
    });
    expect(parse('status=&category=&from=&q=&lat=&lng=')).toMatchObject({ ok: true, filters: { page: 1 } });
    expect(filtersOf('utm_source=x&_data=routes')).toEqual({ page: 1 });
  });

  it.each([
    ['status=pending', { status: { code: 'requestList.status.invalid' } }],
    ['from=2026-02-30', { from: { code: 'requestList.from.invalid' } }],
    ['to=yesterday', { to: { code: 'requestList.to.invalid' } }],
    ['from=2026-03-10&to=2026-03-01', { to: { code: 'requestList.to.before_from' } }],
    ['q=ab', { q: { code: 'requestList.q.too_short', values: { min: 3 } } }],
    [`q=${'x'.repeat(201)}`, { q: { code: 'requestList.q.too_long', values: { max: 200 } } }],
    ['lat=91&lng=-71', { lat: { code: 'requestList.lat.invalid' } }],
    ['lat=42.3&lng=east', { lng: { code: 'requestList.lng.invalid' } }],
    ['lat=42.3', { lng: { code: 'requestList.near.incomplete' } }],
    ['lng=-71.1', { lat: { code: 'requestList.near.incomplete' } }],
    ['page=0', { page: { code: 'requestList.page.invalid' } }],
    ['page=2.5', { page: { code: 'requestList.page.invalid' } }],
    ['page=-1', { page: { code: 'requestList.page.invalid' } }],
  ])('refuses %s with a code for its field', (query, errors) => {
    expect(parse(query)).toMatchObject({ ok: false, errors });
  });

  it('writes filters back as a link at another page, leaving out what is not set', () => {
    const filters = filtersOf('status=closed&q=Elm&lat=42.38&lng=-71.1&page=4');
    expect(publicListSearchParams(filters, 5).toString()).toBe('status=closed&q=Elm&lat=42.38&lng=-71.1&page=5');
    expect(publicListSearchParams(filters, 1).toString()).toBe('status=closed&q=Elm&lat=42.38&lng=-71.1');
    expect(parsePublicListFilters(publicListSearchParams(filters))).toMatchObject({ ok: true, filters });
  });
});

// Salem's own rows, made here; the registry's towns start with none.
let salem: TownProfile;
const categoryIds: Record<string, string> = {};
const SALEM = { lat: 42.5195, lng: -70.8967 };
// Metres to degrees at Salem's latitude.
const north = (m: number) => m / 111_320;
const east = (m: number) => m / (111_320 * Math.cos((SALEM.lat * Math.PI) / 180));

async function addRequests(rows: { category?: string; at: string; lat?: number; lng?: number; description?: string; address?: string | null; status?: 'submitted' | 'fixed' | 'withdrawn' }[]) {
  const made = rows.map((row) =>
    requestRow(salem, categoryIds[row.category ?? 'pothole']!, {
      createdAt: new Date(row.at),
      lat: row.lat ?? SALEM.lat,
      lng: row.lng ?? SALEM.lng,
      description: row.description ?? 'Fixture',
      address: row.address ?? null,
      status: row.status ?? 'submitted',
    }),
  );
  await withTown(salem.id, (tx) => tx.insert(serviceRequests).values(made));
  return made.map((r) => r.trackingNumber);
}

const clearSalem = () => withTown(salem.id, (tx) => tx.delete(serviceRequests));
const listOf = async (query: string) => {
  const result = await loadPublicRequestList(salem, filtersOf(query));
  if (result.kind !== 'list') throw new Error(`expected a list, got ${result.kind}`);
  return result.list;
};
const numbersOf = async (query: string) => (await listOf(query)).items.map((i) => i.trackingNumber);

beforeAll(async () => {
  salem = await townBySlug('salem');
  for (const row of await withTown(salem.id, (tx) => tx.select({ id: categories.id, code: categories.code }).from(categories))) categoryIds[row.code] = row.id;
});

describe('the public list', () => {
  beforeEach(clearSalem);

  it('filters by the days a request came in, midnight in the town, both days included', async () => {
    // 04:30 UTC on 1 March is 23:30 on 28 February in Salem (EST).
    const [lateFeb, firstMarch, lastMarch, april] = await addRequests([
      { at: '2026-03-01T04:30:00Z' },
      { at: '2026-03-01T05:30:00Z' },
      { at: '2026-04-01T03:59:00Z' },
      { at: '2026-04-01T04:00:00Z' },
    ]);
    expect(await numbersOf('from=2026-03-01&to=2026-03-31')).toEqual([lastMarch, firstMarch]);
    expect(await numbersOf('to=2026-02-28')).toEqual([lateFeb]);
    expect(await numbersOf('from=2026-04-01')).toEqual([april]);
    expect(await numbersOf('from=2026-03-01&to=2026-03-01')).toEqual([firstMarch]);
  });

  it('finds words in the description or the address, any case, with % and _ taken literally, and a category by what people call it', async () => {
    const [elm, hole, percent, light] = await addRequests([
      { at: '2026-03-01T12:00:00Z', address: '12 Elm Street', description: 'Deep one' },
      { at: '2026-03-02T12:00:00Z', description: 'A DEEP hole by the school' },
      { at: '2026-03-03T12:00:00Z', description: 'Sign is 100% gone' },
      { at: '2026-03-04T12:00:00Z', category: 'streetlight', description: 'Dark corner' },
    ]);
    expect(await numbersOf('q=elm street')).toEqual([elm]);
    expect(await numbersOf('q=deep')).toEqual([hole, elm]);
    expect(await numbersOf(`q=${encodeURIComponent('0% g')}`)).toEqual([percent]);
    expect(await numbersOf(`q=${encodeURIComponent('1_0')}`)).toEqual([]);
    // "streetlite" is no word of any description, but it is the streetlight category.
    expect(await numbersOf('q=streetlite')).toEqual([light]);
    expect(await numbersOf('q=street lights')).toEqual([light]);
  });

  it('combines filters, and leaves withdrawn requests out whatever the status filter', async () => {
    const [open, fixed] = await addRequests([
      { at: '2026-03-01T12:00:00Z', description: 'Elm' },
      { at: '2026-03-02T12:00:00Z', description: 'Elm', status: 'fixed' },
      { at: '2026-03-03T12:00:00Z', description: 'Elm', status: 'withdrawn' },
      { at: '2026-03-04T12:00:00Z', description: 'Elm', category: 'graffiti' },
    ]);
    expect(await numbersOf('q=elm&category=pothole')).toEqual([fixed, open]);
    expect(await numbersOf('q=elm&category=pothole&status=open')).toEqual([open]);
    expect(await numbersOf('q=elm&category=pothole&status=closed')).toEqual([fixed]);
  });

  it('orders by distance from a point ("near me"), nearest first, across pages, and says how far', async () => {
    // Created in the opposite order, so newest-first would be exactly wrong. East-west distances
    // count at their true length, not in degrees of longitude (which are shorter here).
    const [far, eastish, northish, here] = await addRequests([
      { at: '2026-03-01T12:00:00Z', lat: SALEM.lat + north(900) },
      { at: '2026-03-02T12:00:00Z', lng: SALEM.lng + east(400) },
      { at: '2026-03-03T12:00:00Z', lat: SALEM.lat + north(300) },
      { at: '2026-03-04T12:00:00Z', lat: SALEM.lat + north(5) },
    ]);
    const near = await listOf(`lat=${SALEM.lat}&lng=${SALEM.lng}`);
    expect(near.items.map((i) => i.trackingNumber)).toEqual([here, northish, eastish, far]);
    const distances = near.items.map((i) => i.distanceMeters!);
    expect(distances.map((d, i) => Math.abs(d - [5, 300, 400, 900][i]!) <= [5, 300, 400, 900][i]! * 0.03)).toEqual([true, true, true, true]);
    expect((await listOf('')).items.map((i) => i.trackingNumber)).toEqual([here, northish, eastish, far]);
    expect((await listOf('')).items[0]!.distanceMeters).toBeNull();

    const many = await addRequests(Array.from({ length: PUBLIC_LIST_PAGE_SIZE }, (_, i) => ({ at: '2026-03-05T12:00:00Z', lat: SALEM.lat + north(1000 + i * 10) })));
    const second = await numbersOf(`lat=${SALEM.lat}&lng=${SALEM.lng}&page=2`);
    expect(second).toEqual(many.slice(PUBLIC_LIST_PAGE_SIZE - 4));
  });

  it('says there is no such page past the last one, naming the last, and refuses pages deeper than the limit', async () => {
    await addRequests(Array.from({ length: PUBLIC_LIST_PAGE_SIZE + 1 }, (_, i) => ({ at: `2026-03-01T12:${String(i).padStart(2, '0')}:00Z` })));
    expect((await listOf('page=2')).items).toHaveLength(1);
    expect(await loadPublicRequestList(salem, filtersOf('page=3'))).toMatchObject({ kind: 'no_page', lastPage: 2 });
    expect(await loadPublicRequestList(salem, filtersOf('page=3&status=closed'))).toMatchObject({ kind: 'no_page', lastPage: 1 });
    expect(await loadPublicRequestList(salem, filtersOf(`page=${PUBLIC_LIST_MAX_PAGE + 1}`))).toMatchObject({ kind: 'no_page' });
    // An empty first page is a list, not a missing page.
    expect(await loadPublicRequestList(salem, filtersOf('status=closed'))).toMatchObject({ kind: 'list', list: { items: [], total: 0, pages: 1 } });
  });

  it('refuses a category the town does not have', async () => {
    const result = await loadPublicRequestList(salem, filtersOf('category=unicorns'));
    expect(result).toMatchObject({ kind: 'invalid', errors: { category: { code: 'requestList.category.unknown' } } });
    expect(result.categories.map((c) => c.code)).toContain('pothole');
  });

  it('counts exactly up to PUBLIC_LIST_COUNT_LIMIT, a lower bound past it, and still knows a deep page has a next one', async () => {
    const insert = (from: number, to: number) =>
      withTown(salem.id, (tx) =>
        tx.execute(sql`
          insert into service_requests (town_id, id, number, tracking_number, category_id, status, description, lat, lng, location_source, idempotency_key, created_at)
          select ${salem.id}::int, gen_random_uuid(), n, 'SAL-' || n, ${categoryIds.pothole}::uuid, 'submitted', 'Hole', 42.52, -70.9, 'map', 'bulk-' || n,
            now() - n * interval '1 minute'
          from generate_series(${from}::int, ${to}::int) as n`),
      );
    await insert(200001, 200000 + PUBLIC_LIST_COUNT_LIMIT);
    expect(await listOf('')).toMatchObject({ total: PUBLIC_LIST_COUNT_LIMIT, totalIsExact: true, pages: PUBLIC_LIST_COUNT_LIMIT / PUBLIC_LIST_PAGE_SIZE });
    await insert(200001 + PUBLIC_LIST_COUNT_LIMIT, 200000 + 2 * PUBLIC_LIST_COUNT_LIMIT);
    const capped = await listOf('');
    expect(capped).toMatchObject({ total: PUBLIC_LIST_COUNT_LIMIT, totalIsExact: false, pages: null });
    expect(capped.items).toHaveLength(PUBLIC_LIST_PAGE_SIZE);
    // Page 60 ends at row 1,500: counted past it, so the page after is known to exist.
    expect(await listOf('page=60')).toMatchObject({ total: 1500, totalIsExact: false, pages: null });
  });

  it('orders by distance through the GiST index (the query writes its expression exactly) and reads a map view through the location index', async () => {
    await withTown(salem.id, (tx) =>
      tx.execute(sql`
        insert into service_requests (town_id, id, number, tracking_number, category_id, status, description, lat, lng, location_source, idempotency_key)
        select ${salem.id}::int, gen_random_uuid(), n, 'SAL-' || n, ${categoryIds.pothole}::uuid, 'submitted', 'Hole', 42.5 + (n % 100) * 0.001, -70.9 + (n / 100) * 0.001, 'map', 'bulk-' || n
        from generate_series(300001, 305000) as n`),
    );
    await getDatabase().db.execute(sql`analyze service_requests`);
    const plans = await withTown(salem.id, async (tx) => {
      // A handful of rows would be scanned whole; the question is whether the index can serve at all.
      await tx.execute(sql`set local enable_seqscan = off`);
      // The list's own query, filters and all, as the page runs it.
      const nearest = selectListItems(tx, and(eq(serviceRequests.townId, salem.id), ne(serviceRequests.status, 'withdrawn'))!, { near: distanceFrom(SALEM), limit: 25 });
      const inView = tx.select({ id: serviceRequests.id }).from(serviceRequests).where(and(eq(serviceRequests.townId, salem.id), insideBox([-71, 42.5, -70.8, 42.6])));
      return [await tx.execute(sql`explain ${nearest}`), await tx.execute(sql`explain ${inView}`)];
    });
    const [nearest, inView] = plans.map((plan) => JSON.stringify(plan));
    expect(nearest).toMatch(/Index Scan using service_requests_town_point_gist .*Order By: \(point\(\(lng \* '0\.74'/);
    expect(nearest).not.toMatch(/Sort Key: \(?\(?point/);
    // Any index that takes the box as its condition (PostgreSQL 18 can skip-scan the category one too).
    expect(inView).toMatch(/Index Cond: \(\(town_id = \d+\) AND \(lat >= [^"]*\(lng <= /);
  });
});

describe('the map of every matching request', () => {
  beforeEach(clearSalem);
  const view = (bbox: string, zoom: number) => {
    const parsed = parseMapView(new URLSearchParams({ bbox, zoom: String(zoom) }));
    if (!parsed.ok) throw new Error('invalid view');
    return parsed.view;
  };
  const around = (metres: number) => [SALEM.lng - east(metres), SALEM.lat - north(metres), SALEM.lng + east(metres), SALEM.lat + north(metres)].join(',');

  it('groups close requests into one cluster at a town-wide zoom and shows each alone up close', async () => {
    const numbers = await addRequests([
      { at: '2026-03-01T12:00:00Z' },
      { at: '2026-03-02T12:00:00Z', lat: SALEM.lat + north(20) },
      { at: '2026-03-03T12:00:00Z', lat: SALEM.lat + north(40), category: 'graffiti' },
      { at: '2026-03-04T12:00:00Z', lat: SALEM.lat + north(2500) },
    ]);
    const wide = await loadRequestMap(salem, filtersOf(''), view(around(4000), 12));
    expect(wide).toMatchObject({ kind: 'map', total: 4 });
    if (wide.kind !== 'map') return;
    expect(wide.clusters.map((c) => c.count).sort()).toEqual([1, 3]);
    expect(wide.clusters.find((c) => c.count === 3)!.request).toBeNull();

    const close = await loadRequestMap(salem, filtersOf(''), view(around(100), 19));
    if (close.kind !== 'map') throw new Error('expected a map');
    expect(close.total).toBe(3);
    expect(close.clusters.map((c) => c.request?.trackingNumber).sort()).toEqual(numbers.slice(0, 3).sort());
    expect(close.clusters.find((c) => c.request?.trackingNumber === numbers[2])!.request).toMatchObject({ categoryName: 'Graffiti', status: 'submitted' });
  });

  it('maps every matching request, not one page, under the same filters as the list', async () => {
    await addRequests(Array.from({ length: PUBLIC_LIST_PAGE_SIZE * 2 + 3 }, (_, i) => ({ at: '2026-03-01T12:00:00Z', lat: SALEM.lat + north(i * 30) })));
    await addRequests([{ at: '2026-03-01T12:00:00Z', status: 'fixed' }, { at: '2026-03-01T12:00:00Z', status: 'withdrawn' }]);
    const all = await loadRequestMap(salem, filtersOf(''), view(around(5000), 11));
    expect(all).toMatchObject({ kind: 'map', total: PUBLIC_LIST_PAGE_SIZE * 2 + 4 });
    expect(await loadRequestMap(salem, filtersOf('status=closed'), view(around(5000), 11))).toMatchObject({ kind: 'map', total: 1 });
    expect(await loadRequestMap(salem, filtersOf('category=unicorns'), view(around(5000), 11))).toMatchObject({ kind: 'invalid' });
  });

  it('refuses a view that is not a box, or one too large for its zoom', async () => {
    for (const [bbox, zoom] of [['1,2,3', '12'], ['-70,42,-71,43', '12'], ['a,b,c,d', '12'], [around(100), '23'], [around(100), 'x']] as const) {
      expect([bbox, zoom, parseMapView(new URLSearchParams({ bbox, zoom })).ok]).toEqual([bbox, zoom, false]);
    }
    expect(await loadRequestMap(salem, filtersOf(''), view('-73.5,41.2,-69.9,42.9', 17))).toMatchObject({ kind: 'invalid', errors: { bbox: { code: 'requestList.view.too_large' } } });
  });
});
