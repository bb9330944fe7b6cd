/**
 * Which Massachusetts municipality a reported point belongs to. Pure: no database, no HTTP; the
 * caller builds an index once (and again whenever a boundary or the participating set changes)
 * and then routes points in microseconds.
 *
 * The index is a uniform grid over the boundaries' bounding box. Each cell lists the boundary
 * segments that pass through it and records which town holds its south-east corner, so
 * point-in-polygon needs only the cell's own segments: the even-odd parity at the point is the
 * corner's parity, flipped by every segment crossed on the way from the corner up the cell's east
 * edge and then west to the point. Distances use the same cells.
 */
import { ringsOf, type TownGeometry } from './geometry';
import { listMunicipalities } from './municipalities.server';

/** One municipality; `townId` is the MassGIS TOWN_ID (1-351), used in the tie-break. */
export type TownShape = { townId: number; slug: string; name: string; geometry: TownGeometry };

type TownSummary = { townId: number; slug: string; name: string; participating: boolean };
export type RoutingAlternative = TownSummary & { distanceMeters: number };

export type RoutingResult =
  | (TownSummary & {
      kind: 'town';
      /** offshore: in no polygon, but within OFFSHORE_METERS of this town's boundary (the nearest one). */
      how: 'inside' | 'offshore';
      /** 0 when inside. */
      distanceMeters: number;
      /** Other towns that could be meant, nearest first; non-empty means the resident must confirm the town. */
      alternatives: RoutingAlternative[];
    })
  | { kind: 'outside'; nearest: { townId: number; slug: string; name: string; distanceMeters: number } | null };

/** Inside a town, other towns whose boundary is this close are offered as alternatives. */
export const BORDER_METERS = 10;
/** Reports from piers and boats: a point in no polygon but this close to a boundary goes to that town. */
export const OFFSHORE_METERS = 100;
/** Beyond this, an `outside` result names no nearest town. */
export const NEAREST_TOWN_MAX_METERS = 50_000;
/** Closer than this to a boundary counts as on it, hence inside; far below the data's 1.1 m rounding. */
const ON_BORDER_METERS = 0.001;

const METERS_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;
// ~1.6 km × 2.2 km: border cells hold a few dozen segments, and a 100 m search touches at most four cells.
const CELL_DEGREES = 0.02;
// The data is rounded to 1e-5°; shifting the grid lines off that lattice keeps vertices off them.
const GRID_SHIFT_X = 0.37e-5;
const GRID_SHIFT_Y = 0.61e-5;
// A crossing this close to a grid line or to the point makes the local parity untrustworthy in
// floating point; such (practically never seen) lookups fall back to a full scan.
const DEGENERATE_DEGREES = 1e-9;
const NO_TOWN = -1;
const UNDECIDED = -2;

type Grid = {
  cols: number;
  rows: number;
  originX: number;
  originY: number;
  /** cols + 1 and rows + 1 entries; cell (row, col) is [columnEdges[col], columnEdges[col + 1]) × [rowEdges[row], rowEdges[row + 1]). */
  columnEdges: Float64Array;
  rowEdges: Float64Array;
  /** Segments of cell c are cellSegments[cellStart[c] .. cellStart[c + 1]). */
  cellStart: Uint32Array;
  cellSegments: Uint32Array;
  /** Town (index) holding the cell's south-east corner, NO_TOWN, or UNDECIDED (use a full scan). */
  cornerTown: Int32Array;
  /** Chebyshev distance, in cells, to the nearest cell with a segment (0: this one has some). */
  ringsToSegments: Uint16Array;
};

type IndexData = {
  towns: TownSummary[];
  /** ax, ay, bx, by (lon/lat) per segment, each ring's edges in ring order, towns contiguous. */
  segments: Float64Array;
  segmentTown: Int32Array;
  /** Town t owns segments townSegmentStart[t] .. townSegmentStart[t + 1]. */
  townSegmentStart: Uint32Array;
  /** minX, minY, maxX, maxY per town. */
  townBoxes: Float64Array;
  grid: Grid;
};

