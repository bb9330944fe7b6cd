import { and, eq, or, type SQL } from 'drizzle-orm';
import { requestPhotos, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';

// Request photos are stored as requests/<town id>/<request id>/<photo>.webp; logos as towns/<town id>/….
const REQUEST_PHOTO_KEY = /^requests\/(\d+)\/([0-9a-f-]{36})\/[a-z0-9-]+\.(webp|jpg)$/;
const TOWN_LOGO_KEY = /^towns\/\d+\/logo-[a-z0-9-]+\.(webp|jpg)$/;

export type PhotoAccess = { kind: 'public' } | { kind: 'town-staff'; townIds: number[] } | { kind: 'none' };

/** A request moves at most a few times; the bound keeps a mistaken loop of transfers from spinning. */
const MAX_TRANSFERS = 5;

/**
 * Who may see a stored object: a town's logo and the photos of a request the public can see are
 * public; a withdrawn request's photos, and those its reporter added for the town only, are for
 * that town's staff; an unknown key for nobody. The request is looked up in the town named by the
 * key (the town it was first reported to); a transfer's copy points at the same files, so when the
 * request moved on, the copy where it now is decides, and staff of each town it passed through may see it.
 */
export async function photoAccess(key: string): Promise<PhotoAccess> {
  if (TOWN_LOGO_KEY.test(key)) return { kind: 'public' };
  const match = REQUEST_PHOTO_KEY.exec(key);
  if (!match) return { kind: 'none' };
  const townIds = [Number(match[1])];
  const requestId = match[2]!;
  let current = await photoRow(townIds[0]!, eq(serviceRequests.id, requestId), key);
  if (!current) return { kind: 'none' };
  for (let hop = 0; hop < MAX_TRANSFERS && current.transferredToTownId !== null && current.transferredToTrackingNumber !== null; hop++) {
    const next = await photoRow(current.transferredToTownId, eq(serviceRequests.trackingNumber, current.transferredToTrackingNumber), key);
    if (!next) break;
    townIds.push(current.transferredToTownId);
    current = next;
  }
  return current.status === 'withdrawn' || !current.public ? { kind: 'town-staff', townIds } : { kind: 'public' };
}

async function photoRow(townId: number, request: SQL, key: string) {
  const [row] = await withTown(townId, (tx) =>
    tx
      .select({
        status: serviceRequests.status,
        public: requestPhotos.public,
        transferredToTownId: serviceRequests.transferredToTownId,
        transferredToTrackingNumber: serviceRequests.transferredToTrackingNumber,
      })
      .from(requestPhotos)
      .innerJoin(serviceRequests, and(eq(serviceRequests.townId, requestPhotos.townId), eq(serviceRequests.id, requestPhotos.requestId)))
      .where(and(request, or(eq(requestPhotos.displayKey, key), eq(requestPhotos.thumbnailKey, key))))
      .limit(1),
  );
  return row ?? null;
}
