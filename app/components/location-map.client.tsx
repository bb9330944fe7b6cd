import mapboxgl, { type FillLayer, type LineLayer, type Map as MapboxMap, type Marker, type Style } from 'mapbox-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export type LatLng = { lat: number; lng: number };
export type MapMarker = LatLng & { label: string; href?: string };

export type LocationMapProps = {
  /** The initial view only: later changes do not move the map (a changed `pin` does). */
  center: LatLng;
  zoom?: number;
  pin: LatLng | null;
  /** Without it the map only shows `pin` and `markers`. */
  onPick?: (point: LatLng) => void;
  /** Pass a stable array (loader data is): a new array recreates the markers and closes their popups. */
  markers?: MapMarker[];
  /** With a token, Mapbox streets; without one, a style drawn only from our own boundaries (offline). */
  mapboxToken: string | null;
  boundariesUrl: string;
  /** The accessible name of the map region. */
  label: string;
};

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
const PIN_ZOOM = 16;
// Coordinates travel through the form as 6-decimal strings, so our own pick comes back rounded.
const SAME_POINT = 1e-6;

export default function LocationMap({ center, zoom = 13, pin, onPick, markers, mapboxToken, boundariesUrl, label }: LocationMapProps) {
  const { t } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<{ map: MapboxMap; pinMarker: Marker } | null>(null);
  const initialView = useRef({ center, zoom });
  const onPickRef = useRef(onPick);
  const lastPickRef = useRef<LatLng | null>(null);
  // The map is built once; the pin's name is read then, like the initial view.
  const pinLabel = useRef(t('locationMapClient.chosenLocation'));

  useEffect(() => {
    onPickRef.current = onPick;
  });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    if (mapboxToken) mapboxgl.accessToken = mapboxToken;
    const { center, zoom } = initialView.current;
    const map = new mapboxgl.Map({
      container,
      style: mapboxToken ? STREETS_STYLE : OFFLINE_STYLE,
      center: [center.lng, center.lat],
      zoom,
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

    const pinMarker = new mapboxgl.Marker({ color: '#d83933' });
    pinMarker.getElement().setAttribute('role', 'img');
    pinMarker.getElement().setAttribute('aria-label', pinLabel.current);
    const pick = (point: LatLng) => {
      pinMarker.setLngLat([point.lng, point.lat]).addTo(map);
      lastPickRef.current = point;
      onPickRef.current?.(point);
    };
    pinMarker.on('dragend', () => pick({ lat: pinMarker.getLngLat().lat, lng: pinMarker.getLngLat().lng }));
    map.on('click', (event) => {
      // Clicks on markers and popups reach the map too.
      if (!onPickRef.current || event.originalEvent.target !== map.getCanvas()) return;
      pick({ lat: event.lngLat.lat, lng: event.lngLat.lng });
    });

    setView({ map, pinMarker });
    return () => {
      setView(null);
      map.remove();
    };
  }, [mapboxToken, boundariesUrl]);

  const pinLat = pin?.lat;
  const pinLng = pin?.lng;
  const pickable = onPick !== undefined;
  useEffect(() => {
    if (!view) return;
    const { map, pinMarker } = view;
    if (pinLat === undefined || pinLng === undefined) {
      pinMarker.remove();
      return;
    }
    pinMarker.setLngLat([pinLng, pinLat]).setDraggable(pickable).addTo(map);
    const last = lastPickRef.current;
    // Typed coordinates, "use my location" or a photo moved the pin: bring it into view.
    if (!last || Math.abs(last.lat - pinLat) > SAME_POINT || Math.abs(last.lng - pinLng) > SAME_POINT) {
      map.flyTo({ center: [pinLng, pinLat], zoom: Math.max(map.getZoom(), PIN_ZOOM) });
    }
  }, [view, pinLat, pinLng, pickable]);

  useEffect(() => {
    if (!view || !markers) return;
    const { map } = view;
    const added = markers.map((item) => {
      const content = document.createElement('p');
      if (item.href) {
        const link = document.createElement('a');
        link.href = item.href;
        link.textContent = item.label;
        content.append(link);
      } else {
        content.textContent = item.label;
      }
      const marker = new mapboxgl.Marker({ color: '#005ea2', scale: 0.8 })
        .setLngLat([item.lng, item.lat])
        .setPopup(new mapboxgl.Popup({ offset: 24 }).setDOMContent(content))
        .addTo(map);
      // Focusable and opens a popup: a button to assistive technology.
      marker.getElement().setAttribute('role', 'button');
      marker.getElement().setAttribute('aria-label', item.label);
      return marker;
    });
    return () => added.forEach((marker) => marker.remove());
  }, [view, markers]);

  return (
    <section aria-label={label} className="cc-location-map">
      {pickable ? <p className="usa-sr-only">{t('locationMapClient.theMapIsOptionalYou')}</p> : null}
      <div ref={containerRef} style={{ height: '20rem', width: '100%' }} />
    </section>
  );
}
