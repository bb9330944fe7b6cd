/**
 * Pure geometry for a town admin's boundary upload: reading and validating GeoJSON, areas, the
 * overlap between two boundaries and an SVG outline. Coordinates are [lon, lat]; distances and
 * areas use a local equirectangular projection, well under 1% off across a Massachusetts town.
 */

export type LonLat = [lon: number, lat: number];
export type BoundaryGeometry = { type: 'Polygon'; coordinates: LonLat[][] } | { type: 'MultiPolygon'; coordinates: LonLat[][][] };
type Box = { minX: number; minY: number; maxX: number; maxY: number };

export const BOUNDARY_MAX_BYTES = 5 * 1024 * 1024;
/** A MassGIS town at full resolution has a few thousand vertices; this bounds the work per upload. */
export const BOUNDARY_MAX_VERTICES = 100_000;
// ~1 cm: finer than any survey, so rounding cannot fold a densely drawn border back on itself,
// while float noise (-71.09999999999999) goes and the stored JSON stays compact.
const COORDINATE_SCALE = 1e7;
const METERS_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;
// A ring smaller than this (a few square metres) is a digitising slip, not part of a town.
const MIN_RING_SQUARE_METERS = 1;

export type ParsedBoundary = { ok: true; geometry: BoundaryGeometry; vertexCount: number } | { ok: false; message: string };

const fail = (message: string) => ({ ok: false as const, message });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Feature, a FeatureCollection of exactly one Feature, or a bare Polygon/MultiPolygon. */
function geometryIn(value: unknown): { geometry: Record<string, unknown> } | { message: string } {
  if (!isRecord(value)) return { message: 'The file must hold one GeoJSON object (a Feature or a Polygon).' };
  if (value.type === 'FeatureCollection') {
    const features = value.features;
    if (!Array.isArray(features)) return { message: 'This FeatureCollection has no "features" list.' };
    if (features.length !== 1) return { message: `This FeatureCollection holds ${features.length} features; upload exactly one: the town's boundary.` };
    return geometryIn(features[0]);
  }
  if (value.type === 'Feature') {
    if (!isRecord(value.geometry)) return { message: 'This Feature has no geometry.' };
    return geometryIn(value.geometry);
  }
  if (value.type === 'Polygon' || value.type === 'MultiPolygon') return { geometry: value };
  return { message: `A boundary must be a Polygon or MultiPolygon, not ${typeof value.type === 'string' ? `a ${value.type}` : 'an object without a GeoJSON type'}.` };
}

function roundCoordinate(value: number): number {
  return Math.round(value * COORDINATE_SCALE) / COORDINATE_SCALE;
}

function readRing(raw: unknown, where: string): { ring: LonLat[] } | { message: string } {
  if (!Array.isArray(raw)) return { message: `${where} is not a list of positions.` };
  if (raw.length < 4) return { message: `${where} has ${raw.length} positions; a closed ring needs at least 4 (the first one repeated at the end).` };
  const ring: LonLat[] = [];
  for (const [i, position] of raw.entries()) {
    const [lon, lat] = Array.isArray(position) ? (position as unknown[]) : [];
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      return { message: `${where}, position ${i + 1} is not a [longitude, latitude] pair of numbers.` };
    }
    if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      return { message: `${where}, position ${i + 1} (${lon}, ${lat}) is out of range: longitude must be within ±180 and latitude within ±90.` };
    }
    const point: LonLat = [roundCoordinate(lon), roundCoordinate(lat)];
    const previous = ring.at(-1);
    if (!previous || previous[0] !== point[0] || previous[1] !== point[1]) ring.push(point);
  }
  const first = raw[0] as number[];
  const last = raw.at(-1) as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return { message: `${where} is not closed: its last position must repeat its first.` };
  // Rounding may have merged the closing position into its neighbour; keep the ring explicitly closed.
  const [start] = ring;
  const end = ring.at(-1)!;
  if (start![0] !== end[0] || start![1] !== end[1]) ring.push([start![0], start![1]]);
  if (ring.length < 4) return { message: `${where} has fewer than 3 distinct corners.` };
  if (Math.abs(ringArea(ring, metersPerDegreeLon(ring[0]![1]))) < MIN_RING_SQUARE_METERS) return { message: `${where} encloses no area.` };
  return { ring };
}

