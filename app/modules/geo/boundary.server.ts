import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { towns } from '#db/schema';
import { withGlobal, withTown } from '#db/scope';
import { recordAuditBy } from '~/modules/audit/audit.server';
import { buildTownIndex, loadStatewideTownShapes, routePoint, type TownIndex } from './town-routing.server';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import type { TownAdmin } from '~/utils/capabilities.server';
import {
  areaSquareMeters,
  BOUNDARY_MAX_BYTES,
  boundingBox,
  outlineOf,
  overlapSquareMeters,
  parseBoundary,
  ringsOf,
  unionOfBoxes,
  vertexCountOf,
  type BBox,
  type Outline,
  type TownGeometry,
} from './geometry';

/** A vertex may lie this far outside every MassGIS municipality (piers, a coastline drawn differently). */
export const OUTSIDE_MASSACHUSETTS_TOLERANCE_METERS = 200;
/** Overlap with a participating town is refused above either limit: routing there would be ambiguous. */
export const OVERLAP_LIMIT = { squareMeters: 20_000, shareOfSmaller: 0.01 } as const;
// Smaller overlaps with non-participating municipalities are drawing noise and not worth a warning.
const NOTABLE_OVERLAP_SQUARE_METERS = 20_000;
const NOTABLE_AREA_CHANGE = 0.1;

export type BoundarySummary = { areaKm2: number; vertexCount: number; bbox: BBox };

export type BoundaryPreview = {
  /** The normalised geometry, posted back by the confirm form and checked again there. */
  candidate: string;
  /** Fingerprint of the boundary the preview was made against; confirming fails if it changed since. */
  basedOn: string;
  current: BoundarySummary;
  proposed: BoundarySummary;
  /** paths[0]: current boundary; paths[1]: proposed one. */
  outline: Outline;
  warnings: string[];
};

export type BoundaryCheck = { ok: true; geometry: TownGeometry; summary: BoundarySummary; warnings: string[] } | { ok: false; status: 413 | 422; message: string };

let massachusetts: { index: TownIndex; box: BBox } | undefined;

/** All 351 municipalities as routing sees them before any town edits: their union is "Massachusetts". */
function massachusettsIndex() {
  if (!massachusetts) {
    const shapes = loadStatewideTownShapes();
    massachusetts = { index: buildTownIndex(shapes, new Set()), box: unionOfBoxes(shapes.map((s) => boundingBox(s.geometry))) };
  }
  return massachusetts;
}

function summaryOf(geometry: TownGeometry): BoundarySummary {
  return {
    areaKm2: Math.round(areaSquareMeters(geometry) / 10_000) / 100,
    vertexCount: vertexCountOf(geometry),
    bbox: boundingBox(geometry),
  };
}

export function boundaryFingerprint(boundary: unknown): string {
  return createHash('sha256').update(JSON.stringify(boundary)).digest('hex').slice(0, 16);
}

const formatArea = (squareMeters: number) => (squareMeters >= 100_000 ? `${(squareMeters / 1e6).toFixed(2)} km²` : `${Math.round(squareMeters).toLocaleString('en-US')} m²`);
const formatPoint = ([lon, lat]: readonly number[]) => `${lat!.toFixed(5)}, ${lon!.toFixed(5)}`;

/** How far outside every municipality a vertex lies: 0 inside, Infinity beyond the tolerance. */
function metersOutsideMassachusetts(lon: number, lat: number): number {
  const { index, box } = massachusettsIndex();
  const margin = 0.01;
  if (lon < box[0] - margin || lon > box[2] + margin || lat < box[1] - margin || lat > box[3] + margin) return Infinity;
  const routed = routePoint(index, lat, lon);
  if (routed.kind === 'town') return routed.distanceMeters;
  return routed.nearest && routed.nearest.distanceMeters <= OUTSIDE_MASSACHUSETTS_TOLERANCE_METERS ? routed.nearest.distanceMeters : Infinity;
}

function checkInsideMassachusetts(geometry: TownGeometry): { message: string } | { farthestOutsideMeters: number } {
  let farthestOutsideMeters = 0;
  for (const ring of ringsOf(geometry)) {
    for (const [lon, lat] of ring) {
      const outside = metersOutsideMassachusetts(lon, lat);
      if (outside === Infinity) {
        const swapped = Math.abs(lon) <= 90 && metersOutsideMassachusetts(lat, lon) !== Infinity;
        return {
          message: swapped
            ? 'The coordinates look like [latitude, longitude]; GeoJSON lists longitude first, as in [-71.09, 42.39].'
            : `The boundary leaves Massachusetts: the corner at ${formatPoint([lon, lat])} is more than ${OUTSIDE_MASSACHUSETTS_TOLERANCE_METERS} m from every Massachusetts city and town.`,
        };
      }
      farthestOutsideMeters = Math.max(farthestOutsideMeters, outside);
    }
  }
  return { farthestOutsideMeters };
}

/**
 * Everything a replacement boundary must pass: valid GeoJSON with closed, non-crossing rings,
 * every corner in (or within 200 m of) a Massachusetts municipality, and no real overlap with
 * another participating town.
 */
