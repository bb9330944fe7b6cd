import { boundingBox, ringsOf, unionOfBoxes } from './geometry';
import { loadStatewideTownShapes, type TownShape } from './town-routing.server';

export type MapShape = {
  slug: string;
  name: string;
  /** SVG path data: one `M…Z` subpath per ring; render with fill-rule evenodd so holes stay empty. */
  path: string;
  labelX: number;
  labelY: number;
};

export type StatewideMap = { viewBox: string; width: number; height: number; shapes: MapShape[] };

type Point = [x: number, y: number];

const MAP_WIDTH = 1000;
// Keeps the state line's stroke (and a focused border town's thick outline) inside the viewBox.
const MAP_PADDING = 5;
// ~0.15 km on the ground: below what a 1000-unit-wide map can show, and it cuts the path data
// to about a third of the source vertices.
const SIMPLIFY_TOLERANCE = 0.6;

// Massachusetts spans only 41.2°–42.9°N, so scaling longitude by the cosine of one mid-latitude
// keeps east-west distances within ~1.5% of true everywhere in the state; a conic projection
// would be invisible at this size and is not worth the code.
const LONGITUDE_SCALE = Math.cos((42.2 * Math.PI) / 180);

type Projection = { project: (lon: number, lat: number) => Point; width: number; height: number };

let cache: { map: StatewideMap; projection: Projection } | undefined;

export function getStatewideMap(): StatewideMap {
  return load().map;
}

/** Projects WGS84 lon/lat into the map's SVG coordinates (unrounded). */
export function projectLonLat(lon: number, lat: number): Point {
  return load().projection.project(lon, lat);
}

function load() {
  if (!cache) {
    const features = loadStatewideTownShapes();
    const projection = fitProjection(features);
    const shapes = features.map((feature) => toShape(feature, projection.project));
    cache = {
      projection,
      map: {
        viewBox: `0 0 ${projection.width} ${projection.height}`,
        width: projection.width,
        height: projection.height,
        shapes,
      },
    };
  }
  return cache;
}

function fitProjection(features: TownShape[]): Projection {
  const [minLon, minLat, maxLon, maxLat] = unionOfBoxes(features.map((feature) => boundingBox(feature.geometry)));
  const unitsPerDegreeLat = (MAP_WIDTH - 2 * MAP_PADDING) / ((maxLon - minLon) * LONGITUDE_SCALE);
  return {
    width: MAP_WIDTH,
    height: Math.ceil((maxLat - minLat) * unitsPerDegreeLat + 2 * MAP_PADDING),
    project: (lon, lat) => [
      MAP_PADDING + (lon - minLon) * LONGITUDE_SCALE * unitsPerDegreeLat,
      MAP_PADDING + (maxLat - lat) * unitsPerDegreeLat,
    ],
  };
}

function toShape(feature: TownShape, project: Projection['project']): MapShape {
  const rings = ringsOf(feature.geometry)
    .map((ring) => toSvgRing(simplify(ring.map(([lon, lat]) => project(lon, lat)), SIMPLIFY_TOLERANCE)))
    .filter((ring) => ring.length >= 3);
  const { slug, name } = feature;
  const largestRing = rings.reduce<Point[] | undefined>(
    (largest, ring) => (!largest || Math.abs(signedArea(ring)) > Math.abs(signedArea(largest)) ? ring : largest),
    undefined,
  );
  if (!largestRing) throw new Error(`${slug} vanished when simplified; lower SIMPLIFY_TOLERANCE`);
  const [labelX, labelY] = centroid(largestRing);
  return {
    slug,
    name,
    path: rings.map((ring) => `M${ring.map(([x, y]) => `${x} ${y}`).join('L')}Z`).join(''),
    labelX: roundToTenth(labelX),
    labelY: roundToTenth(labelY),
  };
}

/** Rounds to the 0.1-unit grid, dropping points that land on the one before and the closing repeat (`Z` closes). */
function toSvgRing(points: Point[]): Point[] {
  const rounded: Point[] = [];
  for (const [x, y] of points) {
    const point: Point = [roundToTenth(x), roundToTenth(y)];
    const previous = rounded.at(-1);
    if (!previous || previous[0] !== point[0] || previous[1] !== point[1]) rounded.push(point);
  }
  const [first] = rounded;
  const last = rounded.at(-1);
  if (rounded.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) rounded.pop();
  return rounded;
}

function roundToTenth(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Douglas–Peucker. Works on closed rings too: with first === last the baseline is a point, so the farthest vertex splits it. */
function simplify(points: Point[], tolerance: number): Point[] {
  if (points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const spans: [number, number][] = [[0, points.length - 1]];
  for (let span = spans.pop(); span; span = spans.pop()) {
    const [start, end] = span;
    let farthestIndex = -1;
    let farthestDistance = tolerance;
    for (let i = start + 1; i < end; i++) {
      const distance = distanceToSegment(points[i]!, points[start]!, points[end]!);
      if (distance > farthestDistance) {
        farthestIndex = i;
        farthestDistance = distance;
      }
    }
    if (farthestIndex !== -1) {
      keep[farthestIndex] = 1;
      spans.push([start, farthestIndex], [farthestIndex, end]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function signedArea(ring: Point[]): number {
  let twiceArea = 0;
  ring.forEach(([x0, y0], i) => {
    const [x1, y1] = ring[(i + 1) % ring.length]!;
    twiceArea += x0 * y1 - x1 * y0;
  });
  return twiceArea / 2;
}

function centroid(ring: Point[]): Point {
  const area = signedArea(ring);
  let cx = 0;
  let cy = 0;
  ring.forEach(([x0, y0], i) => {
    const [x1, y1] = ring[(i + 1) % ring.length]!;
    const cross = x0 * y1 - x1 * y0;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  });
  return [cx / (6 * area), cy / (6 * area)];
}
