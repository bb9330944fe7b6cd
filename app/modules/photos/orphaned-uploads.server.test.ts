import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import { requestPhotos, serviceRequests, towns } from '#db/schema';
import { withTown } from '#db/scope';
import { createServiceRequest } from '~/modules/requests/create-request.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { getPhotoStorage } from '~/utils/storage.server';
import { townLinks } from '~/utils/town.server';
import { townBySlug } from '../../../tests/factories';
import { processPhoto } from './photo-pipeline.server';
import { ORPHAN_GRACE_MS, sweepOrphanedUploads } from './orphaned-uploads.server';

const HOUR = 3_600_000;
const uploads = () => path.join(process.env.DATA_DIR!, 'uploads');
const pathOf = (key: string) => path.join(uploads(), ...key.split('/'));

/** Every file under uploads, as paths relative to it. */
async function filesOnDisk(): Promise<string[]> {
  const entries = await readdir(uploads(), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(uploads(), path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

async function age(relativePath: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await utimes(path.join(uploads(), ...relativePath.split('/')), then, then);
}

async function fileWithPhoto(town: TownProfile): Promise<{ displayKey: string; thumbnailKey: string }> {
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#205493' } }).jpeg().toBuffer();
  const created = await createServiceRequest({
    town,
    categoryCode: 'graffiti',
    description: 'With a photo',
    location: { lat: 42.39, lng: -71.1, address: null, source: 'map' },
    answers: {},
    reporter: { userId: null, email: null, name: null },
    photos: [await processPhoto(jpeg)],
    idempotencyKey: uuidv7(),
    links: townLinks(town.slug),
  });
  if (created.kind !== 'filed') throw new Error(JSON.stringify(created));
  const [photo] = await withTown(town.id, (tx) =>
    tx
      .select({ displayKey: requestPhotos.displayKey, thumbnailKey: requestPhotos.thumbnailKey })
      .from(requestPhotos)
      .innerJoin(serviceRequests, and(eq(serviceRequests.townId, requestPhotos.townId), eq(serviceRequests.id, requestPhotos.requestId)))
      .where(eq(serviceRequests.trackingNumber, created.trackingNumber)),
  );
  return photo!;
}

describe('sweepOrphanedUploads', () => {
  it('deletes, past the grace period, the files a crash mid-upload left and keeps every file a row in any town references', async () => {
    const [somerville, malden] = [await townBySlug('somerville'), await townBySlug('malden')];
    const storage = getPhotoStorage();
    const webp = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000000' } }).webp().toBuffer();

    // Referenced: photos of requests in two towns, and a town's logo.
    const somervillePhoto = await fileWithPhoto(somerville);
    const maldenPhoto = await fileWithPhoto(malden);
    const logoKey = `towns/${malden.id}/logo-${uuidv7()}.webp`;
    await storage.put(logoKey, webp, 'image/webp');
    await getDatabase().db.update(towns).set({ logoKey }).where(eq(towns.id, malden.id));

    // Left by a crash: photos written before the request's transaction, a replaced logo, two half-written files.
    const crashedRequest = `requests/${somerville.id}/${uuidv7()}`;
    const orphans = [`${crashedRequest}/${uuidv7()}.webp`, `${crashedRequest}/${uuidv7()}-thumb.webp`, `towns/${malden.id}/logo-${uuidv7()}.webp`];
    for (const key of orphans) await storage.put(key, webp, 'image/webp');
    const tempFile = `${crashedRequest}/.${uuidv7()}.webp.0123456789ab.tmp`;
    await writeFile(path.join(uploads(), ...tempFile.split('/')), 'half a photo');

    // Too young to judge: another process may be about to commit their rows.
    const youngOrphan = `requests/${somerville.id}/${uuidv7()}/${uuidv7()}.webp`;
    await storage.put(youngOrphan, webp, 'image/webp');
    const youngTempFile = `${crashedRequest}/.${uuidv7()}.webp.ba9876543210.tmp`;
    await writeFile(path.join(uploads(), ...youngTempFile.split('/')), 'being written');
    // Not ours: left alone whatever its age.
    await writeFile(path.join(uploads(), 'README.txt'), 'operator notes');

    const referenced = [somervillePhoto.displayKey, somervillePhoto.thumbnailKey, maldenPhoto.displayKey, maldenPhoto.thumbnailKey, logoKey];
    for (const file of [...referenced, ...orphans, tempFile, 'README.txt']) await age(file, 2 * HOUR);

    const sweep = await sweepOrphanedUploads();

    expect(sweep.deletedObjects.sort()).toEqual([...orphans].sort());
    expect(sweep.deletedTempFiles).toBe(1);
    expect(await filesOnDisk()).toEqual([...referenced, youngOrphan, youngTempFile, 'README.txt'].sort());
    for (const key of referenced) expect(await storage.get(key)).not.toBeNull();
  });

  it('judges age by the last write: just inside the grace period a file stays, just past it it goes', async () => {
    const storage = getPhotoStorage();
    const key = `requests/1/${uuidv7()}/${uuidv7()}.webp`;
    await storage.put(key, Buffer.from('orphan'), 'image/webp');
    const writtenAt = new Date('2030-01-01T12:00:00Z');
    await utimes(pathOf(key), writtenAt, writtenAt);

    expect((await sweepOrphanedUploads({ now: new Date(writtenAt.getTime() + ORPHAN_GRACE_MS - 1000) })).deletedObjects).not.toContain(key);
    expect(await storage.get(key)).not.toBeNull();
    expect((await sweepOrphanedUploads({ now: new Date(writtenAt.getTime() + ORPHAN_GRACE_MS + 1000) })).deletedObjects).toContain(key);
    expect(await storage.get(key)).toBeNull();
  });

  it('has nothing to do on a fresh install without an uploads directory', async () => {
    const original = process.env.DATA_DIR;
    process.env.DATA_DIR = await mkdtemp(path.join(tmpdir(), 'cc-empty-'));
    try {
      expect(await sweepOrphanedUploads()).toEqual({ deletedObjects: [], deletedTempFiles: 0 });
    } finally {
      await rm(process.env.DATA_DIR, { recursive: true, force: true });
      process.env.DATA_DIR = original;
    }
  });
});
