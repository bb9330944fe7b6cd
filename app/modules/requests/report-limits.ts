/** Limits the report form shows and the server enforces; no server code, so the UI can import it. */
export const PHOTO_LIMITS = { maxBytes: 15 * 1024 * 1024, maxPixels: 50_000_000, maxPhotosPerReport: 3 };
/** The photo limits as the hint and every message state them, derived from the limits so that no wording can drift from what is enforced. */
export const PHOTO_LIMIT_VALUES = {
  max: PHOTO_LIMITS.maxPhotosPerReport,
  maxMegabytes: PHOTO_LIMITS.maxBytes / (1024 * 1024),
  maxMegapixels: PHOTO_LIMITS.maxPixels / 1_000_000,
};
export const DESCRIPTION_MAX = 4000;
