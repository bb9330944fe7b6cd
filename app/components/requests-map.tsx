import { lazy } from 'react';
import { MapEnhancement } from './location-map';
import type { RequestsMapProps } from './requests-map.client';

const RequestsMap = lazy(() => import('./requests-map.client'));

/** The map of every request the list's filters match; an enhancement over the list (see LocationMapEnhancement). */
export function RequestsMapEnhancement(props: RequestsMapProps) {
  return (
    <MapEnhancement>
      <RequestsMap {...props} />
    </MapEnhancement>
  );
}
