import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AddressField } from '~/components/address-field';
import { CoordinateFields } from '~/components/coordinate-fields';
import { FormAlert, StatusAlert } from '~/components/form-field';
import { PhotoPicker } from '~/components/photo-picker';
import { readCoordinate } from '~/modules/requests/coordinates';
import { MunicipalGuidance } from '~/components/municipal-guidance';
import { LocationMapEnhancement } from '~/components/location-map';
import { CategorySearch } from '~/components/category-search';
import { CategoryOptions } from '~/components/category-options';
import { ReportQuestions } from '~/components/report-questions';
import { useUploadWithProgress } from '~/components/use-upload-with-progress';
import { UseMyLocationButton } from '~/components/use-my-location';
import { TransText } from '~/i18n/trans-text';
import type { CategoryQuestion } from '#db/vocabulary';
import { DESCRIPTION_MAX } from '~/modules/requests/report-limits';
import type { FieldErrors } from '~/utils/field-errors';

/** What the report action answers when it does not redirect: the form again, with what to fix or confirm. */
export type ReportActionData = {
  values: Record<string, string | string[]>;
  errors: FieldErrors;
  photosDropped: boolean;
  confirm?: {
    message: string;
    choices: { slug: string; name: string }[];
    elsewhere: { slug: string; name: string }[];
    suggested: string;
  };
  notParticipating?: {
    name: string;
    guidance: { requestSystem: string | null; directoryUrl: string };
  };
  duplicates?: {
    townSlug: string;
    townOrigin: string;
    items: {
      trackingNumber: string;
      description: string;
      distanceMeters: number;
      status: string;
    }[];
  };
};

type ReportCategory = {
  code: string;
  name: string;
  group: string;
  description: string;
  questions: CategoryQuestion[];
  keywords: string[];
};

export type ReportFormProps = {
  town: { name: string; slug: string };
  groups: { group: string; categories: ReportCategory[] }[];
  idempotencyKey: string;
  center: { lat: number; lng: number };
  mapboxToken: string | null;
  signedInAs: string | null;
  /** Whether this server decodes HEIC, so the photo checks before upload match its own. */
  heicReadable: boolean;
  /** The town the statewide entry settled (the resident chose it, or the spot or address decided it): not asked again. */
  settledTown?: string | null;
  /** Where the statewide entry placed the problem, so the form starts there. */
  initialLocation?: {
    lat: string;
    lng: string;
    source: string;
    address: string;
  } | null;
};

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <span className="usa-error-message" id={id} role="alert">
      {message}
    </span>
  ) : null;
}

/**
 * The report form of one town, on its own site or reached through the statewide entry: category,
 * where, what, photos and how to hear back. Without JavaScript it is a plain multipart post.
 */
