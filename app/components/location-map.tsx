import type { LinkDescriptor } from '@remix-run/node';
import mapboxCss from 'mapbox-gl/dist/mapbox-gl.css';
import { Component, lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import type { LocationMapProps } from './location-map.client';
import { useTranslation } from 'react-i18next';

export type { LatLng, LocationMapProps, MapMarker } from './location-map.client';

const LocationMap = lazy(() => import('./location-map.client'));

/** For the `links` of a route that renders `LocationMapEnhancement`. */
export function mapStylesheets(): LinkDescriptor[] {
  return [{ rel: 'stylesheet', href: mapboxCss }];
}

/**
 * The interactive map, in the browser only: the server and the first client render show nothing
 * (no hydration mismatch), and the page must work without it. mapbox-gl is loaded on demand.
 */
export function LocationMapEnhancement(props: LocationMapProps) {
  return (
    <MapEnhancement>
      <LocationMap {...props} />
    </MapEnhancement>
  );
}

/** Renders a lazily loaded map component after hydration only, and nothing if it fails to load. */
export function MapEnhancement({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (!hydrated) return null;
  return (
    <WithoutMapOnError>
      <Suspense fallback={<p>{t('locationMap.loadingMap')}</p>}>{children}</Suspense>
    </WithoutMapOnError>
  );
}

/** A failed chunk download (offline) or no WebGL leaves the page as it is without the map. */
class WithoutMapOnError extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  render() {
    return this.state.failed ? null : this.props.children;
  }
}
