import type { LoaderFunctionArgs } from '@remix-run/node';
import { getPhotoStorage, isValidStorageKey } from '~/utils/storage.server';

/**
 * Report photos by storage key. Keys contain random ids and are only published on public request
 * pages; metadata was stripped on upload, so the bytes are safe to serve as they are.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const key = params['*'] ?? '';
  if (!isValidStorageKey(key)) throw new Response('Not found', { status: 404 });
  const object = await getPhotoStorage().get(key);
  if (!object) throw new Response('Not found', { status: 404 });
  return new Response(new Uint8Array(object.body), {
    headers: {
      'Content-Type': object.contentType,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
    },
  });
}
