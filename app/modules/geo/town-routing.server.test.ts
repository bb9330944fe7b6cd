import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LonLat } from './geometry';
import {
  BORDER_METERS,
  buildTownIndex,
  loadStatewideTownShapes,
  OFFSHORE_METERS,
  routePoint,
  routePointByFullScan,
  type RoutingResult,
  type TownShape,
} from './town-routing.server';

type Point = readonly [lon: number, lat: number];

const METERS_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;
const participating = new Set(
  (JSON.parse(readFileSync(path.join(process.cwd(), 'tenants/_statewide/participating-towns.json'), 'utf8')) as { slug: string }[]).map(
    (town) => town.slug,
  ),
);
const shapes = loadStatewideTownShapes();
const index = buildTownIndex(shapes, participating);

function shape(slug: string): TownShape {
  const found = shapes.find((candidate) => candidate.slug === slug);
  if (!found) throw new Error(`no shape for ${slug}`);
  return found;
}

function ringsOf({ geometry }: TownShape): Point[][] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.flat().map((ring) => ring.map(([lon, lat]) => [lon, lat] as const));
}

/** Each ring's edges, as `lon,lat` keys of both ends in ring order. */
function edgesOf(town: TownShape): { from: Point; to: Point; key: string }[] {
  return ringsOf(town).flatMap((ring) =>
    ring.slice(0, -1).map((from, i) => {
      const to = ring[i + 1]!;
      return { from, to, key: [from.join(), to.join()].sort().join(' ') };
    }),
  );
}

const ringsBySlug = new Map(shapes.map((town) => [town.slug, ringsOf(town)]));

/** Plain even-odd test, independent of the module's code. */
function contains(town: TownShape, [x, y]: Point): boolean {
  let inside = false;
  for (const ring of ringsBySlug.get(town.slug)!) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function moved([lon, lat]: Point, eastMeters: number, northMeters: number): Point {
  return [lon + eastMeters / (METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180)), lat + northMeters / METERS_PER_DEGREE];
}

function route([lon, lat]: Point): RoutingResult {
  return routePoint(index, lat, lon);
}

function expectTown(result: RoutingResult, slug: string, how: 'inside' | 'offshore' = 'inside') {
  expect(result.kind).toBe('town');
  if (result.kind !== 'town') throw new Error('unreachable');
  expect({ slug: result.slug, how: result.how }).toEqual({ slug, how });
  return result;
}

describe('routePoint at known places', () => {
  it.each([
    ['Somerville City Hall', 'somerville', 42.3876, -71.0995, true],
    ['Malden City Hall', 'malden', 42.4251, -71.0662, true],
    ['Northampton', 'northampton', 42.3251, -72.6412, true],
    ['Boston City Hall', 'boston', 42.3603, -71.058, false],
    ['Nantucket town centre', 'nantucket', 41.2835, -70.0995, true],
  ])('puts %s inside %s', (_place, slug, lat, lng, isParticipating) => {
    const result = expectTown(routePoint(index, lat, lng), slug);
    expect(result).toMatchObject({ participating: isParticipating, distanceMeters: 0, alternatives: [] });
  });

  it.each([
    ['5 km out in Massachusetts Bay', 42.4, -70.85],
    ['Albany, NY', 42.65, -73.75],
    ['Providence, RI', 41.824, -71.4128],
  ])('finds %s outside every town, naming the nearest one', (_place, lat, lng) => {
    const result = routePoint(index, lat, lng);
    expect(result.kind).toBe('outside');
    if (result.kind !== 'outside') return;
    expect(result.nearest!.distanceMeters).toBeGreaterThan(OFFSHORE_METERS);
    expect(result.nearest!.distanceMeters).toBeLessThan(50_000);
  });

  it('names no nearest town far from Massachusetts', () => {
    expect(routePoint(index, 40.7128, -74.006)).toEqual({ kind: 'outside', nearest: null });
  });
});

