import { PHOTO_LIMIT_VALUES, PHOTO_LIMITS } from '~/modules/requests/report-limits';
import type { ReportError } from '~/modules/requests/report-errors';
import { fileLabel } from '~/utils/file-label';
import { readJpegGps, type GpsPoint } from './exif-gps';
import { sniffImageFormat, type ImageFormat } from './image-format';

/**
 * The report form's checks of photos chosen on the device, before anything is uploaded: the
 * server's limits and codes (PHOTO_LIMITS, `photos.*`), so the form says what the server would.
 * Plain data in and out; the photo picker reads the files.
 */

/** Enough of a file for its signature and a JPEG's EXIF, which come before the image data. */
export const HEAD_BYTES = 256 * 1024;

export type ChosenPhoto = {
  name: string;
  size: number;
  /** The file's first bytes (up to HEAD_BYTES), or null when the device would not give them. */
  head: Uint8Array | null;
};

export type PhotoCheck = { ok: true; format: ImageFormat; gps: GpsPoint | null } | { ok: false; error: ReportError };

const refusal = (code: ReportError['code'], name: string): ReportError => ({ code, values: { ...PHOTO_LIMIT_VALUES, file: fileLabel(name) } });
const refused = (code: ReportError['code'], name: string): PhotoCheck => ({ ok: false, error: refusal(code, name) });

/** One chosen file, in the order that needs the least reading: empty, too large, unreadable, not an image we take. */
export function checkChosenPhoto(photo: ChosenPhoto, { heicReadable }: { heicReadable: boolean }): PhotoCheck {
  if (photo.size === 0) return refused('photos.empty', photo.name);
  if (photo.size > PHOTO_LIMITS.maxBytes) return refused('photos.too_large', photo.name);
  if (!photo.head) return refused('photos.unreadable_file', photo.name);
  const format = sniffImageFormat(photo.head);
  if (!format) return refused(heicReadable ? 'photos.unsupported_type_heic_readable' : 'photos.unsupported_type', photo.name);
  if (format === 'heif' && !heicReadable) return refused('photos.heic_unsupported', photo.name);
  return { ok: true, format, gps: format === 'jpeg' ? readJpegGps(photo.head) : null };
}

/** A decoded photo's size, once the browser has shown it: the server refuses more pixels than this. */
export function checkPhotoPixels(name: string, width: number, height: number): ReportError | null {
  return width * height > PHOTO_LIMITS.maxPixels ? refusal('photos.too_many_pixels', name) : null;
}

export type PhotoSelection<T> = { added: (T & { gps: GpsPoint | null })[]; errors: ReportError[] };

/**
 * Newly chosen photos next to the `kept` ones: each acceptable one is added while there is room;
 * every refused file gets its own message, and the ones past the limit one message between them.
 */
export function addChosenPhotos<T>(kept: number, chosen: { photo: T; check: PhotoCheck }[]): PhotoSelection<T> {
  const selection: PhotoSelection<T> = { added: [], errors: [] };
  let overLimit = false;
  for (const { photo, check } of chosen) {
    if (!check.ok) selection.errors.push(check.error);
    else if (kept + selection.added.length < PHOTO_LIMITS.maxPhotosPerReport) selection.added.push({ ...photo, gps: check.gps });
    else overLimit = true;
  }
  if (overLimit) selection.errors.push({ code: 'photos.too_many', values: { ...PHOTO_LIMIT_VALUES } });
  return selection;
}