const INDEX = Symbol('TownIndex');
export type TownIndex = { readonly [INDEX]: IndexData };

/**
 * `participatingSlugs` is part of the index (not of TownShape) because it comes from the town
 * registry while shapes come from the statewide file; rebuild when either changes.
 */
export function buildTownIndex(shapes: readonly TownShape[], participatingSlugs: ReadonlySet<string>): TownIndex {
  if (shapes.length === 0) throw new RangeError('buildTownIndex needs at least one town');
  const slugs = new Set(shapes.map((shape) => shape.slug));
  if (slugs.size !== shapes.length || new Set(shapes.map((shape) => shape.townId)).size !== shapes.length) {
    throw new Error('Town shapes must have unique slugs and townIds');
  }
  const unknown = [...participatingSlugs].filter((slug) => !slugs.has(slug));
  if (unknown.length > 0) throw new Error(`Participating towns without a shape: ${unknown.join(', ')}`);

  const towns = shapes.map(({ townId, slug, name }) => ({ townId, slug, name, participating: participatingSlugs.has(slug) }));
  const { segments, segmentTown, townSegmentStart, townBoxes } = flattenSegments(shapes);
  return { [INDEX]: { towns, segments, segmentTown, townSegmentStart, townBoxes, grid: buildGrid(segments, segmentTown) } };
}

/** The 351 municipalities' shapes as MassGIS draws them (a copy: callers swap in edited boundaries). */
export function loadStatewideTownShapes(): TownShape[] {
  return listMunicipalities().map(({ townId, slug, name, geometry }) => ({ townId, slug, name, geometry }));
}

export function routePoint(index: TownIndex, lat: number, lng: number): RoutingResult {
  return route(index[INDEX], lat, lng, gridLookup);
}

/** The same answers as routePoint, by scanning every town (bounding box, then polygon): the reference for tests and benchmarks. */
export function routePointByFullScan(index: TownIndex, lat: number, lng: number): RoutingResult {
  return route(index[INDEX], lat, lng, scanLookup);
}

/** The query point with its local equirectangular scale (metres per degree). */
type Probe = { x: number; y: number; kx: number; ky: number };

type Lookup = {
  townsContaining(data: IndexData, x: number, y: number): number[];
  /** Town → distance in metres to its nearest segment, for towns within `radius`. */
  townsNear(data: IndexData, probe: Probe, radius: number): Map<number, number>;
  nearestTown(data: IndexData, probe: Probe, maxDistance: number): { town: number; distance: number } | null;
};

function route(data: IndexData, lat: number, lng: number, lookup: Lookup): RoutingResult {
  if (!(lat >= -90 && lat <= 90)) throw new RangeError(`Latitude out of range: ${lat}`);
  if (!(lng >= -180 && lng <= 180)) throw new RangeError(`Longitude out of range: ${lng}`);
  const probe: Probe = { x: lng, y: lat, kx: METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180), ky: METERS_PER_DEGREE };

  const inside = lookup.townsContaining(data, lng, lat);
  const near = lookup.townsNear(data, probe, inside.length > 0 ? BORDER_METERS : OFFSHORE_METERS);
  for (const [town, distance] of near) {
    if (distance <= ON_BORDER_METERS && !inside.includes(town)) inside.push(town);
  }

  if (inside.length > 0) {
    const candidates = inside.map((town) => candidateOf(data, town, 0));
    for (const [town, distance] of near) {
      if (distance <= BORDER_METERS && !inside.includes(town)) candidates.push(candidateOf(data, town, distance));
    }
    return townResult(candidates.sort(byPreference), 'inside');
  }
  if (near.size > 0) {
    return townResult(Array.from(near, ([town, distance]) => candidateOf(data, town, distance)).sort(byPreference), 'offshore');
  }
  const nearest = lookup.nearestTown(data, probe, NEAREST_TOWN_MAX_METERS);
  if (!nearest) return { kind: 'outside', nearest: null };
  const { townId, slug, name } = data.towns[nearest.town]!;
  return { kind: 'outside', nearest: { townId, slug, name, distanceMeters: nearest.distance } };
}

