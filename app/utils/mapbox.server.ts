import { getEnv } from './env.server';

// Massachusetts' bounding box, so "Main St" resolves to a Massachusetts Main St.
const MASSACHUSETTS_BBOX = '-73.51,41.23,-69.92,42.89';

export type AddressSuggestion = { label: string; lat: number; lng: number };

type Feature = { center?: [number, number]; place_name?: string };

/** Mapbox's forward geocoding, restricted to Massachusetts and biased towards `near`; [] on any failure. */
async function forwardGeocode(query: string, near: { lat: number; lng: number }, options: { limit: number; autocomplete: boolean }): Promise<AddressSuggestion[]> {
  const token = getEnv().MAPBOX_TOKEN;
  if (!token) return [];
  const url = new URL(`https://api.mapbox.com/geocoding/v5/mapbox.places/${encodeURIComponent(query)}.json`);
  url.searchParams.set('access_token', token);
  url.searchParams.set('country', 'us');
  url.searchParams.set('bbox', MASSACHUSETTS_BBOX);
  url.searchParams.set('proximity', `${near.lng},${near.lat}`);
  url.searchParams.set('limit', String(options.limit));
  url.searchParams.set('autocomplete', String(options.autocomplete));
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
    if (!response.ok) return [];
    const body = (await response.json()) as { features?: Feature[] };
    return (body.features ?? []).flatMap((f) => (f.center ? [{ label: f.place_name ?? query, lng: f.center[0], lat: f.center[1] }] : []));
  } catch {
    return [];
  }
}

/**
 * Turns an address or landmark typed by a resident into coordinates with Mapbox's geocoding API,
 * near the town the resident is reporting to. Null without MAPBOX_TOKEN, without a match, or when
 * Mapbox is unreachable: the report then keeps the text and the town's own location.
 */
export async function geocodeAddress(query: string, near: { lat: number; lng: number }): Promise<{ lat: number; lng: number } | null> {
  const [first] = await forwardGeocode(query, near, { limit: 1, autocomplete: false });
  return first ? { lat: first.lat, lng: first.lng } : null;
}

/** Suggestions while the resident types an address (Massachusetts only), for them to pick and confirm on the map. */
export function suggestAddresses(query: string, near: { lat: number; lng: number }): Promise<AddressSuggestion[]> {
  return forwardGeocode(query, near, { limit: 5, autocomplete: true });
}
