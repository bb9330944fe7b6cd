import type { FeatureCollection } from '~/modules/geo/town-boundaries.server';
import { loader } from './geo.towns[.]geojson';

const get = () => loader({ request: new Request('http://localhost:3000/geo/towns.geojson'), params: {}, context: { clientIp: '127.0.0.1' } });

describe('GET /geo/towns.geojson', () => {
  it('serves every participating town as a GeoJSON feature with its accent colour', async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/geo+json');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=300');

    const collection = (await response.json()) as FeatureCollection;
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(45);
    const somerville = collection.features.find((f) => f.properties.slug === 'somerville');
    expect(somerville).toMatchObject({ type: 'Feature', properties: { name: 'Somerville', accentColor: expect.stringMatching(/^#[0-9a-f]{6}$/i) } });
    expect(['Polygon', 'MultiPolygon']).toContain(somerville!.geometry.type);
    const [lng, lat] = somerville!.geometry.type === 'Polygon' ? somerville!.geometry.coordinates[0]![0]! : somerville!.geometry.coordinates[0]![0]![0]!;
    expect(lng).toBeCloseTo(-71.1, 0);
    expect(lat).toBeCloseTo(42.39, 0);
  });

  it('keeps a multi-part town in one MultiPolygon feature', async () => {
    const collection = (await (await get()).json()) as FeatureCollection;
    const nantucket = collection.features.find((f) => f.properties.slug === 'nantucket');
    expect(nantucket?.geometry.type).toBe('MultiPolygon');
  });
});
