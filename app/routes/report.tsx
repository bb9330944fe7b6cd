import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { useState } from 'react';
import { FormAlert } from '~/components/form-field';
import { TownIntakeNotice } from '~/components/town-contact';
import { LocationMapEnhancement, mapStylesheets } from '~/components/location-map';
import { CategorySearch } from '~/components/category-search';
import { ReportQuestions } from '~/components/report-questions';
import { useUploadWithProgress } from '~/components/use-upload-with-progress';
import { UseMyLocationButton } from '~/components/use-my-location';
import { uuidv7 } from '#db/ids';
import { groupCategories, listCategories } from '~/modules/categories/categories.server';
import { townAnchorPoint } from '~/modules/geo/locate-town.server';
import { REPORT_UPLOAD_LIMITS } from '~/modules/requests/report-form.server';
import { DESCRIPTION_MAX, PHOTO_LIMITS } from '~/modules/requests/report-limits';
import { intakeFor, submitReport } from '~/modules/requests/submit-report.server';
import type { ReportRejection } from '~/modules/requests/validate-report.server';
import { getEnv } from '~/utils/env.server';
import { readUploadForm } from '~/utils/multipart.server';
import { getOptionalUser } from '~/utils/permissions.server';
import { requireTown, siteOrigin, townLinks } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { wordFieldErrors } from '~/i18n/field-errors';
import type { FieldErrors } from '~/utils/field-errors';
import { requestT } from '~/i18n/i18n.server';
import type { TFunction } from 'i18next';

export const links: LinksFunction = () => mapStylesheets();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: metaT(matches)('report.pageTitle', { townName: data?.town.name ?? metaT(matches)('root.commonwealthConnect') }) }];

export async function loader(args: LoaderFunctionArgs) {
  const town = await requireTown(args);
  const user = await getOptionalUser(args);
  const categories = await listCategories(town.id);
  const intake = await intakeFor(town, user);
  return json({
    town: { name: town.name, slug: town.slug, contact: town.contact },
    closedBecause: intake.open ? null : intake.reason,
    signedInAs: user ? user.email : null,
    groups: groupCategories(categories),
    idempotencyKey: uuidv7(),
    center: await townAnchorPoint(town.slug),
    mapboxToken: getEnv().MAPBOX_TOKEN ?? null,
  });
}

type ActionData = {
  values: Record<string, string | string[]>;
  errors: FieldErrors;
  photosDropped: boolean;
  confirm?: { message: string; choices: { slug: string; name: string }[]; suggested: string };
  duplicates?: { townSlug: string; townOrigin: string; items: { trackingNumber: string; description: string; distanceMeters: number; status: string }[] };
};

// "Arlington and Cambridge", "Arlington, Belmont and Cambridge": the catalogue holds the words, the code only the order.
function townList(t: TFunction, names: string[]): string {
  return names.length < 2 ? (names[0] ?? '') : t('report.townList', { first: names.slice(0, -1).join(', '), last: names.at(-1) });
}

const REJECTION_STATUS: Record<ReportRejection, 400 | 413 | 422> = { expired_form: 400, photo_too_large: 413, invalid: 422 };

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const town = await requireTown(args);
  const user = await getOptionalUser(args);
  const form = await readUploadForm(request, REPORT_UPLOAD_LIMITS);
  const { fields } = form;
  const result = await submitReport({ hostTown: town, user, form, links: (slug) => townLinks(slug) });
  if (result.kind === 'created') {
    const origin = siteOrigin(result.town.slug);
    throw redirect(`${origin}/requests/${result.trackingNumber}?submitted=1`);
  }
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(fields.keys())) {
    const all = fields.getAll(key);
    values[key] = key.startsWith('q.') ? all : all[0]!;
  }
  const base = { values, photosDropped: form.files.length > 0 };
  const t = await requestT(request);
  if (result.kind === 'invalid') {
    return json<ActionData>({ ...base, errors: wordFieldErrors(t, result.errors, 'report') }, { status: REJECTION_STATUS[result.rejection] });
  }
  if (!values.lat && !values.lng) Object.assign(values, { lat: result.point.lat.toFixed(6), lng: result.point.lng.toFixed(6), locationSource: 'coordinates' });
  if (result.kind === 'choose_town') {
    const message =
      result.reason === 'border'
        ? t('report.confirmBorder', { towns: townList(t, result.towns.map((c) => c.name)) })
        : t('report.confirmOtherTown', { town: result.suggested.name, hostTown: town.name });
    return json<ActionData>({ ...base, errors: {}, confirm: { message, choices: result.choices, suggested: result.suggested.slug } });
  }
  return json<ActionData>({
    ...base,
    errors: {},
    duplicates: { townSlug: result.destination.slug, townOrigin: siteOrigin(result.destination.slug), items: result.duplicates },
  });
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <span className="usa-error-message" id={id} role="alert">
      {message}
    </span>
  ) : null;
}

