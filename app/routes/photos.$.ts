import type { LoaderFunctionArgs } from '@remix-run/node';
import { getTownRole } from '~/utils/memberships.server';
import { photoAccess } from '~/modules/photos/photo-access.server';
import { getOptionalUser } from '~/utils/permissions.server';
import { getPhotoStorage, isValidStorageKey } from '~/utils/storage.server';

const NOT_FOUND = () => new Response('Not found', { status: 404 });

/**
 * Report photos and town logos by storage key. Metadata was stripped on upload, so the bytes are
 * safe to serve as they are; a withdrawn request's photos are answered only for its town's staff,
 * and public copies are cached briefly so a withdrawal takes effect within minutes.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { params } = args;
  const key = params['*'] ?? '';
  if (!isValidStorageKey(key)) throw NOT_FOUND();
  const access = await photoAccess(key);
  if (access.kind === 'none') throw NOT_FOUND();
  if (access.kind === 'town-staff') {
    const user = await getOptionalUser(args);
    const roles = user ? await Promise.all(access.townIds.map((townId) => getTownRole(townId, user.id))) : [];
    if (!roles.some(Boolean)) throw NOT_FOUND();
  }
  const object = await getPhotoStorage().get(key);
  if (!object) throw NOT_FOUND();
  return new Response(new Uint8Array(object.body), {
    headers: {
      'Content-Type': object.contentType,
      'Cache-Control': access.kind === 'public' ? 'public, max-age=600' : 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
    },
  });
}
