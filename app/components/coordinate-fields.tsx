import { useTranslation } from 'react-i18next';

type Axis = 'lat' | 'lng';

/** Latitude and longitude typed by hand, behind a disclosure that opens once there is something in them (or wrong with them). */
export function CoordinateFields({
  idPrefix = '',
  point,
  errors = {},
  onType,
}: {
  idPrefix?: string;
  point: { lat: string; lng: string };
  errors?: Partial<Record<Axis, string>>;
  onType: (axis: Axis, value: string) => void;
}) {
  const { t } = useTranslation();
  const field = (axis: Axis, label: string) => (
    <>
      <label className="usa-label" htmlFor={`${idPrefix}${axis}`}>
        {label}
      </label>
      <input
        className="usa-input"
        id={`${idPrefix}${axis}`}
        name={axis}
        inputMode="decimal"
        value={point[axis]}
        onChange={(e) => onType(axis, e.target.value)}
        aria-invalid={errors[axis] ? true : undefined}
      />
    </>
  );
  return (
    <details open={Boolean(point.lat || errors.lat || errors.lng)}>
      <summary>{t('report.enterCoordinates')}</summary>
      {field('lat', t('report.latitude'))}
      {field('lng', t('report.longitude'))}
    </details>
  );
}
