import { eq, sql } from 'drizzle-orm';
import { serviceRequests, towns } from '#db/schema';
import { withGlobal, withTown } from '#db/scope';
import { parseTrackingNumber } from './tracking-number';

/**
 * Which town a tracking number belongs to: its prefix names the town, and the request must exist
 * there and not be withdrawn. Used by the statewide lookup and every town's lookup.
 */
export async function locateTrackingNumber(input: string): Promise<{ townSlug: string; trackingNumber: string } | null> {
  const parsed = parseTrackingNumber(input);
  if (!parsed) return null;
  const [town] = await withGlobal((tx) =>
    tx.select({ id: towns.id, slug: towns.slug }).from(towns).where(eq(sql`upper(${towns.trackingCode})`, parsed.townCode)),
  );
  if (!town) return null;
  const rows = await withTown(town.id, (tx) =>
    tx
      .select({
        trackingNumber: serviceRequests.trackingNumber,
        status: serviceRequests.status,
        transferredTo: serviceRequests.transferredToTrackingNumber,
        transferredToSlug: towns.slug,
      })
      .from(serviceRequests)
      .leftJoin(towns, eq(towns.id, serviceRequests.transferredToTownId))
      .where(eq(serviceRequests.number, parsed.number)),
  );
  const row = rows[0];
  if (!row || row.status === 'withdrawn') return null;
  // A request moved to another town is found where it now is.
  if (row.transferredTo && row.transferredToSlug) return { townSlug: row.transferredToSlug, trackingNumber: row.transferredTo };
  return { townSlug: town.slug, trackingNumber: row.trackingNumber };
}
