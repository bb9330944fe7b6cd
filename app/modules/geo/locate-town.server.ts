import { towns } from '#db/schema';
import { withGlobal } from '#db/scope';
import { cachedUntilTownsChange } from '~/utils/town-cache.server';
import { boundingBox, type BBox, type TownGeometry } from './geometry';
import { buildTownIndex, loadStatewideTownShapes, routePoint, type RoutingResult, type TownIndex } from './town-routing.server';

type RoutingIndex = { index: TownIndex; anchors: Map<string, { lat: number; lng: number }>; bounds: Map<string, BBox> };

/** The centroid of the largest ring when it lies in the town, else a vertex: a point to centre maps on. */
function anchorOf(geometry: TownGeometry, slug: string, index: TownIndex): { lat: number; lng: number } {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const rings = polygons.map((p) => p[0]!).sort((a, b) => b.length - a.length);
  const ring = rings[0]!;
  const lng = ring.reduce((sum, p) => sum + p[0], 0) / ring.length;
  const lat = ring.reduce((sum, p) => sum + p[1], 0) / ring.length;
  const routed = routePoint(index, lat, lng);
  if (routed.kind === 'town' && routed.slug === slug && routed.how === 'inside') return { lat, lng };
  return { lat: ring[0]![1], lng: ring[0]![0] };
}

/**
 * The index of all 351 municipalities, with each participating town's boundary as the database
 * holds it (a town admin may replace it). Rebuilt only when the towns table changes.
 */
const currentIndex = cachedUntilTownsChange(async (): Promise<RoutingIndex> => {
  const rows = await withGlobal((tx) => tx.select({ id: towns.id, slug: towns.slug, boundary: towns.boundary }).from(towns));
  // A town is its MassGIS municipality (towns.id is the MassGIS id), whatever slug it was given.
  const participating = new Map(rows.map((r) => [r.id, r]));
  const shapes = loadStatewideTownShapes().map((shape) => {
    const town = participating.get(shape.townId);
    return town ? { ...shape, slug: town.slug, geometry: town.boundary as TownGeometry } : shape;
  });
  const index = buildTownIndex(shapes, new Set(rows.map((r) => r.slug)));
  const participatingShapes = shapes.filter((s) => participating.has(s.townId));
  const anchors = new Map(participatingShapes.map((s) => [s.slug, anchorOf(s.geometry, s.slug, index)]));
  const bounds = new Map(participatingShapes.map((s) => [s.slug, boundingBox(s.geometry)]));
  return { index, anchors, bounds };
});

export async function locateTown(lat: number, lng: number): Promise<RoutingResult> {
  return routePoint((await currentIndex()).index, lat, lng);
}

/** A point inside a participating town, for centring its map and for address-only reports. */
export async function townAnchorPoint(slug: string): Promise<{ lat: number; lng: number }> {
  const anchor = (await currentIndex()).anchors.get(slug);
  if (!anchor) throw new Error(`No boundary for town ${slug}`);
  return anchor;
}

/** The box around a participating town (west, south, east, north), to fit a map of the whole town. */
export async function townBounds(slug: string): Promise<BBox> {
  const bounds = (await currentIndex()).bounds.get(slug);
  if (!bounds) throw new Error(`No boundary for town ${slug}`);
  return bounds;
}