/** Parses and validates an uploaded boundary; the geometry comes back rounded to ~1 cm and with doubled vertices removed. */
export function parseBoundary(text: string): ParsedBoundary {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`This file is not valid JSON (${error instanceof Error ? error.message : 'unreadable'}).`);
  }
  const found = geometryIn(value);
  if ('message' in found) return fail(found.message);
  const { type, coordinates } = found.geometry;
  if (!Array.isArray(coordinates) || coordinates.length === 0) return fail(`This ${String(type)} has no coordinates.`);
  const rawPolygons: unknown[] = type === 'Polygon' ? [coordinates] : coordinates;
  const polygons: LonLat[][][] = [];
  let vertexCount = 0;
  for (const [p, rawPolygon] of rawPolygons.entries()) {
    const name = type === 'Polygon' ? '' : `Polygon ${p + 1}, `;
    if (!Array.isArray(rawPolygon) || rawPolygon.length === 0) return fail(type === 'Polygon' ? 'The polygon has no rings.' : `Polygon ${p + 1} has no rings.`);
    const rings: LonLat[][] = [];
    for (const [r, rawRing] of rawPolygon.entries()) {
      const where = `${name}${name ? 'ring' : 'Ring'} ${r + 1}${r === 0 ? ' (the outer ring)' : ' (a hole)'}`;
      vertexCount += Array.isArray(rawRing) ? rawRing.length : 0;
      if (vertexCount > BOUNDARY_MAX_VERTICES) return fail(`This boundary has more than ${BOUNDARY_MAX_VERTICES.toLocaleString('en-US')} vertices; simplify it first.`);
      const read = readRing(rawRing, where);
      if ('message' in read) return fail(read.message);
      rings.push(read.ring);
    }
    polygons.push(rings);
  }
  const geometry: BoundaryGeometry = type === 'Polygon' ? { type, coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons };
  const crossing = findCrossing(polygons);
  if (crossing) return fail(`The boundary crosses itself near ${crossing[0].toFixed(5)}, ${crossing[1].toFixed(5)}.`);
  return { ok: true, geometry, vertexCount: ringsOf(geometry).reduce((sum, ring) => sum + ring.length - 1, 0) };
}

export function polygonsOf(geometry: BoundaryGeometry): LonLat[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export function ringsOf(geometry: BoundaryGeometry): LonLat[][] {
  return polygonsOf(geometry).flat();
}

export function vertexCountOf(geometry: BoundaryGeometry): number {
  return ringsOf(geometry).reduce((sum, ring) => sum + ring.length - 1, 0);
}

export function boundingBox(geometry: BoundaryGeometry): Box {
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const ring of ringsOf(geometry)) {
    for (const [x, y] of ring) {
      box.minX = Math.min(box.minX, x);
      box.minY = Math.min(box.minY, y);
      box.maxX = Math.max(box.maxX, x);
      box.maxY = Math.max(box.maxY, y);
    }
  }
  return box;
}

function boxesOverlap(a: Box, b: Box): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;
}

function metersPerDegreeLon(lat: number): number {
  return METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
}

/** Signed shoelace area in square metres, at a fixed east-west scale. */
function ringArea(ring: LonLat[], kx: number): number {
  let twice = 0;
  for (let i = 0; i + 1 < ring.length; i++) twice += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return (twice / 2) * kx * METERS_PER_DEGREE;
}

export function areaSquareMeters(geometry: BoundaryGeometry): number {
  const box = boundingBox(geometry);
  const kx = metersPerDegreeLon((box.minY + box.maxY) / 2);
  return polygonsOf(geometry).reduce(
    (sum, [shell, ...holes]) => sum + Math.abs(ringArea(shell!, kx)) - holes.reduce((h, hole) => h + Math.abs(ringArea(hole, kx)), 0),
    0,
  );
}

// --- Self-intersection ---------------------------------------------------------------------------

type Segment = { ax: number; ay: number; bx: number; by: number };

function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

