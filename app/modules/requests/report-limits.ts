/** Limits the report form shows and the server enforces; no server code, so the UI can import it. */
export const PHOTO_LIMITS = { maxBytes: 15 * 1024 * 1024, maxPixels: 50_000_000, maxPhotosPerReport: 3 };
export const DESCRIPTION_MAX = 4000;
