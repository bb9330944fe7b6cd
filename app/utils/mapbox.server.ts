import { getEnv } from './env.server';

// Massachusetts' bounding box, so "Main St" resolves to a Massachusetts Main St.
const MASSACHUSETTS_BBOX = '-73.51,41.23,-69.92,42.89';

/**
 * Turns an address or landmark typed by a resident into coordinates with Mapbox's geocoding API,
 * near the town the resident is reporting to. Null without MAPBOX_TOKEN, without a match, or when
 * Mapbox is unreachable: the report then keeps the text and the town's own location.
 */
export async function geocodeAddress(query: string, near: { lat: number; lng: number }): Promise<{ lat: number; lng: number } | null> {
  const token = getEnv().MAPBOX_TOKEN;
  if (!token) return null;
  const url = new URL(`https://api.mapbox.com/geocoding/v5/mapbox.places/${encodeURIComponent(query)}.json`);
  url.searchParams.set('access_token', token);
  url.searchParams.set('country', 'us');
  url.searchParams.set('bbox', MASSACHUSETTS_BBOX);
  url.searchParams.set('proximity', `${near.lng},${near.lat}`);
  url.searchParams.set('limit', '1');
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
    if (!response.ok) return null;
    const body = (await response.json()) as { features?: { center?: [number, number] }[] };
    const center = body.features?.[0]?.center;
    return center ? { lng: center[0], lat: center[1] } : null;
  } catch {
    return null;
  }
}