export default function Report() {
  const { t } = useTranslation();
  const { town, closedBecause, groups, idempotencyKey, center, mapboxToken, signedInAs } = useLoaderData<typeof loader>();
  const serverActionData = useActionData<typeof action>();
  const { onSubmit, upload, result, failure } = useUploadWithProgress<ActionData>('routes/report', (form) => {
    const input = form.elements.namedItem('photos');
    return input instanceof HTMLInputElement && (input.files?.length ?? 0) > 0;
  });
  const actionData = result ?? serverActionData;
  const busy = useNavigation().state === 'submitting' || upload !== null;
  const values = actionData?.values ?? {};
  const errors = actionData?.errors ?? {};
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
  const [linked] = useSearchParams(); // ?category= from the category search page (/report/categories)
  const [category, setCategory] = useState(text('category') || (linked.get('category') ?? ''));
  const [point, setPoint] = useState<{ lat: string; lng: string; source: string }>({ lat: text('lat'), lng: text('lng'), source: text('locationSource') || 'coordinates' });
  const selected = groups.flatMap((g) => g.categories).find((c) => c.code === category);
  const pin = point.lat && point.lng && Number.isFinite(Number(point.lat)) && Number.isFinite(Number(point.lng)) ? { lat: Number(point.lat), lng: Number(point.lng) } : null;
  const pick = (p: { lat: number; lng: number }, source: string) => setPoint({ lat: p.lat.toFixed(6), lng: p.lng.toFixed(6), source });
  const hasErrors = Object.keys(errors).length > 0;

  if (closedBecause) {
    return (
      <>
        <h1>{t('report.reportAProblemInName', { name: town.name })}</h1>
        <TownIntakeNotice reason={closedBecause} town={town} />
        <p>
          <Link to="/requests">{t('index.seeReportedProblemsInName', { name: town.name })}</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <h1>{t('report.reportAProblemInName', { name: town.name })}</h1>
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
      {actionData?.duplicates ? (
        <section className="usa-alert usa-alert--warning" aria-labelledby="duplicates-heading">
          <div className="usa-alert__body">
            <h2 className="usa-alert__heading" id="duplicates-heading">{t('report.isThisTheSameProblem')}</h2>
            <p className="usa-alert__text">{t('report.theseOpenReportsOfThe')}</p>
            <ul className="usa-list">
              {actionData.duplicates.items.map((d) => (
                <li key={d.trackingNumber}>
                  <a href={`${actionData.duplicates!.townOrigin}/requests/${d.trackingNumber}`}>{d.trackingNumber}</a> ({d.distanceMeters}{t('report.mAway')}{' '}
                  {d.description.slice(0, 140)}
                  {actionData.duplicates!.townSlug === town.slug && (signedInAs || text('email')) ? (
                    <Form method="post" action={`/requests/${d.trackingNumber}`} className="display-inline margin-left-1">
                      <input type="hidden" name="intent" value="follow" />
                      {signedInAs ? null : <input type="hidden" name="email" value={text('email')} />}
                      <button type="submit" className="usa-button usa-button--unstyled">{t('report.followTrackingnumberInsteadMeToo', { trackingNumber: d.trackingNumber })}</button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
        </section>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="usa-form usa-form--large" noValidate onSubmit={onSubmit}>
        <input type="hidden" name="idempotencyKey" value={text('idempotencyKey') || idempotencyKey} />
        <input type="hidden" name="locationSource" value={point.source} />

        <div className={`usa-form-group${errors.category ? ' usa-form-group--error' : ''}`}>
          <label className="usa-label" htmlFor="category">{t('report.whatKindOfProblemIs')}</label>
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
            <option value="">{t('report.chooseACategory')}</option>
            {groups.map((g) => (
              <optgroup key={g.group} label={g.group}>
                {g.categories.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {selected ? <p className="usa-hint">{selected.description}</p> : null}
        </div>

        {selected ? <ReportQuestions questions={selected.questions} values={values} errors={errors} /> : null}

        <fieldset className={`usa-fieldset${errors.location || errors.lat || errors.lng ? ' usa-form-group--error' : ''}`}>
          <legend className="usa-legend usa-legend--large">{t('report.whereIsIt')}</legend>
          <FieldError id="location-error" message={errors.location ?? errors.lat ?? errors.lng} />
          <p className="usa-hint" id="location-hint">{t('report.pickTheSpotOnThe')}</p>
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
          <label className="usa-label" htmlFor="address">{t('report.addressOrLandmark')}</label>
          <input className="usa-input" id="address" name="address" defaultValue={text('address')} autoComplete="street-address" maxLength={300} />
          <details open={Boolean(point.lat || errors.lat || errors.lng)}>
            <summary>{t('report.enterCoordinates')}</summary>
            <label className="usa-label" htmlFor="lat">{t('report.latitude')}</label>
            <input
              className="usa-input"
              id="lat"
              name="lat"
              inputMode="decimal"
              value={point.lat}
              onChange={(e) => setPoint({ ...point, lat: e.target.value, source: 'coordinates' })}
              aria-invalid={errors.lat ? true : undefined}
            />
            <label className="usa-label" htmlFor="lng">{t('report.longitude')}</label>
            <input
              className="usa-input"
              id="lng"
              name="lng"
              inputMode="decimal"
              value={point.lng}
              onChange={(e) => setPoint({ ...point, lng: e.target.value, source: 'coordinates' })}
              aria-invalid={errors.lng ? true : undefined}
            />
          </details>
        </fieldset>

        {actionData?.confirm ? (
          <fieldset className="usa-fieldset usa-alert usa-alert--info" id="confirm-town" aria-describedby="confirm-message">
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
                <label className="usa-radio__label" htmlFor={`confirm-${c.slug}`}>{t('report.sendItToName', { name: c.name })}</label>
              </div>
            ))}
          </fieldset>
        ) : null}
        {actionData?.duplicates ? (
          <>
            <input type="hidden" name="confirmTown" value={actionData.duplicates.townSlug} />
            <div className="usa-checkbox">
              <input className="usa-checkbox__input" type="checkbox" id="notDuplicate" name="notDuplicate" value="1" />
              <label className="usa-checkbox__label" htmlFor="notDuplicate">{t('report.myReportIsADifferent')}</label>
            </div>
          </>
        ) : null}

        <div className={`usa-form-group${errors.description ? ' usa-form-group--error' : ''}`}>
          <label className="usa-label" htmlFor="description">{t('report.describeTheProblem')}</label>
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

        <div className={`usa-form-group${errors.photos ? ' usa-form-group--error' : ''}`}>
          <label className="usa-label" htmlFor="photos">{t('report.photosUpToMaxphotosperreportOptional', { maxPhotosPerReport: PHOTO_LIMITS.maxPhotosPerReport })}</label>
          <span className="usa-hint" id="photos-hint">{t('report.jpegPngWebpOrAvif')}</span>
          <FieldError id="photos-error" message={errors.photos} />
          <input
            className="usa-file-input"
            id="photos"
            name="photos"
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            aria-describedby={errors.photos ? 'photos-hint photos-error' : 'photos-hint'}
          />
        </div>

        {signedInAs ? (
          <p><TransText t={t} i18nKey="report.updatesGoToSignedinasYour" values={{ signedInAs }} components={{ a: <Link to="/account" /> }} /></p>
        ) : (
          <fieldset className="usa-fieldset">
            <legend className="usa-legend">{t('report.getUpdatesOptional')}</legend>
            <p className="usa-hint"><TransText t={t} i18nKey="report.leaveYourEmailToGet" components={{ a: <Link to="/login?redirectTo=/report" /> }} /></p>
            <div className={`usa-form-group${errors.email ? ' usa-form-group--error' : ''}`}>
              <label className="usa-label" htmlFor="email">{t('report.email')}</label>
              <FieldError id="email-error" message={errors.email} />
              <input className="usa-input" id="email" name="email" type="email" autoComplete="email" defaultValue={text('email')} />
            </div>
            <label className="usa-label" htmlFor="name">{t('report.yourName')}</label>
            <input className="usa-input" id="name" name="name" autoComplete="name" defaultValue={text('name')} maxLength={80} />
          </fieldset>
        )}

        <button type="submit" className="usa-button usa-button--big cc-button-accent" disabled={busy}>
          {busy ? t('report.sendingYourReport') : t('report.sendReport')}
        </button>
        {upload ? (
          <div role="status" aria-live="polite">
            <label htmlFor="upload-progress">{t('report.uploadingYourPhotosPercent', { percent: upload.percent })}</label>
            <progress id="upload-progress" max={100} value={upload.percent} className="width-full" />
            {upload.percent === 100 ? <p>{t('report.processingYourPhotos')}</p> : null}
          </div>
        ) : busy ? (
          <p role="status" aria-live="polite">{t('report.sendingYourReport')}</p>
        ) : null}
      </Form>
    </>
  );
}
