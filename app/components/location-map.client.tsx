import type { Map as MapboxMap, Marker } from 'mapbox-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createTownsMap, pinMarker as createPinMarker, requestMarker, type LatLng, type MapMarker } from './base-map.client';

export type { LatLng, MapMarker } from './base-map.client';

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
    const map = createTownsMap({ container, view: initialView.current, mapboxToken, boundariesUrl });
    const pinMarker = createPinMarker(pinLabel.current);
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
    const added = markers.map((item) => requestMarker(map, item));
    return () => added.forEach((marker) => marker.remove());
  }, [view, markers]);

  return (
    <section aria-label={label} className="cc-location-map">
      {pickable ? <p className="usa-sr-only">{t('locationMapClient.theMapIsOptionalYou')}</p> : null}
      <div ref={containerRef} style={{ height: '20rem', width: '100%' }} />
    </section>
  );
}
