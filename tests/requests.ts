import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { uuidv7 } from '#db/ids';

/** A multipart report form as the browser posts it to `/report` on `host`. */
export function reportRequest(host: string, fields: Record<string, string | string[]>, options: { photos?: { name: string; bytes: Buffer; type?: string }[]; cookie?: string } = {}) {
  const form = new FormData();
  form.set('idempotencyKey', uuidv7());
  for (const [key, value] of Object.entries(fields)) {
    form.delete(key);
    for (const v of Array.isArray(value) ? value : [value]) form.append(key, v);
  }
  for (const photo of options.photos ?? []) form.append('photos', new Blob([new Uint8Array(photo.bytes)], { type: photo.type ?? 'image/jpeg' }), photo.name);
  const url = new URL('/report', host);
  const headers = new Headers({ Origin: url.origin });
  if (options.cookie) headers.set('Cookie', options.cookie);
  return new Request(url, { method: 'POST', body: form, headers });
}

/** Every stored upload, to prove a refused report left no file behind. */
export async function storedUploads(): Promise<string[]> {
  const root = path.resolve(process.env.DATA_DIR ?? './data', 'uploads');
  try {
    return (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

export const PLACES = {
  somervilleCityHall: { lat: 42.3876, lng: -71.0995 },
  maldenCityHall: { lat: 42.4251, lng: -71.0662 },
  bostonCityHall: { lat: 42.3603, lng: -71.058 },
  albanyNY: { lat: 42.65, lng: -73.75 },
  massachusettsBay: { lat: 42.4, lng: -70.85 },
};
