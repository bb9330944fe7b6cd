import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { serviceRequests, towns } from '#db/schema';
import { withTown } from '#db/scope';
import { listMunicipalities } from '~/modules/geo/municipalities.server';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import { action as reportAction, loader as reportLoader } from '~/routes/report';
import { browserRequest, townBySlug } from '../factories';
import { uuidv7 } from '#db/ids';
import { multipartRequest, PLACES, reportRequest, settle } from '../requests';

const STATEWIDE = 'http://localhost:3000';
const SOMERVILLE = 'http://somerville.localhost:3000';

type RouteFunction = (args: never) => Promise<Response>;
const call = (fn: RouteFunction, request: Request) => settle(fn({ request, params: {}, context: { clientIp: '10.7.0.1' } } as never));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the step the entry answered, whichever it is
const entry = async (query: Record<string, string>): Promise<Record<string, any>> => (await (await call(reportLoader, browserRequest(`${STATEWIDE}/report?${new URLSearchParams(query)}`))).json()) as Record<string, unknown>;
const at = (place: { lat: number; lng: number }) => ({ lat: String(place.lat), lng: String(place.lng), locationSource: 'device' });

/** A vertex Somerville and Cambridge (not in the program) share: a spot on their border. */
function somervilleCambridgeBorder(): { lat: string; lng: string } {
  const rings = (slug: string) => {
    const g = listMunicipalities().find((m) => m.slug === slug)!.geometry;
    return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat(2) as [number, number][];
  };
  const cambridge = new Set(rings('cambridge').map((p) => p.join()));
  const others = new Set(listMunicipalities().filter((m) => !['somerville', 'cambridge'].includes(m.slug)).flatMap((m) => rings(m.slug).map((p) => p.join())));
  const shared = rings('somerville').filter((p) => cambridge.has(p.join()) && !others.has(p.join()));
  const [lng, lat] = shared[Math.floor(shared.length / 2)]!;
  return { lat: String(lat), lng: String(lng) };
}