/** Where two edges cross, or overlap along a line (a spike folding back, a doubled edge); sharing one corner is fine. */
function brokenAt(s: Segment, t: Segment): LonLat | null {
  const o1 = orientation(s.ax, s.ay, s.bx, s.by, t.ax, t.ay);
  const o2 = orientation(s.ax, s.ay, s.bx, s.by, t.bx, t.by);
  const o3 = orientation(t.ax, t.ay, t.bx, t.by, s.ax, s.ay);
  const o4 = orientation(t.ax, t.ay, t.bx, t.by, s.bx, s.by);
  if (o1 * o2 < 0 && o3 * o4 < 0) return [t.ax, t.ay];
  if (o1 !== 0 || o2 !== 0) return null;
  const alongX = Math.abs(s.bx - s.ax) >= Math.abs(s.by - s.ay);
  const [s0, s1] = alongX ? [Math.min(s.ax, s.bx), Math.max(s.ax, s.bx)] : [Math.min(s.ay, s.by), Math.max(s.ay, s.by)];
  const [t0, t1] = alongX ? [Math.min(t.ax, t.bx), Math.max(t.ax, t.bx)] : [Math.min(t.ay, t.by), Math.max(t.ay, t.by)];
  return Math.min(s1, t1) - Math.max(s0, t0) > 0 ? [t.ax, t.ay] : null;
}

/** The first place where edges of the geometry cross, found with a uniform grid so it stays near-linear. */
function findCrossing(polygons: LonLat[][][]): LonLat | null {
  const segments: Segment[] = [];
  for (const ring of polygons.flat()) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i]!;
      const [bx, by] = ring[i + 1]!;
      segments.push({ ax, ay, bx, by });
    }
  }
  let box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const s of segments) {
    box = { minX: Math.min(box.minX, s.ax, s.bx), minY: Math.min(box.minY, s.ay, s.by), maxX: Math.max(box.maxX, s.ax, s.bx), maxY: Math.max(box.maxY, s.ay, s.by) };
  }
  const side = Math.max(1, Math.min(1024, Math.ceil(Math.sqrt(segments.length))));
  const cellWidth = (box.maxX - box.minX) / side || 1;
  const cellHeight = (box.maxY - box.minY) / side || 1;
  const cellOf = (value: number, min: number, size: number) => Math.min(side - 1, Math.max(0, Math.floor((value - min) / size)));
  const cells = new Map<number, number[]>();
  segments.forEach((s, k) => {
    for (let row = cellOf(Math.min(s.ay, s.by), box.minY, cellHeight); row <= cellOf(Math.max(s.ay, s.by), box.minY, cellHeight); row++) {
      for (let col = cellOf(Math.min(s.ax, s.bx), box.minX, cellWidth); col <= cellOf(Math.max(s.ax, s.bx), box.minX, cellWidth); col++) {
        const key = row * side + col;
        const list = cells.get(key);
        if (list) list.push(k);
        else cells.set(key, [k]);
      }
    }
  });
  for (const list of cells.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const at = brokenAt(segments[list[i]!]!, segments[list[j]!]!);
        if (at) return at;
      }
    }
  }
  return null;
}

// --- Overlap by scanlines ------------------------------------------------------------------------

/**
 * A boundary cut by evenly spaced east-west lines. On each line the inside is a set of intervals
 * (even-odd over every ring, so holes and multipolygons count right); intersecting two boundaries'
 * intervals line by line and summing length × spacing gives their overlap area (midpoint rule).
 */
export type Scan = { y0: number; dy: number; kx: number; box: Box; lines: number[][] };

// Lines ~2 m apart on a town (at most 5,000): a sliver along a shared border is measured, not missed.
const SCAN_SPACING_METERS = 2;
const SCAN_MAX_LINES = 5_000;

