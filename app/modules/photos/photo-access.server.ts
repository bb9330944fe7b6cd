import { and, eq, or } from 'drizzle-orm';
import { requestPhotos, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';

// Request photos are stored as requests/<town id>/<request id>/<photo>.webp; logos as towns/<town id>/….
const REQUEST_PHOTO_KEY = /^requests\/(\d+)\/([0-9a-f-]{36})\/[a-z0-9-]+\.(webp|jpg)$/;
const TOWN_LOGO_KEY = /^towns\/\d+\/logo-[a-z0-9-]+\.(webp|jpg)$/;

export type PhotoAccess = { kind: 'public' } | { kind: 'town-staff'; townId: number } | { kind: 'none' };

/**
 * Who may see a stored object: a town's logo and the photos of a request the public can see are
 * public; a withdrawn request's photos, and those its reporter added for the town only, are for
 * that town's staff; an unknown key for nobody. The request is looked up in the town named by the
 * key (the town it was first reported to).
 */
export async function photoAccess(key: string): Promise<PhotoAccess> {
  if (TOWN_LOGO_KEY.test(key)) return { kind: 'public' };
  const match = REQUEST_PHOTO_KEY.exec(key);
  if (!match) return { kind: 'none' };
  const townId = Number(match[1]);
  const requestId = match[2]!;
  const [row] = await withTown(townId, (tx) =>
    tx
      .select({ status: serviceRequests.status, public: requestPhotos.public })
      .from(requestPhotos)
      .innerJoin(serviceRequests, and(eq(serviceRequests.townId, requestPhotos.townId), eq(serviceRequests.id, requestPhotos.requestId)))
      .where(and(eq(requestPhotos.requestId, requestId), or(eq(requestPhotos.displayKey, key), eq(requestPhotos.thumbnailKey, key))))
      .limit(1),
  );
  if (!row) return { kind: 'none' };
  return row.status === 'withdrawn' || !row.public ? { kind: 'town-staff', townId } : { kind: 'public' };
}