export async function checkBoundary(townId: number, text: string): Promise<BoundaryCheck> {
  if (Buffer.byteLength(text) > BOUNDARY_MAX_BYTES) {
    return { ok: false, status: 413, message: `The file is larger than ${BOUNDARY_MAX_BYTES / 1024 / 1024} MB. Simplify the boundary (about 1 m precision is plenty) and try again.` };
  }
  const parsed = parseBoundary(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) return { ok: false, status: 422, message: parsed.message };
  const { geometry } = parsed;
  const inside = checkInsideMassachusetts(geometry);
  if ('message' in inside) return { ok: false, status: 422, message: inside.message };

  const warnings: string[] = [];
  if (inside.farthestOutsideMeters > 0) {
    warnings.push(`Some corners lie up to ${Math.round(inside.farthestOutsideMeters)} m outside the MassGIS municipal boundaries (usually a shoreline drawn differently).`);
  }
  const area = areaSquareMeters(geometry);
  const participating = await withGlobal((tx) => tx.select({ id: towns.id, slug: towns.slug, name: towns.name, boundary: towns.boundary }).from(towns));
  for (const other of participating) {
    if (other.id === townId) continue;
    const otherGeometry = other.boundary as TownGeometry;
    const overlap = overlapSquareMeters(geometry, otherGeometry);
    if (overlap === 0) continue;
    const share = overlap / Math.min(area, areaSquareMeters(otherGeometry));
    if (overlap > OVERLAP_LIMIT.squareMeters || share > OVERLAP_LIMIT.shareOfSmaller) {
      return {
        ok: false,
        status: 422,
        message: `The boundary overlaps ${other.name} by about ${formatArea(overlap)} (${(share * 100).toFixed(1)}% of the smaller town). ${other.name} also uses Commonwealth Connect, so reports there would have two towns; adjust the boundary along the shared border.`,
      };
    }
    if (overlap >= 1) warnings.push(`It overlaps ${other.name} by about ${formatArea(overlap)}; residents reporting there will be asked to confirm the town.`);
  }
  const participatingIds = new Set(participating.map((t) => t.id));
  for (const shape of loadStatewideTownShapes()) {
    if (participatingIds.has(shape.townId)) continue;
    const overlap = overlapSquareMeters(geometry, shape.geometry);
    if (overlap > NOTABLE_OVERLAP_SQUARE_METERS) {
      warnings.push(`It takes in about ${formatArea(overlap)} of ${shape.name}, which does not use Commonwealth Connect; reports there will come to this town, with ${shape.name} offered as an alternative.`);
    }
  }
  return { ok: true, geometry, summary: summaryOf(geometry), warnings };
}

async function currentBoundary(townId: number): Promise<TownGeometry> {
  const [row] = await withGlobal((tx) => tx.select({ boundary: towns.boundary }).from(towns).where(eq(towns.id, townId)));
  if (!row) throw new Error(`Town ${townId} is not in the towns table`);
  return row.boundary as TownGeometry;
}

export async function getBoundaryOverview(admin: TownAdmin): Promise<{ summary: BoundarySummary; outline: Outline; fingerprint: string }> {
  const boundary = await currentBoundary(admin.town.id);
  return { summary: summaryOf(boundary), outline: outlineOf([boundary]), fingerprint: boundaryFingerprint(boundary) };
}

/** Step one: checks the upload and shows what would change; nothing is stored. */
export async function previewBoundary(admin: TownAdmin, text: string): Promise<{ ok: true; preview: BoundaryPreview } | { ok: false; status: 413 | 422; message: string }> {
  const check = await checkBoundary(admin.town.id, text);
  if (!check.ok) return check;
  const boundary = await currentBoundary(admin.town.id);
  const current = summaryOf(boundary);
  const warnings = [...check.warnings];
  const change = check.summary.areaKm2 / current.areaKm2 - 1;
  if (Math.abs(change) > NOTABLE_AREA_CHANGE) {
    warnings.unshift(`The area changes by ${change > 0 ? '+' : ''}${(change * 100).toFixed(0)}% (from ${current.areaKm2} km² to ${check.summary.areaKm2} km²). Check that this is the right file.`);
  }
  return {
    ok: true,
    preview: {
      candidate: JSON.stringify(check.geometry),
      basedOn: boundaryFingerprint(boundary),
      current,
      proposed: check.summary,
      outline: outlineOf([boundary, check.geometry]),
      warnings,
    },
  };
}

export type SaveBoundaryResult = { ok: true } | { ok: false; status: 409 | 413 | 422; message: string };

/**
 * Step two: the candidate comes back from the browser, so it is checked again in full. Routing
 * (locate-town.server.ts) rebuilds its index with the new boundary once the town caches are invalidated.
 */
export async function saveBoundary(admin: TownAdmin, input: { candidate: string; basedOn: string }): Promise<SaveBoundaryResult> {
  const townId = admin.town.id;
  const check = await checkBoundary(townId, input.candidate);
  if (!check.ok) return check;
  const result = await withTown(townId, async (tx): Promise<SaveBoundaryResult> => {
    const [current] = await tx.select({ boundary: towns.boundary }).from(towns).where(eq(towns.id, townId)).for('update');
    if (!current) throw new Error(`Town ${townId} is not in the towns table`);
    if (boundaryFingerprint(current.boundary) !== input.basedOn) {
      return { ok: false, status: 409, message: 'The boundary was changed by someone else since this preview. Upload the file again to compare it with the new one.' };
    }
    const [saved] = await tx.update(towns).set({ boundary: check.geometry, updatedAt: new Date() }).where(eq(towns.id, townId)).returning({ boundary: towns.boundary });
    await recordAuditBy(tx, admin, {
      action: 'town.boundary_replaced',
      entityType: 'town',
      entityId: String(townId),
      before: { ...summaryOf(current.boundary as TownGeometry), fingerprint: input.basedOn },
      after: { ...check.summary, fingerprint: boundaryFingerprint(saved!.boundary) },
    });
    return { ok: true };
  });
  if (result.ok) invalidateTownCaches();
  return result;
}
