/**
 * The one geometry type for town boundaries (registry files, the towns table, routing, the maps
 * and a town admin's upload), and pure geometry on it: reading and validating an uploaded
 * boundary, areas and overlaps (geodesic, by turf), bounding boxes and an SVG outline.
 * Coordinates are [lon, lat].
 */
import turfArea from '@turf/area';
import turfBbox from '@turf/bbox';
import { feature, featureCollection } from '@turf/helpers';
import turfIntersect from '@turf/intersect';

/** A GeoJSON position; an altitude, where a file has one, is carried along and never used. */
export type LonLat = [lon: number, lat: number, ...altitude: number[]];
export type TownGeometry = { type: 'Polygon'; coordinates: LonLat[][] } | { type: 'MultiPolygon'; coordinates: LonLat[][][] };
export type BBox = [minX: number, minY: number, maxX: number, maxY: number];

export const BOUNDARY_MAX_BYTES = 5 * 1024 * 1024;
/** A MassGIS town at full resolution has a few thousand vertices; this bounds the work per upload. */
export const BOUNDARY_MAX_VERTICES = 100_000;
// ~1 cm: finer than any survey, so rounding cannot fold a densely drawn border back on itself,
// while float noise (-71.09999999999999) goes and the stored JSON stays compact.
const COORDINATE_SCALE = 1e7;
// A ring smaller than this (a few square metres) is a digitising slip, not part of a town.
const MIN_RING_SQUARE_METERS = 1;

export type ParsedBoundary = { ok: true; geometry: TownGeometry; vertexCount: number } | { ok: false; message: string };

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
  if (turfArea({ type: 'Polygon', coordinates: [ring] }) < MIN_RING_SQUARE_METERS) return { message: `${where} encloses no area.` };
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
  const geometry: TownGeometry = type === 'Polygon' ? { type, coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons };
  const crossing = findCrossing(polygons);
  if (crossing) return fail(`The boundary crosses itself near ${crossing[0].toFixed(5)}, ${crossing[1].toFixed(5)}.`);
  return { ok: true, geometry, vertexCount: vertexCountOf(geometry) };
}

export function polygonsOf(geometry: TownGeometry): LonLat[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export function ringsOf(geometry: TownGeometry): LonLat[][] {
  return polygonsOf(geometry).flat();
}

export function vertexCountOf(geometry: TownGeometry): number {
  return ringsOf(geometry).reduce((sum, ring) => sum + ring.length - 1, 0);
}

export function boundingBox(geometry: TownGeometry): BBox {
  return turfBbox(geometry) as BBox;
}

/** The box around several boxes (all of Massachusetts, or two boundaries drawn on one frame). */
export function unionOfBoxes(boxes: BBox[]): BBox {
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

function boxesOverlap(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

export function areaSquareMeters(geometry: TownGeometry): number {
  return turfArea(geometry);
}

/** Square metres two boundaries share; a shared border alone is none, and holes count as outside. */
export function overlapSquareMeters(a: TownGeometry, b: TownGeometry): number {
  if (!boxesOverlap(boundingBox(a), boundingBox(b))) return 0;
  const shared = turfIntersect(featureCollection([feature(a), feature(b)]));
  return shared ? turfArea(shared) : 0;
}

// --- Self-intersection ---------------------------------------------------------------------------
// Hand-written rather than @turf/kinks: kinks also reports rings that merely touch at a vertex,
// which the official MassGIS boundaries of Sudbury and Wayland do, and ignoring those would let a
// spike that folds back onto a vertex through.

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

// --- SVG outline ---------------------------------------------------------------------------------

export type Outline = { viewBox: string; width: number; height: number; paths: string[] };

// Points closer than this (in SVG units) to the last kept one add nothing visible.
const OUTLINE_MIN_STEP = 0.75;

/** Outlines of several boundaries on one shared frame (for "current vs new"); one path per geometry, even-odd filled. */
export function outlineOf(geometries: TownGeometry[], width = 480, padding = 4): Outline {
  const [minX, minY, maxX, maxY] = unionOfBoxes(geometries.map(boundingBox));
  const xScale = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const unitsPerDegree = (width - 2 * padding) / Math.max((maxX - minX) * xScale, 1e-9);
  const height = Math.ceil((maxY - minY) * unitsPerDegree + 2 * padding);
  const project = ([lon, lat]: LonLat): [number, number] => [padding + (lon - minX) * xScale * unitsPerDegree, padding + (maxY - lat) * unitsPerDegree];
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