function crossingsOnLines(geometry: BoundaryGeometry, y0: number, dy: number, lineCount: number): number[][] {
  const lines: number[][] = Array.from({ length: lineCount }, () => []);
  for (const ring of ringsOf(geometry)) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i]!;
      const [bx, by] = ring[i + 1]!;
      if (ay === by) continue;
      // Lines k with y_k = y0 + (k + 0.5) dy in [min(ay, by), max(ay, by)): half-open, so a vertex on a line counts once.
      const from = Math.max(0, Math.ceil((Math.min(ay, by) - y0) / dy - 0.5));
      const to = Math.min(lineCount - 1, Math.ceil((Math.max(ay, by) - y0) / dy - 0.5) - 1);
      for (let k = from; k <= to; k++) {
        const y = y0 + (k + 0.5) * dy;
        lines[k]!.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
      }
    }
  }
  for (const line of lines) {
    line.sort((a, b) => a - b);
    if (line.length % 2 === 1) line.pop();
  }
  return lines;
}

export function scanBoundary(geometry: BoundaryGeometry): Scan {
  const box = boundingBox(geometry);
  const heightMeters = (box.maxY - box.minY) * METERS_PER_DEGREE;
  const lineCount = Math.max(1, Math.min(SCAN_MAX_LINES, Math.ceil(heightMeters / SCAN_SPACING_METERS)));
  const dy = (box.maxY - box.minY) / lineCount;
  return { y0: box.minY, dy, kx: metersPerDegreeLon((box.minY + box.maxY) / 2), box, lines: crossingsOnLines(geometry, box.minY, dy, lineCount) };
}

function intersectionLength(a: number[], b: number[]): number {
  let length = 0;
  let i = 0;
  let j = 0;
  while (i + 1 < a.length && j + 1 < b.length) {
    const overlap = Math.min(a[i + 1]!, b[j + 1]!) - Math.max(a[i]!, b[j]!);
    if (overlap > 0) length += overlap;
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return length;
}

/** Square metres that `other` shares with the scanned boundary. */
export function overlapSquareMeters(scan: Scan, other: BoundaryGeometry): number {
  if (!boxesOverlap(scan.box, boundingBox(other))) return 0;
  const otherLines = crossingsOnLines(other, scan.y0, scan.dy, scan.lines.length);
  let degrees = 0;
  scan.lines.forEach((line, k) => {
    if (line.length > 0 && otherLines[k]!.length > 0) degrees += intersectionLength(line, otherLines[k]!);
  });
  return degrees * scan.kx * scan.dy * METERS_PER_DEGREE;
}

// --- SVG outline ---------------------------------------------------------------------------------

export type Outline = { viewBox: string; width: number; height: number; paths: string[] };

// Points closer than this (in SVG units) to the last kept one add nothing visible.
const OUTLINE_MIN_STEP = 0.75;

/** Outlines of several boundaries on one shared frame (for "current vs new"); one path per geometry, even-odd filled. */
export function outlineOf(geometries: BoundaryGeometry[], width = 480, padding = 4): Outline {
  const boxes = geometries.map(boundingBox);
  const box = {
    minX: Math.min(...boxes.map((b) => b.minX)),
    minY: Math.min(...boxes.map((b) => b.minY)),
    maxX: Math.max(...boxes.map((b) => b.maxX)),
    maxY: Math.max(...boxes.map((b) => b.maxY)),
  };
  const xScale = Math.cos((((box.minY + box.maxY) / 2) * Math.PI) / 180);
  const unitsPerDegree = (width - 2 * padding) / Math.max((box.maxX - box.minX) * xScale, 1e-9);
  const height = Math.ceil((box.maxY - box.minY) * unitsPerDegree + 2 * padding);
  const project = ([lon, lat]: LonLat): [number, number] => [padding + (lon - box.minX) * xScale * unitsPerDegree, padding + (box.maxY - lat) * unitsPerDegree];
  const round = (v: number) => Math.round(v * 10) / 10;
  const paths = geometries.map((geometry) =>
    ringsOf(geometry)
      .map((ring) => {
        const kept: [number, number][] = [];
        for (const position of ring) {
          const point = project(position);
          const last = kept.at(-1);
          if (!last || Math.hypot(point[0] - last[0], point[1] - last[1]) >= OUTLINE_MIN_STEP) kept.push(point);
        }
        return kept.length >= 3 ? `M${kept.map(([x, y]) => `${round(x)} ${round(y)}`).join('L')}Z` : '';
      })
      .join(''),
  );
  return { viewBox: `0 0 ${width} ${height}`, width, height, paths };
}
