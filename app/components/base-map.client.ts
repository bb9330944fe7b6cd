import mapboxgl, { type FillLayer, type LineLayer, type Map as MapboxMap, type Marker, type Style } from 'mapbox-gl';

export type LatLng = { lat: number; lng: number };
export type { InitialView };
/** `color`: the pin's, by default the site's blue (the staff map colours by status and overdue). */
export type MapMarker = LatLng & { label: string; href?: string; color?: string };

const STREETS_STYLE = 'mapbox://styles/mapbox/streets-v11';
// mapbox-gl 1.x (BSD) renders a style with no Mapbox sources without a token: see docs/decisions/0007.
const OFFLINE_STYLE: Style = {
  version: 8,
  sources: {},
  layers: [{ id: 'cc-background', type: 'background', paint: { 'background-color': '#f5f6f7' } }],
};
const TOWNS_SOURCE = 'cc-towns';
const TOWN_FILL: FillLayer = {
  id: 'cc-town-fill',
  type: 'fill',
  source: TOWNS_SOURCE,
  paint: { 'fill-color': ['get', 'accentColor'], 'fill-opacity': 0.08 },
};
const TOWN_OUTLINE: LineLayer = {
  id: 'cc-town-outline',
  type: 'line',
  source: TOWNS_SOURCE,
  paint: { 'line-color': ['get', 'accentColor'], 'line-width': 2, 'line-opacity': 0.8 },
};

type InitialView = { center: LatLng; zoom: number } | { bounds: [west: number, south: number, east: number, north: number] };

/**
 * A map with the participating towns' boundaries drawn over Mapbox streets (with a token) or over
 * a plain background (without one, offline), and zoom buttons; it starts at a point and zoom, or
 * fitting a box.
 */
export function createTownsMap({ container, view, mapboxToken, boundariesUrl }: { container: HTMLElement; view: InitialView; mapboxToken: string | null; boundariesUrl: string }): MapboxMap {
  if (mapboxToken) mapboxgl.accessToken = mapboxToken;
  const map = new mapboxgl.Map({
    container,
    style: mapboxToken ? STREETS_STYLE : OFFLINE_STYLE,
    ...('bounds' in view ? { bounds: view.bounds, fitBoundsOptions: { padding: 16 } } : { center: [view.center.lng, view.center.lat], zoom: view.zoom }),
    keyboard: true,
    // No usage events to Mapbox without a token, and none with one beyond what the style needs.
    collectResourceTiming: false,
  });
  map.addControl(new mapboxgl.NavigationControl({ showCompass: false }), 'top-right');
  map.on('load', () => {
    map.addSource(TOWNS_SOURCE, { type: 'geojson', data: boundariesUrl });
    // Under the street and place names so they stay readable.
    const firstLabel = map.getStyle()?.layers?.find((layer) => layer.type === 'symbol')?.id;
    map.addLayer(TOWN_FILL, firstLabel);
    map.addLayer(TOWN_OUTLINE, firstLabel);
  });
  return map;
}

/** A request on the map: a pin that opens a popup with its name, a link when it has one. */
export function requestMarker(map: MapboxMap, item: MapMarker): Marker {
  const content = document.createElement('p');
  if (item.href) {
    const link = document.createElement('a');
    link.href = item.href;
    link.textContent = item.label;
    content.append(link);
  } else {
    content.textContent = item.label;
  }
  const marker = new mapboxgl.Marker({ color: item.color ?? '#005ea2', scale: 0.8 })
    .setLngLat([item.lng, item.lat])
    .setPopup(new mapboxgl.Popup({ offset: 24 }).setDOMContent(content))
    .addTo(map);
  // Focusable and opens a popup: a button to assistive technology.
  marker.getElement().setAttribute('role', 'button');
  marker.getElement().setAttribute('aria-label', item.label);
  return marker;
}

/** The red pin of the chosen spot. */
export function pinMarker(label: string): Marker {
  const marker = new mapboxgl.Marker({ color: '#d83933' });
  marker.getElement().setAttribute('role', 'img');
  marker.getElement().setAttribute('aria-label', label);
  return marker;
}
