import { areaSquareMeters, outlineOf, overlapSquareMeters, parseBoundary, type LonLat, type TownGeometry } from './geometry';

/** A square of `side` degrees with its south-west corner at (lon, lat), counter-clockwise and closed. */
const square = (lon: number, lat: number, side: number): LonLat[] => [
  [lon, lat],
  [lon + side, lat],
  [lon + side, lat + side],
  [lon, lat + side],
  [lon, lat],
];
const polygon = (...rings: LonLat[][]): TownGeometry => ({ type: 'Polygon', coordinates: rings });
const parse = (value: unknown) => parseBoundary(typeof value === 'string' ? value : JSON.stringify(value));
const messageOf = (value: unknown) => {
  const result = parse(value);
  return result.ok ? 'accepted' : result.message;
};

describe('parseBoundary', () => {
  it('accepts a Feature, a one-feature FeatureCollection and bare Polygon/MultiPolygon, rounding to 7 decimals (about 1 cm)', () => {
    const ring: LonLat[] = [
      [-71.100000004, 42.4],
      [-71.09, 42.4],
      [-71.09, 42.41],
      [-71.100000004, 42.4],
    ];
    const geometry = { type: 'Polygon', coordinates: [ring] };
    for (const wrapped of [geometry, { type: 'Feature', properties: {}, geometry }, { type: 'FeatureCollection', features: [{ type: 'Feature', geometry }] }]) {
      const result = parse(wrapped);
      expect(result).toMatchObject({ ok: true, vertexCount: 3 });
      if (result.ok) expect(result.geometry.coordinates[0]![0]).toEqual([-71.1, 42.4]);
    }
    expect(parse({ type: 'MultiPolygon', coordinates: [[square(-71.1, 42.4, 0.01)], [square(-71.0, 42.4, 0.01)]] })).toMatchObject({ ok: true, vertexCount: 8 });
  });

  it.each([
    ['{"type": "Polygon", ', /not valid JSON/],
    [[1, 2], /one GeoJSON object/],
    [{ type: 'LineString', coordinates: [[-71, 42], [-71.1, 42.1]] }, /Polygon or MultiPolygon, not a LineString/],
    [{ type: 'FeatureCollection', features: [] }, /holds 0 features/],
    [{ type: 'Feature', geometry: null }, /has no geometry/],
    [{ type: 'Polygon', coordinates: [] }, /has no coordinates/],
    [{ type: 'Polygon', coordinates: [[[-71, 42], [-71.1, 42], [-71, 42]]] }, /Ring 1 \(the outer ring\) has 3 positions/],
    [{ type: 'Polygon', coordinates: [square(-71.1, 42.4, 0.01).slice(0, 4).concat([[-71.1, 42.401]])] }, /is not closed/],
    [{ type: 'Polygon', coordinates: [[[-71, 42], ['-71.1', 42], [-71.1, 42.1], [-71, 42]]] }, /position 2 is not a \[longitude, latitude\] pair/],
    [{ type: 'Polygon', coordinates: [[[-71, 42], [-71.1, 95], [-71.1, 42.1], [-71, 42]]] }, /out of range/],
    [{ type: 'Polygon', coordinates: [[[-71, 42], [-71.1, 42], [-71.2, 42], [-71, 42]]] }, /encloses no area/],
    [{ type: 'MultiPolygon', coordinates: [[square(-71.1, 42.4, 0.01)], []] }, /Polygon 2 has no rings/],
  ])('refuses %j: %s', (value, message) => {
    expect(messageOf(value)).toMatch(message);
  });

  it('refuses a ring that crosses itself (a bow tie) and a spike that folds back', () => {
    // Lopsided, so its signed area is not zero and only the crossing can refuse it.
    const bowTie: LonLat[] = [
      [-71.1, 42.4],
      [-71.08, 42.41],
      [-71.08, 42.4],
      [-71.1, 42.415],
      [-71.1, 42.4],
    ];
    expect(messageOf(polygon(bowTie))).toMatch(/crosses itself near/);
    const spike: LonLat[] = [
      [-71.1, 42.4],
      [-71.09, 42.4],
      [-71.08, 42.4],
      [-71.09, 42.4],
      [-71.09, 42.41],
      [-71.1, 42.4],
    ];
    expect(messageOf(polygon(spike))).toMatch(/crosses itself/);
    expect(messageOf(polygon(square(-71.1, 42.4, 0.02), square(-71.105, 42.41, 0.01)))).toMatch(/crosses itself/);
  });

  it('keeps a densely drawn border (vertices decimetres apart) valid after rounding', () => {
    // A tilted square: rounding points of a diagonal edge to a coarse grid would zigzag them.
    const corners: LonLat[] = [
      [-71.1, 42.4],
      [-71.0990013, 42.4007071],
      [-71.0997084, 42.4017084],
      [-71.1007071, 42.4010013],
      [-71.1, 42.4],
    ];
    const dense: LonLat[] = [];
    for (let i = 0; i < 4; i++) {
      const [[ax, ay], [bx, by]] = [corners[i]!, corners[i + 1]!];
      for (let k = 0; k < 500; k++) dense.push([ax + ((bx - ax) * k) / 500, ay + ((by - ay) * k) / 500]);
    }
    expect(parse(polygon([...dense, dense[0]!]))).toMatchObject({ ok: true, vertexCount: 2000 });
  });

  it('accepts a hole inside its shell', () => {
    expect(parse(polygon(square(-71.1, 42.4, 0.02), square(-71.095, 42.405, 0.005)))).toMatchObject({ ok: true });
  });
});