function candidateOf(data: IndexData, town: number, distanceMeters: number): RoutingAlternative {
  const { townId, slug, name, participating } = data.towns[town]!;
  return { townId, slug, name, participating, distanceMeters };
}

/** The first of the ranked candidates is the town; the rest are its alternatives. */
function townResult([home, ...alternatives]: RoutingAlternative[], how: 'inside' | 'offshore'): RoutingResult {
  const { townId, slug, name, participating, distanceMeters } = home!;
  return { kind: 'town', townId, slug, name, participating, how, distanceMeters, alternatives };
}

/** Nearest first, then by compareTowns. */
function byPreference(a: RoutingAlternative, b: RoutingAlternative): number {
  return a.distanceMeters - b.distanceMeters || compareTowns(a, b);
}

/** The tie-break on a shared border: a participating town first, then the lowest MassGIS id. */
function compareTowns(a: TownSummary, b: TownSummary): number {
  return Number(b.participating) - Number(a.participating) || a.townId - b.townId;
}

/** Keeps the preferred town among those offered within `maxDistance`. */
class NearestTown {
  best: { town: number; distance: number } | null = null;
  private readonly towns: TownSummary[];
  private readonly maxDistance: number;

  constructor(towns: TownSummary[], maxDistance: number) {
    this.towns = towns;
    this.maxDistance = maxDistance;
  }

  /** Nothing farther than this can still win. */
  get reach(): number {
    return this.best?.distance ?? this.maxDistance;
  }

  offer(town: number, distance: number): void {
    if (distance > this.reach) return;
    const { best } = this;
    if (!best || distance < best.distance || compareTowns(this.towns[town]!, this.towns[best.town]!) < 0) this.best = { town, distance };
  }
}

