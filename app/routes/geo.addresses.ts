import type { LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { searchParamsOf } from '~/utils/control-characters';
import { getEnv } from '~/utils/env.server';
import { suggestAddresses } from '~/utils/mapbox.server';
import { MASSACHUSETTS_CENTRE } from '~/modules/geo/massachusetts';


const query = z.object({
  q: z.string().trim().min(3).max(120),
  lat: z.coerce.number().min(41).max(43.5).optional(),
  lng: z.coerce.number().min(-74).max(-69.5).optional(),
});

/**
 * Address suggestions as the resident types (with MAPBOX_TOKEN): Massachusetts only, nearest the
 * page's town first. The same for everyone, so shared caches may keep them; no token, no suggestions.
 */
export async function loader(args: LoaderFunctionArgs) {
  const headers = { 'Cache-Control': 'public, max-age=3600' };
  const parsed = query.safeParse(Object.fromEntries(searchParamsOf(args.request)));
  if (!getEnv().MAPBOX_TOKEN || !parsed.success) return Response.json({ suggestions: [] }, { headers });
  const { q, lat, lng } = parsed.data;
  const near = lat !== undefined && lng !== undefined ? { lat, lng } : MASSACHUSETTS_CENTRE;
  return Response.json({ suggestions: await suggestAddresses(q, near) }, { headers });
}
