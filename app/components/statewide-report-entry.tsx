import { Form, Link } from '@remix-run/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AddressField } from '~/components/address-field';
import { CoordinateFields } from '~/components/coordinate-fields';
import { FormAlert } from '~/components/form-field';
import { MunicipalGuidance } from '~/components/municipal-guidance';
import { LocationMapEnhancement } from '~/components/location-map';
import { UseMyLocationButton } from '~/components/use-my-location';
import type { FieldErrors } from '~/utils/field-errors';
import { MASSACHUSETTS_CENTRE } from '~/modules/geo/massachusetts';

type Choice = { slug: string; name: string };
type Location = {
  lat: number;
  lng: number;
  source: string;
  address: string | null;
};

export type StatewideEntryView =
  | { kind: 'locate'; errors: FieldErrors; values: Record<string, string>; geocoder: boolean }
  | {
      kind: 'choose_town';
      location: Location | null;
      choices: Choice[];
      elsewhere: Choice[];
      address: string | null;
    }
  | {
      kind: 'not_participating';
      municipality: Choice;
      guidance: { requestSystem: string | null; directoryUrl: string };
    };


/** Keeps the spot already given while the resident answers the next question. */
function LocationFields({ location, address }: { location: Location | null; address: string | null }) {
  return (
    <>
      {location ? (
        <>
          <input type="hidden" name="lat" value={location.lat.toFixed(6)} />
          <input type="hidden" name="lng" value={location.lng.toFixed(6)} />
          <input type="hidden" name="locationSource" value={location.source === 'geocoded' ? 'coordinates' : location.source} />
        </>
      ) : null}
      {address ? <input type="hidden" name="address" value={address} /> : null}
    </>
  );
}

/** Step one: where is it? A GET form, so it works without JavaScript and writes nothing. */
function LocateStep({ errors, values, geocoder }: { errors: FieldErrors; values: Record<string, string>; geocoder: boolean }) {
  const { t } = useTranslation();
  const [point, setPoint] = useState({
    lat: values.lat ?? '',
    lng: values.lng ?? '',
    source: values.locationSource || 'coordinates',
  });
  const pick = (p: { lat: number; lng: number }, source: string) => setPoint({ lat: p.lat.toFixed(6), lng: p.lng.toFixed(6), source });
  const pin = point.lat && point.lng && Number.isFinite(Number(point.lat)) && Number.isFinite(Number(point.lng)) ? { lat: Number(point.lat), lng: Number(point.lng) } : null;
  const locationError = errors.location ?? errors.lat ?? errors.lng ?? errors.address;
  return (
    <Form method="get" action="/report" className="usa-form usa-form--large">
      <FormAlert message={locationError ? t('report.pleaseCorrectTheFieldsMarked') : null} />
      <input type="hidden" name="locationSource" value={point.source} />
      <fieldset className={`usa-fieldset${locationError ? ' usa-form-group--error' : ''}`}>
        <legend className="usa-legend cc-legend">{t('report.whereIsIt')}</legend>
        {locationError ? (
          <span className="usa-error-message" id="location-error" role="alert">
            {locationError}
          </span>
        ) : null}
        <p className="usa-hint" id="entry-location-hint">
          {t('report.entry.locateHint')}
        </p>
        <UseMyLocationButton onLocate={(p) => pick(p, 'device')} />
        <LocationMapEnhancement
          center={pin ?? MASSACHUSETTS_CENTRE}
          zoom={pin ? 16 : 8}
          pin={pin}
          onPick={(p) => pick(p, 'map')}
          boundariesUrl="/geo/towns.geojson"
          mapboxToken={null}
          label={t('report.mapClickOrTapWhere')}
        />
        <AddressField
          id="entry-address"
          label={t('report.entry.addressWithTown')}
          hint={t('report.entry.addressHint')}
          defaultValue={values.address ?? ''}
          suggest={geocoder}
          near={pin ?? MASSACHUSETTS_CENTRE}
          onPick={(p) => pick(p, 'geocoded')}
        />
        <CoordinateFields idPrefix="entry-" point={point} errors={errors} onType={(axis, value) => setPoint({ ...point, [axis]: value, source: 'coordinates' })} />
      </fieldset>
      <button type="submit" className="usa-button usa-button--big cc-button-accent">
        {t('report.entry.continue')}
      </button>
    </Form>
  );
}

/** Step one and a half: the spot is on a border, or only an address was given and no town is known. */
function ChooseTownStep({ entry }: { entry: Extract<StatewideEntryView, { kind: 'choose_town' }> }) {
  const { t } = useTranslation();
  const { location, choices, elsewhere, address } = entry;
  const onBorder = location !== null;
  return (
    <Form method="get" action="/report" className="usa-form usa-form--large">
      <LocationFields location={location} address={address} />
      {onBorder ? (
        <fieldset className="usa-fieldset">
          <legend className="usa-legend cc-legend">{t('report.entry.whichSide')}</legend>
          <p className="usa-hint">
            {t('report.entry.onBorder', {
              towns: [...choices, ...elsewhere].map((c) => c.name).join(', '),
            })}
          </p>
          {choices.map((c, i) => (
            <div className="usa-radio" key={c.slug}>
              <input className="usa-radio__input" type="radio" id={`town-${c.slug}`} name="town" value={c.slug} defaultChecked={i === 0} />
              <label className="usa-radio__label" htmlFor={`town-${c.slug}`}>
                {t('report.sendItToName', { name: c.name })}
              </label>
            </div>
          ))}
          {elsewhere.map((c) => (
            <div className="usa-radio" key={c.slug}>
              <input className="usa-radio__input" type="radio" id={`town-${c.slug}`} name="town" value={c.slug} defaultChecked={choices.length === 0} />
              <label className="usa-radio__label" htmlFor={`town-${c.slug}`}>
                {t('report.entry.onTheSideOf', { name: c.name })}
              </label>
            </div>
          ))}
        </fieldset>
      ) : (
        <>
          <p>{t('report.entry.approximate')}</p>
          <label className="usa-label" htmlFor="entry-town">
            {t('report.entry.whichTown')}
          </label>
          <select className="usa-select" id="entry-town" name="town" required defaultValue="">
            <option value="">{t('report.entry.chooseTown')}</option>
            {choices.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
            {elsewhere.map((c) => (
              <option key={c.slug} value={c.slug}>
                {t('report.entry.notInProgram', { name: c.name })}
              </option>
            ))}
          </select>
          <p className="usa-hint">{t('report.entry.notListed')}</p>
        </>
      )}
      <button type="submit" className="usa-button">
        {t('report.entry.continue')}
      </button>
      <p>
        <Link to="/report">{t('report.entry.changeLocation')}</Link>
      </p>
    </Form>
  );
}

/** The statewide site's report entry, before the town is known: location first. */
export function StatewideReportEntry({ entry }: { entry: StatewideEntryView }) {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('report.entry.heading')}</h1>
      <p>{t('report.entry.intro')}</p>
      {entry.kind === 'locate' ? (
        <LocateStep errors={entry.errors} values={entry.values} geocoder={entry.geocoder} />
      ) : entry.kind === 'choose_town' ? (
        <ChooseTownStep entry={entry} />
      ) : (
        <>
          <MunicipalGuidance name={entry.municipality.name} guidance={entry.guidance} />
          <p>
            <Link to="/report">{t('report.entry.otherSpot')}</Link>
          </p>
        </>
      )}
    </>
  );
}
