import { http, HttpResponse } from 'msw';

export type GeocodeCall = { query: string; params: URLSearchParams };

/** Mapbox geocoding v5: answers each known query with a point, anything else with no match. */
export function mapboxGeocodingHandlers(places: Record<string, { lat: number; lng: number }>, calls: GeocodeCall[] = []) {
  return [
    http.get('https://api.mapbox.com/geocoding/v5/mapbox.places/:query', ({ request, params }) => {
      const url = new URL(request.url);
      const query = decodeURIComponent(String(params.query)).replace(/\.json$/, '');
      calls.push({ query, params: url.searchParams });
      if (url.searchParams.get('access_token') !== 'pk.test-token') return HttpResponse.json({ message: 'Not Authorized - Invalid Token' }, { status: 401 });
      const place = places[query];
      return HttpResponse.json({ type: 'FeatureCollection', features: place ? [{ center: [place.lng, place.lat], place_name: query }] : [] });
    }),
  ];
}