describe('the statewide report entry', () => {
  it('asks where first, and a spot in Malden gets Malden’s own form', async () => {
    expect((await entry({})).statewide).toEqual({ kind: 'locate', errors: {}, values: {}, geocoder: false });
    const malden = await entry(at(PLACES.maldenCityHall));
    expect(malden.statewide).toEqual({ kind: 'report' });
    expect(malden.town.name).toBe('Malden');
    expect(malden.initialLocation).toEqual({ lat: '42.425100', lng: '-71.066200', source: 'device', address: '' });
    const maldenCategories = malden.form.groups.flatMap((g: { categories: { code: string }[] }) => g.categories.map((c) => c.code));
    expect(maldenCategories).toContain('pothole');
  });

  it('files the report in the town that contains the spot and sends the resident to its tracking page on the town’s host', async () => {
    const query = new URLSearchParams(at(PLACES.maldenCityHall));
    const request = multipartRequest(`${STATEWIDE}/report?${query}`, { idempotencyKey: uuidv7(), category: 'pothole', description: 'Reported from the statewide site', ...at(PLACES.maldenCityHall) });
    const response = await call(reportAction, request);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location')!);
    expect(location.origin).toBe('http://malden.localhost:3000');
    expect(location.pathname).toMatch(/^\/requests\/MAL-\d+$/);
    const malden = await townBySlug('malden');
    const [row] = await withTown(malden.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, location.pathname.split('/').pop()!)));
    expect(row!.description).toBe('Reported from the statewide site');
  });

  it('refuses a post that has no place yet, and writes nothing', async () => {
    const response = await call(reportAction, reportRequest(`${STATEWIDE}/report`, { category: 'pothole', description: 'Nowhere' }));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Say where the problem is first/);
  });

  it('names a city that does not use Commonwealth Connect and says where to go instead', async () => {
    const boston = await entry(at(PLACES.bostonCityHall));
    expect(boston.statewide).toMatchObject({
      kind: 'not_participating',
      municipality: { slug: 'boston', name: 'Boston' },
      guidance: { requestSystem: 'https://www.boston.gov/departments/boston-311', directoryUrl: expect.stringMatching(/^https:\/\//) },
    });
  });

  it('asks which side of a border, offering the non-participating side too, which then gives its guidance', async () => {
    const border = { ...somervilleCambridgeBorder(), locationSource: 'map' };
    const asked = await entry(border);
    expect(asked.statewide).toMatchObject({ kind: 'choose_town', choices: [{ slug: 'somerville' }], elsewhere: [{ slug: 'cambridge', name: 'Cambridge' }] });
    expect((await entry({ ...border, town: 'cambridge' })).statewide).toMatchObject({ kind: 'not_participating', municipality: { name: 'Cambridge' } });
    expect((await entry({ ...border, town: 'somerville' })).town.name).toBe('Somerville');
  });

  it('says a spot outside Massachusetts is outside, next to the location', async () => {
    const outside = await entry(at(PLACES.albanyNY));
    expect(outside.statewide.kind).toBe('locate');
    expect(outside.statewide.errors.location).toMatch(/not in a Massachusetts city or town/);
    const half = await entry({ lat: '42.4' });
    expect(half.statewide.errors.location).toBeDefined();
    const nonsense = await entry({ lat: 'north', lng: '-71' });
    expect(nonsense.statewide.errors.lat).toBeDefined();
  });

  it('without a geocoder, asks for the town of an address and keeps the spot approximate', async () => {
    const asked = await entry({ address: '200 Pleasant St' });
    expect(asked.statewide).toMatchObject({ kind: 'choose_town', location: null, address: '200 Pleasant St' });
    expect(asked.statewide.choices.map((c: { slug: string }) => c.slug)).toContain('malden');
    const malden = await entry({ address: '200 Pleasant St', town: 'malden' });
    expect(malden.town.name).toBe('Malden');
    expect(malden.initialLocation).toEqual({ lat: '', lng: '', source: 'coordinates', address: '200 Pleasant St' });
    expect((await entry({ address: 'Tremont St', town: 'boston' })).statewide).toMatchObject({ kind: 'not_participating', municipality: { name: 'Boston' } });
  });

  it('without a geocoder, recognises the town or village an address names', async () => {
    const malden = await entry({ address: '200 Pleasant St, Malden, MA 02148' });
    expect(malden.statewide).toEqual({ kind: 'report' });
    expect(malden.town.name).toBe('Malden');
    expect((await entry({ address: '5 Centre St, West Roxbury' })).statewide).toMatchObject({ kind: 'not_participating', municipality: { name: 'Boston' } });
    // A village three municipalities share: the resident picks, the non-participating ones included.
    const shared = await entry({ address: 'Hammond Pond Pkwy, Chestnut Hill' });
    expect(shared.statewide).toMatchObject({ kind: 'choose_town', location: null, choices: [{ slug: 'newton' }] });
    expect(shared.statewide.elsewhere.map((c: { slug: string }) => c.slug).sort()).toEqual(['boston', 'brookline']);
  });

  it('tells the resident when the town of the spot takes no reports now', async () => {
    await getDatabase().db.update(towns).set({ grantEnd: '2020-01-01' }).where(eq(towns.slug, 'malden'));
    invalidateTownCaches();
    try {
      const closed = await entry(at(PLACES.maldenCityHall));
      expect(closed.statewide).toEqual({ kind: 'closed' });
      expect(closed.closedBecause).toBe('lapsed');
      expect(closed.form).toBeNull();
    } finally {
      await getDatabase().db.update(towns).set({ grantEnd: '2099-01-01' }).where(eq(towns.slug, 'malden'));
      invalidateTownCaches();
    }
  });
});

describe('the border prompt on a town’s site', () => {
  it('offers "it’s on the Cambridge side" next to sending it to Somerville, and then says how to reach Cambridge', async () => {
    const border = somervilleCambridgeBorder();
    const fields = { category: 'pothole', description: 'On the line', ...border, locationSource: 'map' };
    const asked = await (await call(reportAction, reportRequest(`${SOMERVILLE}/report`, fields))).json();
    expect(asked.confirm.choices).toEqual([{ slug: 'somerville', name: 'Somerville' }]);
    expect(asked.confirm.elsewhere).toEqual([{ slug: 'cambridge', name: 'Cambridge' }]);
    const response = await call(reportAction, reportRequest(`${SOMERVILLE}/report`, { ...fields, confirmTown: 'cambridge' }));
    expect(response.status).toBe(422);
    const refused = await response.json();
    expect(refused.errors.location).toMatch(/Cambridge, which does not use Commonwealth Connect/);
    expect(refused.notParticipating).toMatchObject({ name: 'Cambridge', guidance: { requestSystem: null } });
  });
});
