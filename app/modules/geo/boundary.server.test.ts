import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { auditLog, towns } from '#db/schema';
import { withGlobal, withTown } from '#db/scope';
import { locateTown } from '~/modules/geo/locate-town.server';
import { townAdminFor } from '../../../tests/capabilities';
import { createUser, townBySlug } from '../../../tests/factories';
import type { LonLat } from './geometry';
import { boundaryFingerprint, checkBoundary, previewBoundary, saveBoundary } from './boundary.server';

const registryBoundary = (slug: string) => (JSON.parse(readFileSync(`tenants/${slug}/boundary.geojson`, 'utf8')) as { geometry: { type: 'Polygon'; coordinates: LonLat[][] } }).geometry;

/** The outer ring pulled toward its centre: a slightly smaller town that stays inside the old one. */
function shrunk(ring: LonLat[], factor: number): LonLat[] {
  const distinct = ring.slice(0, -1);
  const cx = distinct.reduce((s, p) => s + p[0], 0) / distinct.length;
  const cy = distinct.reduce((s, p) => s + p[1], 0) / distinct.length;
  const moved = distinct.map(([x, y]): LonLat => [cx + (x - cx) * factor, cy + (y - cy) * factor]);
  return [...moved, moved[0]!];
}

describe('checking a boundary upload', () => {
  let somervilleId: number;

  beforeAll(async () => {
    somervilleId = (await townBySlug('somerville')).id;
  });

  it('accepts the current MassGIS boundary with nothing to warn about', async () => {
    const check = await checkBoundary(somervilleId, JSON.stringify({ type: 'Feature', properties: {}, geometry: registryBoundary('somerville') }));
    expect(check).toMatchObject({ ok: true, warnings: [] });
    if (check.ok) expect(check.summary.areaKm2).toBeCloseTo(10.68, 1);
  });

  it.each([
    ['outside Massachusetts (a square around Albany, NY)', { type: 'Polygon', coordinates: [[[-73.8, 42.6], [-73.7, 42.6], [-73.7, 42.7], [-73.8, 42.7], [-73.8, 42.6]]] }, /leaves Massachusetts: the corner at 42\.60000, -73\.80000/],
    ['Malden, for Somerville', registryBoundary('malden'), /overlaps Malden by about [\d.]+ km² \(100\.0% of the smaller town\)/],
    [
      'latitude and longitude swapped',
      { type: 'Polygon', coordinates: [registryBoundary('somerville').coordinates[0]!.map(([lon, lat]) => [lat, lon])] },
      /look like \[latitude, longitude\]/,
    ],
  ])('refuses %s', async (_name, geometry, message) => {
    const check = await checkBoundary(somervilleId, JSON.stringify(geometry));
    expect(check).toMatchObject({ ok: false, status: 422 });
    if (!check.ok) expect(check.message).toMatch(message);
  });

  it('refuses more than 5 MB with 413', async () => {
    expect(await checkBoundary(somervilleId, ' '.repeat(5 * 1024 * 1024 + 1))).toMatchObject({ ok: false, status: 413 });
  });

  it('warns in the preview when the area changes a lot, and stores nothing', async () => {
    const somerville = await townBySlug('somerville');
    const admin = await townAdminFor(somerville, await createUser({ roles: [[somerville, 'admin']] }));
    const smaller = { type: 'Polygon', coordinates: [shrunk(registryBoundary('somerville').coordinates[0]!, 0.8)] };
    const result = await previewBoundary(admin, JSON.stringify(smaller));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.preview.warnings[0]).toMatch(/^The area changes by -3\d% \(from 10\.68 km² to [\d.]+ km²\)/);
    expect(result.preview.outline.paths).toHaveLength(2);
    const [row] = await withGlobal((tx) => tx.select({ boundary: towns.boundary }).from(towns).where(eq(towns.id, somervilleId)));
    expect(boundaryFingerprint(row!.boundary)).toBe(result.preview.basedOn);
  });
});

describe('saving a boundary', () => {
  it('replaces it, audits a summary, and routes points with it; a stale preview is refused', async () => {
    const somerville = await townBySlug('somerville');
    const admin = await createUser({ roles: [[somerville, 'admin']] });
    const asAdmin = await townAdminFor(somerville, admin);
    const current = registryBoundary('somerville');
    const ring = current.coordinates[0]!;
    const candidate = JSON.stringify({ type: 'Polygon', coordinates: [shrunk(ring, 0.97)] });
    const preview = await previewBoundary(asAdmin, candidate);
    if (!preview.ok) throw new Error(preview.message);

    // A spot just inside the old boundary near a corner, which the smaller boundary leaves out.
    const [cornerLon, cornerLat] = ring[0]!;
    const [centreLon, centreLat] = shrunk(ring, 0)[0]!;
    const spot = { lat: cornerLat + (centreLat - cornerLat) * 0.005, lng: cornerLon + (centreLon - cornerLon) * 0.005 };
    expect(await locateTown(spot.lat, spot.lng)).toMatchObject({ kind: 'town', slug: 'somerville', how: 'inside' });

    expect(await saveBoundary(asAdmin, { candidate: preview.preview.candidate, basedOn: 'stale' })).toMatchObject({ ok: false, status: 409 });
    expect(await saveBoundary(asAdmin, { candidate: preview.preview.candidate, basedOn: preview.preview.basedOn })).toEqual({ ok: true });

    const after = await locateTown(spot.lat, spot.lng);
    expect(after.kind === 'town' && after.slug === 'somerville' && after.how === 'inside').toBe(false);
    expect(await locateTown(42.3876, -71.0995)).toMatchObject({ kind: 'town', slug: 'somerville', how: 'inside' });

    const [entry] = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(eq(auditLog.action, 'town.boundary_replaced')));
    expect(entry).toMatchObject({ actorUserId: admin.id, entityType: 'town', entityId: String(somerville.id) });
    expect(entry!.before).toMatchObject({ areaKm2: 10.68, vertexCount: ring.length - 1 });
    expect(JSON.stringify(entry!.after)).not.toContain('coordinates');
  });
});
