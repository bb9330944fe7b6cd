import mapboxgl, { type Marker } from 'mapbox-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIntlLocale } from '~/i18n/intl';
import { numberFormat } from '~/utils/number-format';
import { createTownsMap, pinMarker, requestMarker, type InitialView, type LatLng } from './base-map.client';

/** What /geo/requests.json and /staff/map.json answer (selectMapClusters); `overdue` on the staff map only. */
type Cluster = { lat: number; lng: number; count: number; overdue?: number; request: { trackingNumber: string; categoryName: string; status: string } | null };

/** The staff map's colours: overdue red, closed grey, open by how far along (contrast ≥ 3:1 on the map). */
const OVERDUE_COLOR = '#b50909';
const STATUS_COLORS: Record<string, string> = { submitted: '#005ea2', acknowledged: '#1a4480', in_progress: '#5c1111', withdrawn: '#565c65' };
const CLOSED_COLOR = '#565c65';

export type RequestsMapProps = {
  /** Where it starts: the whole town, or around the "near me" point. */
  view: InitialView;
  /** The "near me" point, when the list is ordered by distance from it. */
  pin: LatLng | null;
  /** /geo/requests.json (or /staff/map.json) with the list's filters; the map adds its view (bbox, zoom). */
  dataUrl: string;
  /** Where a request's page is: /requests (public) or /staff/requests. */
  requestPath: string;
  /** The list of the requests at one spot, at the deepest zoom; none on the staff map, whose table is beside it. */
  listNearUrl: ((point: LatLng) => string) | null;
  mapboxToken: string | null;
  boundariesUrl: string;
  label: string;
};

/** Past this zoom a cluster is requests at one spot: it links to the list near it instead of zooming. */
const MAX_CLUSTER_ZOOM = 18;

/**
 * Every request matching the list's filters, clustered by the server for the part of the map on
 * screen and fetched again when the map moves. Clusters are buttons that zoom in; single requests
 * open a popup linking to them.
 */
export default function RequestsMap({ view, pin, dataUrl, requestPath, listNearUrl, mapboxToken, boundariesUrl, label }: RequestsMapProps) {
  const { t } = useTranslation();
  const count = numberFormat(useIntlLocale());
  const containerRef = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<{ kind: 'loading' } | { kind: 'shown'; total: number } | { kind: 'failed' }>({ kind: 'loading' });
  const initial = useRef({ view, pin, listNearUrl });
  const words = useRef({ t, count });
  words.current = { t, count };

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const { view, pin, listNearUrl } = initial.current;
    const map = createTownsMap({ container, view, mapboxToken, boundariesUrl });
    if (pin) {
      const marker = pinMarker(words.current.t('requestsMap.nearThisPoint')).setLngLat([pin.lng, pin.lat]).addTo(map);
      // Above the clusters, which are added after it.
      marker.getElement().style.zIndex = '1';
    }
    let markers: Marker[] = [];
    let inFlight: AbortController | null = null;

    const clusterMarker = (cluster: Cluster): Marker => {
      const { t, count } = words.current;
      const button = document.createElement('button');
      button.type = 'button';
      const overdue = cluster.overdue ?? 0;
      button.className = overdue > 0 ? 'cc-map-cluster cc-map-cluster--overdue' : 'cc-map-cluster';
      button.textContent = count.format(cluster.count);
      const atMaxZoom = map.getZoom() >= MAX_CLUSTER_ZOOM;
      const name = t(atMaxZoom ? 'requestsMap.clusterHere' : 'requestsMap.clusterZoomIn', { count: cluster.count });
      button.setAttribute('aria-label', overdue > 0 ? `${name} ${t('requestsMap.overdueInCluster', { count: overdue })}` : name);
      const marker = new mapboxgl.Marker({ element: button }).setLngLat([cluster.lng, cluster.lat]);
      if (atMaxZoom) {
        if (listNearUrl) {
          const link = document.createElement('a');
          link.href = listNearUrl(cluster);
          link.textContent = t('requestsMap.listTheRequestsHere', { count: cluster.count });
          const content = document.createElement('p');
          content.append(link);
          marker.setPopup(new mapboxgl.Popup({ offset: 24 }).setDOMContent(content));
        }
      } else {
        button.addEventListener('click', (event) => {
          event.stopPropagation();
          map.easeTo({ center: [cluster.lng, cluster.lat], zoom: Math.min(map.getZoom() + 2, MAX_CLUSTER_ZOOM) });
        });
      }
      return marker.addTo(map);
    };

    const refresh = async () => {
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      const bounds = map.getBounds();
      const bbox = [Math.max(bounds.getWest(), -180), Math.max(bounds.getSouth(), -90), Math.min(bounds.getEast(), 180), Math.min(bounds.getNorth(), 90)].map((v) => v.toFixed(5));
      const separator = dataUrl.includes('?') ? '&' : '?';
      try {
        const response = await fetch(`${dataUrl}${separator}${new URLSearchParams({ bbox: bbox.join(','), zoom: String(Math.floor(map.getZoom())) })}`, { signal: controller.signal });
        if (!response.ok) throw new Error(`${response.status}`);
        const { clusters, total } = (await response.json()) as { clusters: Cluster[]; total: number };
        markers.forEach((marker) => marker.remove());
        markers = clusters.map((cluster) => {
          if (!cluster.request) return clusterMarker(cluster);
          const { trackingNumber, categoryName, status } = cluster.request;
          const overdue = (cluster.overdue ?? 0) > 0;
          const state = overdue ? words.current.t('requestsMap.overdue') : words.current.t(`requestStatus.${status}`);
          return requestMarker(map, {
            lat: cluster.lat,
            lng: cluster.lng,
            // The public map keeps one colour; the staff map (which counts the overdue) colours and names the status.
            label: cluster.overdue === undefined ? `${trackingNumber}: ${categoryName}` : `${trackingNumber}: ${categoryName} (${state})`,
            href: `${requestPath}/${trackingNumber}`,
            color: cluster.overdue === undefined ? undefined : overdue ? OVERDUE_COLOR : (STATUS_COLORS[status] ?? CLOSED_COLOR),
          });
        });
        setStatus({ kind: 'shown', total });
      } catch {
        // A newer view's fetch replaced this one; anything else leaves the list to say it all.
        if (!controller.signal.aborted) setStatus({ kind: 'failed' });
      }
    };
    map.on('load', refresh);
    map.on('moveend', refresh);
    return () => {
      inFlight?.abort();
      map.remove();
    };
  }, [dataUrl, requestPath, mapboxToken, boundariesUrl]);

  return (
    <section aria-label={label} className="cc-location-map">
      <div ref={containerRef} style={{ height: '20rem', width: '100%' }} />
      <p className="usa-hint" role="status" aria-live="polite">
        {status.kind === 'shown' ? t('requestsMap.shown', { count: status.total, formatted: count.format(status.total) }) : status.kind === 'failed' ? t('requestsMap.failed') : null}
      </p>
    </section>
  );
}