describe('routePoint at borders', () => {
  const sharedEdges = (a: string, b: string) => {
    const keys = new Set(edgesOf(shape(b)).map((edge) => edge.key));
    return edgesOf(shape(a)).filter((edge) => keys.has(edge.key));
  };

  // A vertex of their common border away from the junctions with Arlington, Medford and Boston.
  const borderVertex = (() => {
    const elsewhere = new Set(
      shapes
        .filter((town) => !['somerville', 'cambridge'].includes(town.slug))
        .flatMap((town) => ringsOf(town).flat().map((point) => point.join())),
    );
    const candidates = sharedEdges('somerville', 'cambridge')
      .map((edge) => edge.from)
      .filter((point) => !elsewhere.has(point.join()));
    return candidates[Math.floor(candidates.length / 2)]!;
  })();

  it('puts a vertex shared by Somerville and Cambridge in both, preferring the participating town', () => {
    const result = expectTown(route(borderVertex), 'somerville');
    expect(result.alternatives).toEqual([{ townId: 49, slug: 'cambridge', name: 'Cambridge', participating: false, distanceMeters: 0 }]);
  });

  it('breaks the tie by the lower MassGIS id when neither town participates', () => {
    const result = expectTown(routePoint(buildTownIndex(shapes, new Set()), borderVertex[1], borderVertex[0]), 'cambridge');
    expect(result.alternatives).toEqual([{ townId: 274, slug: 'somerville', name: 'Somerville', participating: false, distanceMeters: 0 }]);
  });

  it('offers Medford for a point 3 m inside Somerville from their border', () => {
    const length = ({ from, to }: { from: Point; to: Point }) =>
      Math.hypot((to[0] - from[0]) * Math.cos((42.4 * Math.PI) / 180), to[1] - from[1]);
    const edge = sharedEdges('somerville', 'medford').sort((a, b) => length(b) - length(a))[0]!;
    const middle: Point = [(edge.from[0] + edge.to[0]) / 2, (edge.from[1] + edge.to[1]) / 2];
    const scale = METERS_PER_DEGREE * Math.cos((middle[1] * Math.PI) / 180);
    const east = (edge.to[0] - edge.from[0]) * scale;
    const north = (edge.to[1] - edge.from[1]) * METERS_PER_DEGREE;
    // Exterior rings run counter-clockwise, so Somerville lies to the left of its own edges.
    const point = moved(middle, (-north / Math.hypot(east, north)) * 3, (east / Math.hypot(east, north)) * 3);
    expect(contains(shape('somerville'), point)).toBe(true);

    const result = expectTown(route(point), 'somerville');
    expect(result.alternatives).toHaveLength(1);
    expect(result.alternatives[0]).toMatchObject({ slug: 'medford', participating: false });
    expect(result.alternatives[0]!.distanceMeters).toBeCloseTo(3, 2);
    expect(BORDER_METERS).toBeGreaterThan(3);
  });

  it('routes a point 50 m off Revere Beach to Revere, offshore', () => {
    const inland = new Set(shapes.filter((town) => town.slug !== 'revere').flatMap((town) => edgesOf(town).map((edge) => edge.key)));
    const coast = edgesOf(shape('revere'))
      .filter((edge) => !inland.has(edge.key) && edge.from[1] > 42.41 && edge.from[1] < 42.43)
      .map((edge) => edge.from);
    const beachVertex = coast.sort((a, b) => b[0] - a[0])[0]!;
    const point = moved(beachVertex, 50, 0);
    expect(shapes.filter((town) => contains(town, point))).toEqual([]);

    const result = expectTown(route(point), 'revere', 'offshore');
    expect(result.participating).toBe(true);
    expect(result.distanceMeters).toBeGreaterThan(0);
    expect(result.distanceMeters).toBeLessThanOrEqual(50.001);
  });
});