export function ReportForm({ town, groups, idempotencyKey, center, mapboxToken, signedInAs, initialLocation, heicReadable, settledTown }: ReportFormProps) {
  const { t } = useTranslation();
  const serverActionData = useActionData<ReportActionData>();
  const { onSubmit, upload, result, failure } = useUploadWithProgress<ReportActionData>('routes/report', (form) => {
    const input = form.elements.namedItem('photos');
    return input instanceof HTMLInputElement && (input.files?.length ?? 0) > 0;
  });
  const actionData = result ?? serverActionData;
  const busy = useNavigation().state === 'submitting' || upload !== null;
  const values =
    actionData?.values ??
    (initialLocation
      ? {
          lat: initialLocation.lat,
          lng: initialLocation.lng,
          locationSource: initialLocation.source,
          address: initialLocation.address,
        }
      : {});
  const errors = actionData?.errors ?? {};
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
  const [linked] = useSearchParams(); // ?category= from the category search page (/report/categories)
  const [category, setCategory] = useState(text('category') || (linked.get('category') ?? ''));
  const [point, setPoint] = useState<{
    lat: string;
    lng: string;
    source: string;
  }>({
    lat: text('lat'),
    lng: text('lng'),
    source: text('locationSource') || 'coordinates',
  });
  const selected = groups.flatMap((g) => g.categories).find((c) => c.code === category);
  // Read as the server reads it, so a typed decimal comma shows the pin too.
  const [lat, lng] = [readCoordinate(point.lat), readCoordinate(point.lng)];
  const pin = lat?.ok && lng?.ok ? { lat: lat.value, lng: lng.value } : null;
  // "Location taken from your photo" stays until the resident places the pin another way.
  const [fromPhoto, setFromPhoto] = useState(false);
  const pick = (p: { lat: number; lng: number }, source: string) => {
    setPoint({ lat: p.lat.toFixed(6), lng: p.lng.toFixed(6), source });
    if (source !== 'photo') setFromPhoto(false);
  };
  const typeCoordinate = (axis: 'lat' | 'lng', value: string) => {
    setPoint({ ...point, [axis]: value, source: 'coordinates' });
    setFromPhoto(false);
  };
  const hasErrors = Object.keys(errors).length > 0;

  return (
    <>
      <p>{t('report.forEmergenciesCall911Fields')}</p>
      {hasErrors ? <FormAlert message={t('report.pleaseCorrectTheFieldsMarked')} /> : null}
      <FormAlert message={failure} />
      {actionData?.confirm ? (
        <div className="usa-alert usa-alert--info usa-alert--slim" role="status">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              {/* eslint-disable-next-line jsx-a11y/anchor-has-content -- Trans fills the link with the catalogue's words. */}
              <TransText t={t} i18nKey="report.oneMoreStepConfirmWhich" components={{ a: <a href="#confirm-town" /> }} />
            </p>
          </div>
        </div>
      ) : null}
      {actionData?.photosDropped && !result && (hasErrors || actionData.confirm || actionData.duplicates) ? (
        <div className="usa-alert usa-alert--info usa-alert--slim" role="status">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{t('report.browsersDoNotKeepChosen')}</p>
          </div>
        </div>
      ) : null}
      {actionData?.notParticipating ? <MunicipalGuidance name={actionData.notParticipating.name} guidance={actionData.notParticipating.guidance} /> : null}
      {actionData?.duplicates ? (
        <section className="usa-alert usa-alert--warning" aria-labelledby="duplicates-heading">
          <div className="usa-alert__body">
            <h2 className="usa-alert__heading" id="duplicates-heading">
              {t('report.isThisTheSameProblem')}
            </h2>
            <p className="usa-alert__text">{t('report.theseOpenReportsOfThe')}</p>
            <ul className="usa-list">
              {actionData.duplicates.items.map((d) => (
                <li key={d.trackingNumber}>
                  <a href={`${actionData.duplicates!.townOrigin}/requests/${d.trackingNumber}`}>{d.trackingNumber}</a> ({d.distanceMeters}
                  {t('report.mAway')} {d.description.slice(0, 140)}
                  {actionData.duplicates!.townSlug === town.slug && (signedInAs || text('email')) ? (
                    <Form method="post" action={`/requests/${d.trackingNumber}`} className="display-inline margin-left-1">
                      <input type="hidden" name="intent" value="follow" />
                      {signedInAs ? null : <input type="hidden" name="email" value={text('email')} />}
                      <button type="submit" className="usa-button usa-button--unstyled">
                        {t('report.followTrackingnumberInsteadMeToo', {
                          trackingNumber: d.trackingNumber,
                        })}
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
        </section>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="usa-form cc-report-form" noValidate onSubmit={onSubmit}>
        <input type="hidden" name="idempotencyKey" value={text('idempotencyKey') || idempotencyKey} />
        <input type="hidden" name="locationSource" value={point.source} />
        {settledTown && !actionData?.confirm && !actionData?.duplicates ? <input type="hidden" name="confirmTown" value={settledTown} /> : null}

        <div className={`usa-form-group${errors.category ? ' usa-form-group--error' : ''}`}>
          <label className="usa-label" htmlFor="category">
            {t('report.whatKindOfProblemIs')}
          </label>
          <FieldError id="category-error" message={errors.category} />
          <CategorySearch onPick={setCategory} options={groups.flatMap((g) => g.categories.map((c) => ({ code: c.code, label: `${c.name} (${g.group})`, keywords: c.keywords })))} />
          <select
            className="usa-select"
            id="category"
            name="category"
            value={category}
            onChange={(e) => setCategory(e.target.value)}
            aria-describedby={errors.category ? 'category-error' : undefined}
            aria-invalid={errors.category ? true : undefined}
          >
            <CategoryOptions groups={groups} />
          </select>
          {selected ? <p className="usa-hint">{selected.description}</p> : null}
        </div>

        {selected ? <ReportQuestions questions={selected.questions} values={values} errors={errors} /> : null}

        <fieldset className={`usa-fieldset cc-report-place${errors.location || errors.lat || errors.lng ? ' usa-form-group--error' : ''}`}>
          <legend className="usa-legend cc-legend">{t('report.whereIsIt')}</legend>
          <FieldError id="location-error" message={errors.location ?? errors.lat ?? errors.lng} />
          <p className="usa-hint" id="location-hint">
            {t('report.pickTheSpotOnThe')}
          </p>
          <StatusAlert tone="info" message={fromPhoto ? t('photoPicker.locationFromPhoto') : null} />
          <LocationMapEnhancement
            center={pin ?? center}
            zoom={pin ? 17 : 13}
            pin={pin}
            onPick={(p) => pick(p, 'map')}
            mapboxToken={mapboxToken}
            boundariesUrl="/geo/towns.geojson"
            label={t('report.mapClickOrTapWhere')}
          />
          <UseMyLocationButton onLocate={(p) => pick(p, 'device')} />
          <AddressField id="address" label={t('report.addressOrLandmark')} defaultValue={text('address')} suggest={mapboxToken !== null} near={pin ?? center} onPick={(p) => pick(p, 'geocoded')} />
          <CoordinateFields point={point} errors={errors} onType={typeCoordinate} />
        </fieldset>

        {actionData?.confirm ? (
          <div className="usa-alert usa-alert--info" id="confirm-town">
            <div className="usa-alert__body">
              <fieldset className="usa-fieldset" aria-describedby="confirm-message">
                <legend className="usa-legend">{t('report.confirmTheCommunity')}</legend>
                <p id="confirm-message">{actionData.confirm.message}</p>
                {actionData.confirm.choices.map((c) => (
                  <div className="usa-radio" key={c.slug}>
                    <input
                      className="usa-radio__input"
                      type="radio"
                      id={`confirm-${c.slug}`}
                      name="confirmTown"
                      value={c.slug}
                      defaultChecked={c.slug === actionData.confirm!.suggested}
                    />
                    <label className="usa-radio__label" htmlFor={`confirm-${c.slug}`}>
                      {t('report.sendItToName', { name: c.name })}
                    </label>
                  </div>
                ))}
                {actionData.confirm.elsewhere.map((c) => (
                  <div className="usa-radio" key={c.slug}>
                    <input className="usa-radio__input" type="radio" id={`confirm-${c.slug}`} name="confirmTown" value={c.slug} />
                    <label className="usa-radio__label" htmlFor={`confirm-${c.slug}`}>
                      {t('report.entry.onTheSideOf', { name: c.name })}
                    </label>
                  </div>
                ))}
              </fieldset>
            </div>
          </div>
        ) : null}
        {actionData?.duplicates ? (
          <>
            <input type="hidden" name="confirmTown" value={actionData.duplicates.townSlug} />
            <div className="usa-checkbox">
              <input className="usa-checkbox__input" type="checkbox" id="notDuplicate" name="notDuplicate" value="1" />
              <label className="usa-checkbox__label" htmlFor="notDuplicate">
                {t('report.myReportIsADifferent')}
              </label>
            </div>
          </>
        ) : null}

        <div className={`usa-form-group${errors.description ? ' usa-form-group--error' : ''}`}>
          <label className="usa-label" htmlFor="description">
            {t('report.describeTheProblem')}
          </label>
          <FieldError id="description-error" message={errors.description} />
          <textarea
            className="usa-textarea"
            id="description"
            name="description"
            defaultValue={text('description')}
            maxLength={DESCRIPTION_MAX}
            aria-describedby={errors.description ? 'description-error' : undefined}
            aria-invalid={errors.description ? true : undefined}
          />
        </div>

        <PhotoPicker
          error={errors.photos}
          heicReadable={heicReadable}
          onLocation={(p) => {
            pick(p, 'photo');
            setFromPhoto(true);
          }}
        />

        {signedInAs ? (
          <p>
            <TransText t={t} i18nKey="report.updatesGoToSignedinasYour" values={{ signedInAs }} components={{ a: <Link to="/account" /> }} />
          </p>
        ) : (
          <fieldset className="usa-fieldset">
            <legend className="usa-legend">{t('report.getUpdatesOptional')}</legend>
            <p className="usa-hint">
              <TransText t={t} i18nKey="report.leaveYourEmailToGet" components={{ a: <Link to="/login?redirectTo=/report" /> }} />
            </p>
            <div className={`usa-form-group${errors.email ? ' usa-form-group--error' : ''}`}>
              <label className="usa-label" htmlFor="email">
                {t('report.email')}
              </label>
              <FieldError id="email-error" message={errors.email} />
              <input className="usa-input" id="email" name="email" type="email" autoComplete="email" defaultValue={text('email')} />
            </div>
            <label className="usa-label" htmlFor="name">
              {t('report.yourName')}
            </label>
            <input className="usa-input" id="name" name="name" autoComplete="name" defaultValue={text('name')} maxLength={80} />
          </fieldset>
        )}

        <button type="submit" className="usa-button usa-button--big cc-button-accent" disabled={busy}>
          {busy ? t('report.sendingYourReport') : t('report.sendReport')}
        </button>
        {upload ? (
          <div role="status" aria-live="polite">
            <label htmlFor="upload-progress">
              {t('report.uploadingYourPhotosPercent', {
                percent: upload.percent,
              })}
            </label>
            <progress id="upload-progress" max={100} value={upload.percent} className="width-full" />
            {upload.percent === 100 ? <p>{t('report.processingYourPhotos')}</p> : null}
          </div>
        ) : busy ? (
          <p role="status" aria-live="polite">
            {t('report.sendingYourReport')}
          </p>
        ) : null}
      </Form>
    </>
  );
}
