import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { uuidv7 } from '#db/ids';
import type { TownProfile } from '~/utils/town-profile.server';

/** A loader's or action's answer, whether it returned or threw its Response (redirects, 403, 404). */
export async function settle(result: Promise<Response>): Promise<Response> {
  try {
    return await result;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type FilePart = { field: string; name: string; bytes: Buffer; type: string };

/** A multipart form as the browser posts it: fields (a list repeats the name), then files. */
export function multipartRequest(url: string, fields: Record<string, string | string[]>, options: { files?: FilePart[]; cookie?: string } = {}) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) form.append(key, v);
  for (const file of options.files ?? []) form.append(file.field, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const target = new URL(url);
  const headers = new Headers({ Origin: target.origin });
  if (options.cookie) headers.set('Cookie', options.cookie);
  return new Request(target, { method: 'POST', body: form, headers });
}

/** A multipart report form as the browser posts it to `/report` on `host`. */
export function reportRequest(host: string, fields: Record<string, string | string[]>, options: { photos?: { name: string; bytes: Buffer; type?: string }[]; cookie?: string } = {}) {
  const files = (options.photos ?? []).map((photo) => ({ field: 'photos', name: photo.name, bytes: photo.bytes, type: photo.type ?? 'image/jpeg' }));
  return multipartRequest(new URL('/report', host).href, { idempotencyKey: uuidv7(), ...fields }, { files, cookie: options.cookie });
}

type RawPart = { name: string; value: string } | { name: string; filename: string; bytes: Buffer; type?: string };

/**
 * A multipart form written byte for byte, as curl and older browsers send it: names go into the
 * headers unescaped (undici's FormData would escape quotes), so hostile file names arrive intact.
 */
export function rawMultipartRequest(url: string, parts: RawPart[], options: { cookie?: string } = {}) {
  const boundary = `----raw-${uuidv7()}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = 'filename' in part ? `form-data; name="${part.name}"; filename="${part.filename}"` : `form-data; name="${part.name}"`;
    const type = 'filename' in part ? `\r\nContent-Type: ${part.type ?? 'image/jpeg'}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`), 'filename' in part ? part.bytes : Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const target = new URL(url);
  const headers = new Headers({ Origin: target.origin, 'Content-Type': `multipart/form-data; boundary=${boundary}` });
  if (options.cookie) headers.set('Cookie', options.cookie);
  return new Request(target, { method: 'POST', body: Buffer.concat(chunks), headers });
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

/** A request filed straight through the report core's last step (no route, no routing), at a point in `town`. */
export async function fileDirectly(town: TownProfile, input: { categoryCode: string; description: string; lat: number; lng: number; email?: string | null }): Promise<string> {
  const { createServiceRequest } = await import('~/modules/requests/create-request.server');
  const { townLinks } = await import('~/utils/town.server');
  const created = await createServiceRequest({
    town,
    categoryCode: input.categoryCode,
    description: input.description,
    location: { lat: input.lat, lng: input.lng, address: null, source: 'map' },
    answers: {},
    reporter: { userId: null, email: input.email ?? null, name: null },
    photos: [],
    idempotencyKey: uuidv7(),
    links: townLinks(town.slug),
  });
  if (created.kind !== 'filed') throw new Error(`not filed: ${JSON.stringify(created)}`);
  return created.trackingNumber;
}

let filed = 0;

/**
 * Files a report through the report route as a browser posts it, and returns its tracking number.
 * Each lands ~100 m from the last, so no two are "the same problem" (the 50 m duplicate prompt).
 */
export async function fileReport(host: string, point: { lat: number; lng: number }, fields: Record<string, string> = {}, options: { cookie?: string; photos?: { name: string; bytes: Buffer }[] } = {}): Promise<string> {
  const { action } = await import('~/routes/report');
  filed++;
  const spread = { lat: String(point.lat + (filed % 6) * 0.0009), lng: String(point.lng + Math.floor(filed / 6) * 0.0012) };
  const request = reportRequest(host, { category: 'graffiti', description: `Tag number ${filed}`, ...spread, locationSource: 'map', ...fields }, options);
  const response = await settle(action({ request, params: {}, context: { clientIp: '10.7.7.7' } }));
  const location = response.headers.get('Location');
  if (!location) throw new Error(`report was not filed: ${response.status} ${await response.text()}`);
  return new URL(location).pathname.split('/').pop()!;
}