describe('routePoint on any geometry', () => {
  const square = (west: number, south: number, size: number): LonLat[] => [
    [west, south],
    [west + size, south],
    [west + size, south + size],
    [west, south + size],
    [west, south],
  ];
  const synthetic = buildTownIndex(
    [
      // A town with a hole, an enclave filling the hole, and a two-part town.
      {
        townId: 1,
        slug: 'ring',
        name: 'Ring',
        geometry: { type: 'Polygon', coordinates: [square(-71, 42, 0.1), square(-70.96, 42.04, 0.02).reverse()] },
      },
      { townId: 2, slug: 'enclave', name: 'Enclave', geometry: { type: 'Polygon', coordinates: [square(-70.96, 42.04, 0.02)] } },
      {
        townId: 3,
        slug: 'islands',
        name: 'Islands',
        geometry: { type: 'MultiPolygon', coordinates: [[square(-70.8, 42, 0.01)], [square(-70.7, 42, 0.01)]] },
      },
    ],
    new Set(['enclave']),
  );

  it('honours holes and every part of a multipolygon', () => {
    expect(routePoint(synthetic, 42.01, -70.99)).toMatchObject({ slug: 'ring', how: 'inside' });
    expect(routePoint(synthetic, 42.05, -70.95)).toMatchObject({ slug: 'enclave', how: 'inside', alternatives: [] });
    expect(routePoint(synthetic, 42.005, -70.795)).toMatchObject({ slug: 'islands', how: 'inside' });
    expect(routePoint(synthetic, 42.005, -70.695)).toMatchObject({ slug: 'islands', how: 'inside' });
    expect(routePoint(synthetic, 42.005, -70.75)).toMatchObject({ kind: 'outside', nearest: { slug: 'islands' } });
  });

  it('puts a point on an enclave border in both towns, preferring the participating one', () => {
    expect(routePoint(synthetic, 42.05, -70.96)).toMatchObject({
      slug: 'enclave',
      alternatives: [{ slug: 'ring', distanceMeters: 0 }],
    });
  });

  it('rejects coordinates that are not on Earth', () => {
    for (const [lat, lng] of [
      [NaN, -71],
      [42, NaN],
      [90.5, -71],
      [42, -180.5],
      [Infinity, 0],
    ] as const) {
      expect(() => routePoint(synthetic, lat, lng)).toThrow(RangeError);
    }
  });
});

describe('the grid index', () => {
  let seed = 20_130_717;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;

  it('agrees with a full scan and with a plain even-odd test on 2,000 random points', () => {
    const kinds = { inside: 0, offshore: 0, outside: 0 };
    for (let i = 0; i < 2000; i++) {
      const point: Point = [-73.51 + random() * 3.59, 41.23 + random() * 1.66];
      const result = route(point);
      expect(result, point.join()).toEqual(routePointByFullScan(index, point[1], point[0]));
      const containing = shapes.filter((town) => contains(town, point)).map((town) => town.slug);
      if (result.kind === 'town' && result.how === 'inside') expect(containing, point.join()).toEqual([result.slug]);
      else expect(containing, point.join()).toEqual([]);
      kinds[result.kind === 'town' ? result.how : 'outside']++;
    }
    expect(kinds.inside).toBeGreaterThan(700);
    expect(kinds.outside).toBeGreaterThan(500);
  });

  it('agrees with a full scan on 2,000 points within 150 m of a boundary vertex', () => {
    const vertices = shapes.flatMap(ringsOf).flat();
    const kinds = { inside: 0, offshore: 0, outside: 0, withAlternatives: 0 };
    for (let i = 0; i < 2000; i++) {
      const vertex = vertices[Math.floor(random() * vertices.length)]!;
      const point = moved(vertex, (random() - 0.5) * 300, (random() - 0.5) * 300);
      const result = route(point);
      expect(result, point.join()).toEqual(routePointByFullScan(index, point[1], point[0]));
      kinds[result.kind === 'town' ? result.how : 'outside']++;
      if (result.kind === 'town' && result.alternatives.length > 0) kinds.withAlternatives++;
    }
    expect(kinds.offshore).toBeGreaterThan(50);
    expect(kinds.withAlternatives).toBeGreaterThan(50);
  });
});
