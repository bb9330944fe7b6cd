import { setupServer } from 'msw/node';
import { loader as suggestionsLoader } from '~/routes/geo.addresses';
import { mapboxGeocodingHandlers, type GeocodeCall } from '../mocks/mapbox';
import { PLACES, settle } from '../requests';

const calls: GeocodeCall[] = [];
const server = setupServer(...mapboxGeocodingHandlers({ '93 Highland': PLACES.somervilleCityHall }, calls));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  delete process.env.MAPBOX_TOKEN;
});
afterAll(() => server.close());

const suggest = async (search: string) => {
  const response = await settle(suggestionsLoader({ request: new Request(`http://somerville.localhost:3000/geo/addresses?${search}`), params: {}, context: { clientIp: '1' } } as never));
  return { response, body: (await response.json()) as { suggestions: { label: string; lat: number; lng: number }[] } };
};

describe('address suggestions as the resident types', () => {
  it('asks Mapbox for Massachusetts places near the page’s town, and answers what it found', async () => {
    process.env.MAPBOX_TOKEN = 'pk.test-token';
    const { response, body } = await suggest('q=93+Highland&lat=42.3876&lng=-71.0995');
    expect(body.suggestions).toEqual([{ label: '93 Highland', lat: PLACES.somervilleCityHall.lat, lng: PLACES.somervilleCityHall.lng }]);
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=3600');
    const call = calls.at(-1)!;
    expect(call.params.get('bbox')).toBe('-73.51,41.23,-69.92,42.89');
    expect(call.params.get('autocomplete')).toBe('true');
    expect(call.params.get('proximity')).toBe('-71.0995,42.3876');
  });

  it('asks nobody without a token, for under three letters, or for a point outside the state', async () => {
    const before = calls.length;
    expect((await suggest('q=93+Highland')).body.suggestions).toEqual([]);
    process.env.MAPBOX_TOKEN = 'pk.test-token';
    expect((await suggest('q=93')).body.suggestions).toEqual([]);
    expect((await suggest('q=93+Highland&lat=40.7&lng=-74.0')).body.suggestions).toEqual([]);
    expect(calls.length).toBe(before);
  });

  it('answers no suggestions, not an error, when Mapbox refuses the token', async () => {
    process.env.MAPBOX_TOKEN = 'pk.revoked';
    const { response, body } = await suggest('q=93+Highland');
    expect(response.status).toBe(200);
    expect(body.suggestions).toEqual([]);
  });
});
