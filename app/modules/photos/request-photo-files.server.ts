import { uuidv7 } from '#db/ids';
import type { requestPhotos } from '#db/schema';
import { getPhotoStorage } from '~/utils/storage.server';
import type { ProcessedPhoto } from './photo-pipeline.server';

export type RequestPhotoFile = { photo: ProcessedPhoto; row: typeof requestPhotos.$inferInsert };

/** A request's new photos and their rows, stored under the request, numbered from `firstSortOrder`. */
export function requestPhotoFiles(townId: number, requestId: string, photos: ProcessedPhoto[], options: { firstSortOrder?: number; public?: boolean } = {}): RequestPhotoFile[] {
  return photos.map((photo, index) => {
    const photoId = uuidv7();
    return {
      photo,
      row: {
        townId,
        id: photoId,
        requestId,
        displayKey: `requests/${townId}/${requestId}/${photoId}.webp`,
        thumbnailKey: `requests/${townId}/${requestId}/${photoId}-thumb.webp`,
        width: photo.display.width,
        height: photo.display.height,
        sortOrder: (options.firstSortOrder ?? 0) + index,
        public: options.public ?? true,
      },
    };
  });
}

/**
 * Writes the photos' files, then runs `save` (the transaction that stores their rows); if it fails
 * the files are removed again, so a photo is stored whole or not at all.
 */
export async function withStoredPhotoFiles<T>(files: RequestPhotoFile[], save: () => Promise<T>): Promise<T> {
  const storage = getPhotoStorage();
  const writtenKeys: string[] = [];
  try {
    for (const { photo, row } of files) {
      await storage.put(row.displayKey, photo.display.buffer, photo.display.contentType);
      writtenKeys.push(row.displayKey);
      await storage.put(row.thumbnailKey, photo.thumbnail.buffer, photo.thumbnail.contentType);
      writtenKeys.push(row.thumbnailKey);
    }
    return await save();
  } catch (error) {
    await Promise.all(writtenKeys.map((key) => storage.delete(key)));
    throw error;
  }
}
