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
  it('without Mapbox keeps the text, files it with the town it was reported to, and says so on the page', async () => {
    const response = await submit({ address: 'Behind the library' });
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

  it('falls back to the town when Mapbox finds nothing or refuses the token', async () => {
    process.env.MAPBOX_TOKEN = 'pk.test-token';
    expect((await stored(await submit({ address: 'Nowhere in particular' }))).row.locationSource).toBe('address');
    process.env.MAPBOX_TOKEN = 'pk.revoked';
    expect((await stored(await submit({ address: '93 Highland Ave' }))).row.locationSource).toBe('address');
  });
});
