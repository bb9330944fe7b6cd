import type { LoaderFunctionArgs } from '@remix-run/node';
import { getParticipatingTownsGeoJson } from '~/modules/geo/town-boundaries.server';

/** Participating town boundaries for the location map: the same on every host, so cacheable. */
export async function loader(_args: LoaderFunctionArgs) {
  const collection = await getParticipatingTownsGeoJson();
  return new Response(JSON.stringify(collection), {
    headers: { 'Content-Type': 'application/geo+json', 'Cache-Control': 'public, max-age=300' },
  });
}
