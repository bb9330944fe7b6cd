import { eq } from 'drizzle-orm';
import { setupServer } from 'msw/node';
import { serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { action as reportAction } from '~/routes/report';
import { loader as requestLoader } from '~/routes/requests.$trackingNumber';
import { mapboxGeocodingHandlers, type GeocodeCall } from '../mocks/mapbox';
import { browserRequest, townBySlug } from '../factories';
import { PLACES, reportRequest, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const calls: GeocodeCall[] = [];
const server = setupServer(...mapboxGeocodingHandlers({ '93 Highland Ave': PLACES.somervilleCityHall, 'Malden Square': PLACES.maldenCityHall }, calls));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  delete process.env.MAPBOX_TOKEN;
});
afterAll(() => server.close());

const submit = (fields: Record<string, string>) =>
  settle(reportAction({ request: reportRequest(SOMERVILLE, { category: 'other', description: 'By address', ...fields }), params: {}, context: { clientIp: '1' } }));

async function stored(response: Response) {
  const trackingNumber = new URL(response.headers.get('Location')!).pathname.split('/').pop()!;
  const town = await townBySlug(trackingNumber.startsWith('MAL') ? 'malden' : 'somerville');
  const [row] = await withTown(town.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)));
  return { trackingNumber, row: row! };
}

describe('a location given only as an address', () => {
  it('without Mapbox never routes silently: an address naming no town is confirmed, kept as text and marked approximate', async () => {
    const asked = await submit({ address: 'Behind the library' });
    expect(asked.status).toBe(200);
    const question = await asked.json();
    expect(question.confirm).toMatchObject({ choices: [{ slug: 'somerville' }], suggested: 'somerville' });
    expect(question.confirm.message).toMatch(/the spot is approximate: a pin on the map or your location would help the crew/);
    // The next step carries no made-up point: the address stays an address.
    expect(question.values.lat).toBeUndefined();
    const response = await submit({ address: 'Behind the library', confirmTown: 'somerville' });
    expect(response.status).toBe(302);
    const { trackingNumber, row } = await stored(response);
    expect(row).toMatchObject({ address: 'Behind the library', locationSource: 'address' });
    const page = await (await requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: { clientIp: '1' } })).json();
    expect(page.request.locationApproximate).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it('with MAPBOX_TOKEN is geocoded near the town, inside Massachusetts, and routed like a pin', async () => {
    process.env.MAPBOX_TOKEN = 'pk.test-token';
    const response = await submit({ address: '93 Highland Ave' });
    const { row } = await stored(response);
    expect(row).toMatchObject({ locationSource: 'geocoded', address: '93 Highland Ave' });
    expect(row.lat).toBeCloseTo(PLACES.somervilleCityHall.lat, 5);
    const call = calls.at(-1)!;
    expect(call.query).toBe('93 Highland Ave');
    expect(call.params.get('bbox')).toBe('-73.51,41.23,-69.92,42.89');

    const elsewhere = await submit({ address: 'Malden Square' });
    expect(elsewhere.status).toBe(200);
    expect((await elsewhere.json()).confirm.message).toMatch(/This spot is in Malden/);
  });

  it('falls back to the town named in the address when Mapbox finds nothing or refuses the token', async () => {
    process.env.MAPBOX_TOKEN = 'pk.test-token';
    expect((await stored(await submit({ address: 'Nowhere in particular, Somerville' }))).row.locationSource).toBe('address');
    process.env.MAPBOX_TOKEN = 'pk.revoked';
    expect((await stored(await submit({ address: '93 Highland Ave, Somerville, MA 02143' }))).row.locationSource).toBe('address');
  });

  it('without a geocoder, recognises the town or village named and asks before sending it elsewhere', async () => {
    // Named as a village of the site's own town: filed at once.
    expect((await submit({ address: '12 Broadway, Winter Hill' })).status).toBe(302);
    const maldenNamed = await (await submit({ address: '200 Pleasant St, Malden' })).json();
    expect(maldenNamed.confirm).toMatchObject({ suggested: 'malden', choices: [{ slug: 'malden' }, { slug: 'somerville' }] });
    const filed = await submit({ address: '200 Pleasant St, Malden', confirmTown: 'malden' });
    const { trackingNumber, row } = await stored(filed);
    expect(trackingNumber).toMatch(/^MAL-/);
    expect(row).toMatchObject({ address: '200 Pleasant St, Malden', locationSource: 'address' });
    // A municipality outside the program is offered as "it's on the … side", and then named with where to go.
    const boston = await (await submit({ address: '1 City Hall Sq, West Roxbury' })).json();
    expect(boston.confirm.elsewhere).toEqual([{ slug: 'boston', name: 'Boston' }]);
    const refused = await (await submit({ address: '1 City Hall Sq, West Roxbury', confirmTown: 'boston' })).json();
    expect(refused.notParticipating).toMatchObject({ name: 'Boston' });
  });
});