const gridLookup: Lookup = {
  townsContaining(data, x, y) {
    const { grid, segments, segmentTown } = data;
    const col = cellColumn(grid, x);
    const row = cellRow(grid, y);
    if (col < 0 || row < 0) return [];
    const cell = row * grid.cols + col;
    const corner = grid.cornerTown[cell]!;
    if (corner === UNDECIDED) return scanLookup.townsContaining(data, x, y);
    const eastX = grid.columnEdges[col + 1]!;
    const southY = grid.rowEdges[row]!;
    const odd = corner === NO_TOWN ? [] : [corner];
    for (let k = grid.cellStart[cell]!; k < grid.cellStart[cell + 1]!; k++) {
      const s = grid.cellSegments[k]!;
      const ax = segments[4 * s]!;
      const ay = segments[4 * s + 1]!;
      const bx = segments[4 * s + 2]!;
      const by = segments[4 * s + 3]!;
      // West from the east edge to the point, along the point's eastward ray.
      if (ay > y !== by > y) {
        const crossX = rayCrossingX(ax, ay, bx, by, y);
        if (Math.abs(crossX - eastX) < DEGENERATE_DEGREES) return scanLookup.townsContaining(data, x, y);
        if (x < crossX && crossX < eastX) toggle(odd, segmentTown[s]!);
      }
      // Up the east edge from the corner to the point's latitude.
      if (ax > eastX !== bx > eastX) {
        const crossY = ay + ((eastX - ax) * (by - ay)) / (bx - ax);
        if (Math.abs(crossY - y) < DEGENERATE_DEGREES || Math.abs(crossY - southY) < DEGENERATE_DEGREES) {
          return scanLookup.townsContaining(data, x, y);
        }
        if (southY < crossY && crossY < y) toggle(odd, segmentTown[s]!);
      }
    }
    return odd;
  },

  townsNear(data, probe, radius) {
    const { grid } = data;
    const near = new Map<number, number>();
    const cols = clampedRange(grid.originX, grid.cols, probe.x, radius / probe.kx);
    const rows = clampedRange(grid.originY, grid.rows, probe.y, radius / probe.ky);
    for (let row = rows.from; row <= rows.to; row++) {
      for (let col = cols.from; col <= cols.to; col++) {
        const cell = row * grid.cols + col;
        for (let k = grid.cellStart[cell]!; k < grid.cellStart[cell + 1]!; k++) {
          const s = grid.cellSegments[k]!;
          const town = data.segmentTown[s]!;
          const distance = segmentDistance(data.segments, s, probe, radius);
          if (distance <= radius && distance < (near.get(town) ?? Infinity)) near.set(town, distance);
        }
      }
    }
    return near;
  },

  // Widening square rings of cells, from the first ring that has any segment; stops once a ring
  // cannot hold anything closer than the best so far.
  nearestTown(data, probe, maxDistance) {
    const { grid } = data;
    // Also keeps near-polar points, whose cells are only metres wide, from walking thousands of rings.
    if (distanceToCells(grid, probe, 0, 0, grid.rows - 1, grid.cols - 1) > maxDistance) return null;
    const cellMeters = CELL_DEGREES * Math.min(probe.kx, probe.ky);
    const centerCol = Math.floor((probe.x - grid.originX) / CELL_DEGREES);
    const centerRow = Math.floor((probe.y - grid.originY) / CELL_DEGREES);
    const gridCol = Math.min(grid.cols - 1, Math.max(0, centerCol));
    const gridRow = Math.min(grid.rows - 1, Math.max(0, centerRow));
    const offGrid = Math.max(Math.abs(centerCol - gridCol), Math.abs(centerRow - gridRow));
    const firstRing = Math.max(offGrid, grid.ringsToSegments[gridRow * grid.cols + gridCol]! - offGrid);
    const nearest = new NearestTown(data.towns, maxDistance);
    for (let ring = firstRing; (ring - 1) * cellMeters <= nearest.reach; ring++) {
      const top = centerRow - ring;
      const bottom = centerRow + ring;
      const left = centerCol - ring;
      const right = centerCol + ring;
      if (top < 0 && left < 0 && bottom >= grid.rows && right >= grid.cols) break;
      for (let row = Math.max(top, 0); row <= Math.min(bottom, grid.rows - 1); row++) {
        if (row === top || row === bottom) {
          for (let col = Math.max(left, 0); col <= Math.min(right, grid.cols - 1); col++) offerCell(data, probe, nearest, row, col);
        } else {
          if (left >= 0 && left < grid.cols) offerCell(data, probe, nearest, row, left);
          if (right < grid.cols && right >= 0 && right !== left) offerCell(data, probe, nearest, row, right);
        }
      }
    }
    return nearest.best;
  },
};

const scanLookup: Lookup = {
  townsContaining(data, x, y) {
    const { segments, townBoxes, townSegmentStart } = data;
    const containing: number[] = [];
    for (let town = 0; town < data.towns.length; town++) {
      const box = 4 * town;
      if (x < townBoxes[box]! || y < townBoxes[box + 1]! || x > townBoxes[box + 2]! || y > townBoxes[box + 3]!) continue;
      let odd = false;
      for (let s = townSegmentStart[town]!; s < townSegmentStart[town + 1]!; s++) {
        const ax = segments[4 * s]!;
        const ay = segments[4 * s + 1]!;
        const bx = segments[4 * s + 2]!;
        const by = segments[4 * s + 3]!;
        if (ay > y !== by > y && x < rayCrossingX(ax, ay, bx, by, y)) odd = !odd;
      }
      if (odd) containing.push(town);
    }
    return containing;
  },

  townsNear(data, probe, radius) {
    const { townBoxes: b } = data;
    const near = new Map<number, number>();
    for (let town = 0; town < data.towns.length; town++) {
      const box = 4 * town;
      if (distanceToBox(probe, b[box]!, b[box + 1]!, b[box + 2]!, b[box + 3]!) > radius) continue;
      let nearest = Infinity;
      for (let s = data.townSegmentStart[town]!; s < data.townSegmentStart[town + 1]!; s++) {
        nearest = Math.min(nearest, segmentDistance(data.segments, s, probe, radius));
      }
      if (nearest <= radius) near.set(town, nearest);
    }
    return near;
  },

  nearestTown(data, probe, maxDistance) {
    const { townBoxes: b } = data;
    const nearest = new NearestTown(data.towns, maxDistance);
    for (let town = 0; town < data.towns.length; town++) {
      const box = 4 * town;
      if (distanceToBox(probe, b[box]!, b[box + 1]!, b[box + 2]!, b[box + 3]!) > nearest.reach) continue;
      for (let s = data.townSegmentStart[town]!; s < data.townSegmentStart[town + 1]!; s++) {
        nearest.offer(town, segmentDistance(data.segments, s, probe, nearest.reach));
      }
    }
    return nearest.best;
  },
};

