import { categories, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { loader as mapLoader } from '~/routes/geo.requests[.]json';
import { loader as listLoader } from '~/routes/requests._index';
import type { TownProfile } from '~/utils/town-profile.server';
import { requestRow, townBySlug } from '../factories';
import { settle } from '../requests';

// Woburn's public list, with requests made here (the registry's towns start with none).
const WOBURN = 'http://woburn.localhost:3000';
const HERE = { lat: 42.4793, lng: -71.1523 };
const metresNorth = (m: number) => HERE.lat + m / 111_320;

type RouteFunction = (args: never) => Promise<Response>;
const call = (fn: RouteFunction, url: string) => settle(fn({ request: new Request(url), params: {}, context: { clientIp: '10.8.0.1' } } as never));
const list = (query: string) => call(listLoader as RouteFunction, `${WOBURN}/requests${query}`);
const map = (query: string) => call(mapLoader as RouteFunction, `${WOBURN}/geo/requests.json${query}`);
type ListPage = {
  values: Record<string, string>;
  errors: Record<string, string>;
  list: { items: { trackingNumber: string; distanceMeters: number | null }[]; total: number; pages: number | null; next: string | null; previous: string | null } | null;
  noPage: { page: string; last: string } | null;
  map: { dataUrl: string; pin: { lat: number; lng: number } | null } | null;
};
const page = async (response: Response) => (await response.json()) as ListPage;
const numbers = (data: ListPage) => data.list!.items.map((i) => i.trackingNumber);

let woburn: TownProfile;
const made: Record<string, string> = {};

beforeAll(async () => {
  woburn = await townBySlug('woburn');
  const ids = Object.fromEntries((await withTown(woburn.id, (tx) => tx.select({ id: categories.id, code: categories.code }).from(categories))).map((c) => [c.code, c.id]));
  const rows = {
    // Oldest first; "here" is nearest the point and newest.
    far: requestRow(woburn, ids.pothole!, { createdAt: new Date('2026-01-10T15:00:00Z'), lat: metresNorth(2000), lng: HERE.lng, description: 'Deep hole on Main Street' }),
    closedElm: requestRow(woburn, ids.graffiti!, { createdAt: new Date('2026-02-10T15:00:00Z'), lat: metresNorth(600), lng: HERE.lng, description: 'Tags on a wall', address: '5 Elm Street', status: 'fixed' }),
    light: requestRow(woburn, ids.streetlight!, { createdAt: new Date('2026-03-10T15:00:00Z'), lat: metresNorth(300), lng: HERE.lng, description: 'Dark corner' }),
    here: requestRow(woburn, ids.pothole!, { createdAt: new Date('2026-04-10T15:00:00Z'), lat: metresNorth(10), lng: HERE.lng, description: 'Hole by the school' }),
  };
  await withTown(woburn.id, (tx) => tx.insert(serviceRequests).values(Object.values(rows)));
  for (const [name, row] of Object.entries(rows)) made[name] = row.trackingNumber;
});

describe('the public list /requests', () => {
  it('lists every public request, newest first, with the map of all of them', async () => {
    const response = await list('');
    expect(response.status).toBe(200);
    const data = await page(response);
    expect(numbers(data)).toEqual([made.here, made.light, made.closedElm, made.far]);
    expect(data.list).toMatchObject({ total: 4, pages: 1, next: null, previous: null });
    expect(data.map).toMatchObject({ dataUrl: '/geo/requests.json?', pin: null });
  });

  it('filters by date range, in the town’s days', async () => {
    expect(numbers(await page(await list('?from=2026-02-01&to=2026-03-31')))).toEqual([made.light, made.closedElm]);
    expect(numbers(await page(await list('?to=2026-01-10')))).toEqual([made.far]);
  });

  it('filters by words in the description, the address or the kind of problem', async () => {
    expect(numbers(await page(await list('?q=elm+street')))).toEqual([made.closedElm]);
    expect(numbers(await page(await list('?q=HOLE')))).toEqual([made.here, made.far]);
    expect(numbers(await page(await list('?q=streetlite')))).toEqual([made.light]);
    expect(numbers(await page(await list('?q=hole&status=open&from=2026-04-01')))).toEqual([made.here]);
  });

  it('orders nearest first from a point ("near me"), with how far, a decimal comma accepted, and the map centred there', async () => {
    const data = await page(await list(`?lat=${String(HERE.lat).replace('.', ',')}&lng=${HERE.lng}`));
    expect(numbers(data)).toEqual([made.here, made.light, made.closedElm, made.far]);
    expect(data.list!.items.map((i) => Math.round(i.distanceMeters! / 10) * 10)).toEqual([10, 300, 600, 2000]);
    expect(data.map!.pin).toEqual(HERE);
    expect(data.map!.dataUrl).toBe(`/geo/requests.json?lat=${HERE.lat}&lng=${HERE.lng}`);
    // Filters still apply; the order is by distance, not age.
    expect(numbers(await page(await list(`?lat=${metresNorth(2000)}&lng=${HERE.lng}&category=pothole`)))).toEqual([made.far, made.here]);
  });

  it('answers 404 past the last page, linking to the last one, and 404 for a page deeper than any list goes', async () => {
    const response = await list('?status=open&page=2');
    expect(response.status).toBe(404);
    expect(await page(response)).toMatchObject({ list: null, noPage: { page: '2', last: '?status=open' } });
    expect((await list('?page=401')).status).toBe(404);
    expect((await list('?page=1')).status).toBe(200);
    expect((await list('?status=closed&q=nothing+like+this')).status).toBe(200);
  });

  it('refuses bad filters with a clear message next to each, keeps what was typed, and lists nothing', async () => {
    const response = await list('?status=pending&from=2026-02-30&to=2026-01-01&q=ab&lat=42.4&page=x');
    expect(response.status).toBe(400);
    const data = await page(response);
    expect(data.errors).toEqual({
      status: 'Choose open, closed or all',
      from: 'Enter the first day as a date, for example 2026-05-01',
      q: 'Type at least 3 letters to search for',
      page: 'The page must be a whole number, 1 or more',
    });
    expect(data.values).toEqual({ status: 'pending', from: '2026-02-30', to: '2026-01-01', q: 'ab', lat: '42.4', page: 'x' });
    expect(data).toMatchObject({ list: null, map: null });

    // Once each field is readable, the checks between fields speak too.
    expect((await page(await list('?from=2026-03-01&to=2026-01-01&lat=42.4'))).errors).toEqual({
      to: 'The last day must be on or after the first day',
      lng: 'Enter both the latitude and the longitude, or neither',
    });
    const unknown = await list('?category=unicorns');
    expect(unknown.status).toBe(400);
    expect((await page(unknown)).errors).toEqual({ category: 'Choose a category from the list' });
  });

  it('answers 400 for control characters and 404 on the statewide site', async () => {
    expect((await list('?q=hole%00')).status).toBe(400);
    expect((await call(listLoader as RouteFunction, 'http://localhost:3000/requests')).status).toBe(404);
  });
});

describe('the map data /geo/requests.json', () => {
  const WIDE = 'bbox=-71.3,42.4,-71.0,42.6&zoom=11';
  type MapData = { clusters: { count: number; request: { trackingNumber: string } | null }[]; total: number; errors?: Record<string, string> };

  it('clusters every request the list’s filters match, for the view asked about; cacheable briefly', async () => {
    const response = await map(`?${WIDE}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=30');
    expect(((await response.json()) as MapData).total).toBe(4);
    expect(((await (await map(`?${WIDE}&status=closed`)).json()) as MapData).total).toBe(1);
    const close = (await (await map(`?bbox=${HERE.lng - 0.001},${HERE.lat - 0.001},${HERE.lng + 0.001},${HERE.lat + 0.001}&zoom=18`)).json()) as MapData;
    expect(close.clusters.map((c) => c.request?.trackingNumber)).toEqual([made.here]);
  });

  it('refuses bad filters or a bad view with a message, as JSON', async () => {
    const response = await map('?bbox=1,2,3&zoom=12&from=nope');
    expect(response.status).toBe(400);
    expect(((await response.json()) as MapData).errors).toEqual({
      from: 'Enter the first day as a date, for example 2026-05-01',
      bbox: 'The map view must be a box (west,south,east,north) and a zoom level from 0 to 22',
    });
    expect((await map('?bbox=-73.5,41.2,-69.9,42.9&zoom=18')).status).toBe(400);
    expect((await map(`?${WIDE}&category=unicorns`)).status).toBe(400);
    expect((await map('')).status).toBe(400);
  });
});
