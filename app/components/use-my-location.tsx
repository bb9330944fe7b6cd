import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** "Use my location": only rendered once JavaScript runs, since it needs the Geolocation API. */
export function UseMyLocationButton({ onLocate }: { onLocate: (point: { lat: number; lng: number }) => void }) {
  const { t } = useTranslation();
  const [available, setAvailable] = useState(false);
  const [state, setState] = useState<'idle' | 'locating' | 'denied' | 'failed' | 'done'>('idle');
  useEffect(() => setAvailable('geolocation' in navigator), []);
  if (!available) return null;
  const locate = () => {
    setState('locating');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        onLocate({ lat: position.coords.latitude, lng: position.coords.longitude });
        setState('done');
      },
      (error) => setState(error.code === error.PERMISSION_DENIED ? 'denied' : 'failed'),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };
  const message = state === 'idle' ? null : t(`useMyLocation.state.${state}`);
  return (
    <div className="margin-y-1">
      <button type="button" className="usa-button usa-button--outline" onClick={locate} disabled={state === 'locating'}>{t('useMyLocation.useMyLocation')}</button>
      <p role="status" aria-live="polite" className="usa-hint">
        {message}
      </p>
    </div>
  );
}