function offerCell(data: IndexData, probe: Probe, nearest: NearestTown, row: number, col: number): void {
  const { grid } = data;
  const cell = row * grid.cols + col;
  const end = grid.cellStart[cell + 1]!;
  let k = grid.cellStart[cell]!;
  if (k === end || distanceToCells(grid, probe, row, col, row, col) > nearest.reach) return;
  for (; k < end; k++) {
    const s = grid.cellSegments[k]!;
    nearest.offer(data.segmentTown[s]!, segmentDistance(data.segments, s, probe, nearest.reach));
  }
}

/** Flips a town's parity in the (tiny) list of towns with an odd crossing count. */
function toggle(oddTowns: number[], town: number): void {
  const at = oddTowns.indexOf(town);
  if (at === -1) oddTowns.push(town);
  else oddTowns.splice(at, 1);
}

/** Where segment a→b meets latitude y; one formula for grid and scan so both count crossings identically. */
function rayCrossingX(ax: number, ay: number, bx: number, by: number, y: number): number {
  return ax + ((y - ay) * (bx - ax)) / (by - ay);
}

/** Metres from the probe to segment s; Infinity when its bounding box alone puts it beyond `reach`. */
function segmentDistance(segments: Float64Array, s: number, { x, y, kx, ky }: Probe, reach: number): number {
  let a = 4 * s;
  let b = 4 * s + 2;
  // Neighbours store their shared border in opposite directions; a canonical direction makes
  // their distances bit-identical, so the tie-break, not rounding, picks between them.
  if (segments[a]! > segments[b]! || (segments[a] === segments[b] && segments[a + 1]! > segments[b + 1]!)) [a, b] = [b, a];
  const ax = (segments[a]! - x) * kx;
  const ay = (segments[a + 1]! - y) * ky;
  const bx = (segments[b]! - x) * kx;
  const by = (segments[b + 1]! - y) * ky;
  if ((ax > reach && bx > reach) || (ax < -reach && bx < -reach) || (ay > reach && by > reach) || (ay < -reach && by < -reach)) {
    return Infinity;
  }
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : -(ax * dx + ay * dy) / lengthSquared;
  if (t <= 0) return Math.hypot(ax, ay);
  if (t >= 1) return Math.hypot(bx, by);
  return Math.hypot(ax + t * dx, ay + t * dy);
}

function distanceToBox({ x, y, kx, ky }: Probe, minX: number, minY: number, maxX: number, maxY: number): number {
  return Math.hypot(Math.max(minX - x, 0, x - maxX) * kx, Math.max(minY - y, 0, y - maxY) * ky);
}

/** Metres from the probe to the block of cells from (firstRow, firstCol) to (lastRow, lastCol). */
function distanceToCells(grid: Grid, probe: Probe, firstRow: number, firstCol: number, lastRow: number, lastCol: number): number {
  const { columnEdges, rowEdges } = grid;
  return distanceToBox(probe, columnEdges[firstCol]!, rowEdges[firstRow]!, columnEdges[lastCol + 1]!, rowEdges[lastRow + 1]!);
}

/** The column holding x, or -1 outside the grid; exact against columnEdges, whatever floor() rounds to. */
function cellColumn(grid: Grid, x: number): number {
  return cellAlong(grid.columnEdges, grid.originX, grid.cols, x);
}

function cellRow(grid: Grid, y: number): number {
  return cellAlong(grid.rowEdges, grid.originY, grid.rows, y);
}