describe('areas and overlaps', () => {
  const lat = 42.4;
  const metersPerDegreeLat = (6_371_008.8 * Math.PI) / 180;
  const kx = metersPerDegreeLat * Math.cos((lat * Math.PI) / 180);

  it('measures a square and subtracts its hole', () => {
    const side = 0.01;
    const expected = side * kx * side * metersPerDegreeLat;
    // The expected value is a flat estimate at the square's base; the geodesic area is within 0.05% of it.
    expect(areaSquareMeters(polygon(square(-71.1, lat, side))) / expected).toBeCloseTo(1, 3);
    expect(areaSquareMeters(polygon(square(-71.1, lat, side), square(-71.0975, lat + 0.0025, side / 2))) / expected).toBeCloseTo(0.75, 3);
  });

  it('measures the overlap of two squares, and none for neighbours sharing an edge', () => {
    const a = polygon(square(-71.1, lat, 0.01));
    const b = polygon(square(-71.095, lat + 0.005, 0.01));
    const quarter = areaSquareMeters(a) / 4;
    expect(overlapSquareMeters(a, b) / quarter).toBeCloseTo(1, 2);
    expect(overlapSquareMeters(a, polygon(square(-71.09, lat, 0.01)))).toBeLessThan(0.01);
    expect(overlapSquareMeters(a, a) / areaSquareMeters(a)).toBeCloseTo(1, 3);
  });

  it('does not count a hole as overlap', () => {
    const donut = polygon(square(-71.1, lat, 0.02), square(-71.095, lat + 0.005, 0.01));
    const inHole = polygon(square(-71.094, lat + 0.006, 0.008));
    expect(overlapSquareMeters(donut, inHole)).toBe(0);
  });
});

describe('outlineOf', () => {
  it('draws every geometry on one frame, one path each', () => {
    const outline = outlineOf([polygon(square(-71.1, 42.4, 0.01)), polygon(square(-71.095, 42.405, 0.01))], 200, 0);
    expect(outline.width).toBe(200);
    expect(outline.paths).toHaveLength(2);
    expect(outline.paths[0]).toMatch(/^M0 \d+(\.\d)?L/);
    expect(outline.paths[1]).toMatch(/Z$/);
  });
});
