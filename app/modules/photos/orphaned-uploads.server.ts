import { isNotNull } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { requestPhotos, towns } from '#db/schema';
import { withStateOversight } from '#db/scope';
import { getPhotoStorage } from '~/utils/storage.server';

/**
 * How long a stored file may go without a row before it is deleted. Photos are written before
 * their request's transaction commits, possibly in another app process, so a young file may just
 * be waiting for its row; no submission comes anywhere near an hour.
 */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

export type UploadSweep = { deletedObjects: string[]; deletedTempFiles: number };

/**
 * Every storage key a row points at, in every town. One statement is one snapshot, so a request
 * moving between towns (its photo rows change town in one transaction) is seen in one of them.
 */
async function referencedStorageKeys(): Promise<Set<string>> {
  // The read-only state scope: the only one that sees every town's photo rows.
  const rows = await withStateOversight((tx) =>
    unionAll(
      tx.select({ key: towns.logoKey }).from(towns).where(isNotNull(towns.logoKey)),
      tx.select({ key: requestPhotos.displayKey }).from(requestPhotos),
      tx.select({ key: requestPhotos.thumbnailKey }).from(requestPhotos),
    ),
  );
  return new Set(rows.map((r) => r.key).filter((key): key is string => key !== null));
}

/**
 * Deletes what a crash mid-upload leaves behind: photos and logos no row references and
 * half-written temp files, once they are older than `graceMs`. Runs at start-up and hourly.
 */
export async function sweepOrphanedUploads({ now = new Date(), graceMs = ORPHAN_GRACE_MS } = {}): Promise<UploadSweep> {
  const storage = getPhotoStorage();
  const writtenBefore = new Date(now.getTime() - graceMs);
  // Files first, rows second: a file this old already has its row, or never will.
  const candidates: string[] = [];
  for await (const key of storage.listWrittenBefore(writtenBefore)) candidates.push(key);
  const referenced = await referencedStorageKeys();
  const orphans = candidates.filter((key) => !referenced.has(key));
  for (const key of orphans) await storage.delete(key);
  return { deletedObjects: orphans, deletedTempFiles: await storage.deleteAbandonedWrites(writtenBefore) };
}