function cellAlong(edges: Float64Array, origin: number, count: number, value: number): number {
  if (!(value >= edges[0]! && value < edges[count]!)) return -1;
  let cell = Math.min(count - 1, Math.max(0, Math.floor((value - origin) / CELL_DEGREES)));
  while (value < edges[cell]!) cell--;
  while (value >= edges[cell + 1]!) cell++;
  return cell;
}

/** Cells along one axis that overlap [value - reach, value + reach], widened a hair for rounding. */
function clampedRange(origin: number, count: number, value: number, reach: number): { from: number; to: number } {
  const margin = reach * 1e-6 + DEGENERATE_DEGREES;
  return {
    from: Math.max(0, Math.floor((value - reach - margin - origin) / CELL_DEGREES)),
    to: Math.min(count - 1, Math.floor((value + reach + margin - origin) / CELL_DEGREES)),
  };
}

function flattenSegments(shapes: readonly TownShape[]) {
  const coordinates: number[] = [];
  const owners: number[] = [];
  const townSegmentStart = new Uint32Array(shapes.length + 1);
  const townBoxes = new Float64Array(4 * shapes.length);
  shapes.forEach((shape, town) => {
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const ring of ringsOf(shape.geometry)) {
      for (let k = 0; k < ring.length; k++) {
        const [ax, ay] = ring[k]!;
        const [bx, by] = ring[(k + 1) % ring.length]!;
        if (!Number.isFinite(ax) || !Number.isFinite(ay)) throw new RangeError(`${shape.slug}: non-finite coordinate`);
        minX = Math.min(minX, ax);
        minY = Math.min(minY, ay);
        maxX = Math.max(maxX, ax);
        maxY = Math.max(maxY, ay);
        // Skips the closing repeat of GeoJSON rings (and any doubled vertex).
        if (ax === bx && ay === by) continue;
        coordinates.push(ax, ay, bx, by);
        owners.push(town);
      }
    }
    if (minX === Infinity) throw new RangeError(`${shape.slug}: empty geometry`);
    townBoxes.set([minX, minY, maxX, maxY], 4 * town);
    townSegmentStart[town + 1] = owners.length;
  });
  return { segments: Float64Array.from(coordinates), segmentTown: Int32Array.from(owners), townSegmentStart, townBoxes };
}

function buildGrid(segments: Float64Array, segmentTown: Int32Array): Grid {
  const segmentCount = segmentTown.length;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < segments.length; i += 2) {
    minX = Math.min(minX, segments[i]!);
    maxX = Math.max(maxX, segments[i]!);
    minY = Math.min(minY, segments[i + 1]!);
    maxY = Math.max(maxY, segments[i + 1]!);
  }
  const originX = Math.floor(minX / CELL_DEGREES) * CELL_DEGREES - GRID_SHIFT_X;
  const originY = Math.floor(minY / CELL_DEGREES) * CELL_DEGREES - GRID_SHIFT_Y;
  // +2: the last edge lies beyond the easternmost (northernmost) vertex despite rounding.
  const cols = Math.floor((maxX - originX) / CELL_DEGREES) + 2;
  const rows = Math.floor((maxY - originY) / CELL_DEGREES) + 2;
  const columnEdges = Float64Array.from({ length: cols + 1 }, (_, col) => originX + col * CELL_DEGREES);
  const rowEdges = Float64Array.from({ length: rows + 1 }, (_, row) => originY + row * CELL_DEGREES);

  const cellLists: number[][] = Array.from({ length: cols * rows }, () => []);
  const lineCrossings: { x: number; town: number }[][] = Array.from({ length: rows }, () => []);
  for (let s = 0; s < segmentCount; s++) {
    const ax = segments[4 * s]!;
    const ay = segments[4 * s + 1]!;
    const bx = segments[4 * s + 2]!;
    const by = segments[4 * s + 3]!;
    const colRange = clampedRange(originX, cols, (ax + bx) / 2, Math.abs(bx - ax) / 2);
    const rowRange = clampedRange(originY, rows, (ay + by) / 2, Math.abs(by - ay) / 2);
    const singleCell = colRange.from === colRange.to && rowRange.from === rowRange.to;
    for (let row = rowRange.from; row <= rowRange.to; row++) {
      for (let col = colRange.from; col <= colRange.to; col++) {
        const touches =
          singleCell || segmentTouchesBox(ax, ay, bx, by, columnEdges[col]!, rowEdges[row]!, columnEdges[col + 1]!, rowEdges[row + 1]!);
        if (touches) cellLists[row * cols + col]!.push(s);
      }
      const lineY = rowEdges[row]!;
      if (ay > lineY !== by > lineY) lineCrossings[row]!.push({ x: rayCrossingX(ax, ay, bx, by, lineY), town: segmentTown[s]! });
    }
  }

  const cellStart = new Uint32Array(cellLists.length + 1);
  cellLists.forEach((list, cell) => (cellStart[cell + 1] = cellStart[cell]! + list.length));
  const cellSegments = Uint32Array.from(cellLists.flat());

  // Sweep each row's south edge from the east: a corner's parity counts the crossings east of it.
  const cornerTown = new Int32Array(cols * rows);
  lineCrossings.forEach((crossings, row) => {
    crossings.sort((a, b) => b.x - a.x);
    const odd = new Set<number>();
    let next = 0;
    for (let col = cols - 1; col >= 0; col--) {
      const cornerX = columnEdges[col + 1]!;
      let degenerate = false;
      for (; next < crossings.length && crossings[next]!.x > cornerX; next++) {
        const { x, town } = crossings[next]!;
        if (x - cornerX < DEGENERATE_DEGREES) degenerate = true;
        if (!odd.delete(town)) odd.add(town);
      }
      if (next < crossings.length && cornerX - crossings[next]!.x < DEGENERATE_DEGREES) degenerate = true;
      // More than one odd town means overlapping shapes; the full scan reports every one.
      const [only] = odd;
      cornerTown[row * cols + col] = degenerate || odd.size > 1 ? UNDECIDED : (only ?? NO_TOWN);
    }
  });
  const ringsToSegments = chebyshevDistanceTransform(cols, rows, (cell) => cellStart[cell] !== cellStart[cell + 1]);
  return { cols, rows, originX, originY, columnEdges, rowEdges, cellStart, cellSegments, cornerTown, ringsToSegments };
}

/** Two-pass chamfer with unit steps to all eight neighbours, which is exact for the Chebyshev metric. */
function chebyshevDistanceTransform(cols: number, rows: number, isSource: (cell: number) => boolean): Uint16Array {
  const distance = new Uint16Array(cols * rows).fill(cols + rows);
  const relax = (row: number, col: number, fromRow: number, fromCol: number) => {
    if (fromRow < 0 || fromRow >= rows || fromCol < 0 || fromCol >= cols) return;
    const cell = row * cols + col;
    distance[cell] = Math.min(distance[cell]!, distance[fromRow * cols + fromCol]! + 1);
  };
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      if (isSource(row * cols + col)) distance[row * cols + col] = 0;
      for (const [dr, dc] of [[-1, -1], [-1, 0], [-1, 1], [0, -1]] as const) relax(row, col, row + dr, col + dc);
    }
  }
  for (let row = rows - 1; row >= 0; row--) {
    for (let col = cols - 1; col >= 0; col--) {
      for (const [dr, dc] of [[1, 1], [1, 0], [1, -1], [0, 1]] as const) relax(row, col, row + dr, col + dc);
    }
  }
  return distance;
}

/** Liang–Barsky clip of segment a→b against the closed box, widened a hair for rounding. */
function segmentTouchesBox(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  minX: number,
  minY: number,
  maxX: number,
  maxY: number,
): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  let enter = 0;
  let leave = 1;
  const clip = (p: number, q: number) => {
    if (p === 0) return q >= 0;
    const t = q / p;
    if (p < 0) enter = Math.max(enter, t);
    else leave = Math.min(leave, t);
    return enter <= leave;
  };
  const e = DEGENERATE_DEGREES;
  return clip(-dx, ax - (minX - e)) && clip(dx, maxX + e - ax) && clip(-dy, ay - (minY - e)) && clip(dy, maxY + e - ay);
}
