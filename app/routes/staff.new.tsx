import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uuidv7 } from '#db/ids';
import { STAFF_INTAKE_CHANNELS } from '#db/vocabulary';
import { CategoryOptions } from '~/components/category-options';
import { describedBy, FieldGroup, FormAlert, SuccessAlert, TextAreaField, TextField } from '~/components/form-field';
import { LocationMapEnhancement, mapStylesheets } from '~/components/location-map';
import { PhotoFileInput } from '~/components/photo-file-input';
import { ReportQuestions } from '~/components/report-questions';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { groupCategories, listCategories } from '~/modules/categories/categories.server';
import { townAnchorPoint } from '~/modules/geo/locate-town.server';
import { readCoordinate } from '~/modules/requests/coordinates';
import { REPORT_UPLOAD_LIMITS } from '~/modules/requests/report-form.server';
import { DESCRIPTION_MAX, PHOTO_LIMITS } from '~/modules/requests/report-limits';
import type { NearbyRequest } from '~/modules/requests/request-queries.server';
import { fileForCaller } from '~/modules/staff/assisted-intake.server';
import { staffWorkOpen } from '~/modules/towns/town-lifecycle.server';
import { searchParamsOf } from '~/utils/control-characters';
import { getEnv } from '~/utils/env.server';
import { readUploadForm } from '~/utils/multipart.server';
import { requireTownRole } from '~/utils/permissions.server';
import { townLinks } from '~/utils/town.server';

export const links: LinksFunction = () => mapStylesheets();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: metaT(matches)('staffNew.pageTitle', { townName: data?.townName ?? '' }) }];

const TRACKING_NUMBER = /^[A-Z]{2,4}-\d+$/;

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireTownRole(args, 'staff');
  const filed = searchParamsOf(args.request).get('filed') ?? '';
  return json({
    townName: staff.town.name,
    groups: groupCategories(await listCategories(staff.town.id)),
    center: await townAnchorPoint(staff.town.slug),
    mapboxToken: getEnv().MAPBOX_TOKEN ?? null,
    // A fresh key on every load: filing the next caller's report is never taken for a retry of the last.
    idempotencyKey: uuidv7(),
    filed: TRACKING_NUMBER.test(filed) ? filed : null,
  });
}

type ActionData = { values: Record<string, string | string[]>; errors: Partial<Record<string, string>>; formError: string; duplicates: NearbyRequest[] | null; photosDropped: boolean };

const REJECTION_STATUS = { expired_form: 400, photo_too_large: 413, invalid: 422 } as const;

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const staff = await requireTownRole(args, 'staff');
  const t = await requestT(request);
  if (!staffWorkOpen(staff.town)) throw new Response(t('errors:serviceLapsed', { name: staff.town.name }), { status: 403 });
  const form = await readUploadForm(request, REPORT_UPLOAD_LIMITS);
  const outcome = await fileForCaller(staff, form, (slug) => townLinks(slug));
  if (outcome.kind === 'filed') return redirect(`/staff/new?filed=${outcome.trackingNumber}`);
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(form.fields.keys())) values[key] = key.startsWith('q.') ? form.fields.getAll(key) : form.fields.get(key)!;
  const base = { values, photosDropped: form.files.length > 0 };
  if (outcome.kind === 'possible_duplicates') return json<ActionData>({ ...base, errors: {}, formError: '', duplicates: outcome.duplicates });
  const errors = wordFieldErrors(t, outcome.errors, 'report');
  return json<ActionData>({ ...base, errors, formError: t('errors:correctMarkedFields'), duplicates: null }, { status: REJECTION_STATUS[outcome.rejection] });
}

export default function FileForCaller() {
  const { t } = useTranslation();
  const { townName, groups, center, mapboxToken, idempotencyKey, filed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const values = actionData?.values ?? {};
  const errors = actionData?.errors ?? {};
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
  const [category, setCategory] = useState(text('category'));
  const [point, setPoint] = useState({ lat: text('lat'), lng: text('lng'), source: text('locationSource') || 'coordinates' });
  const selected = groups.flatMap((g) => g.categories).find((c) => c.code === category);
  const [lat, lng] = [readCoordinate(point.lat), readCoordinate(point.lng)];
  const pin = lat?.ok && lng?.ok ? { lat: lat.value, lng: lng.value } : null;
  const channelError = errors.channel;
  return (
    <>
      <h2>{t('staffNew.heading')}</h2>
      <p>{t('staffNew.intro', { townName })}</p>
      {filed ? (
        <SuccessAlert message={t('staffNew.filed', { trackingNumber: filed })} />
      ) : null}
      {filed ? (
        <p>
          <Link to={`/staff/requests/${filed}`}>{t('staffNew.openFiled', { trackingNumber: filed })}</Link>
        </p>
      ) : null}
      {actionData?.formError ? <FormAlert message={actionData.formError} /> : null}
      {actionData?.photosDropped ? <p className="usa-hint">{t('staffNew.attachPhotosAgain')}</p> : null}
      {actionData?.duplicates ? (
        <section aria-labelledby="duplicates-heading" className="usa-alert usa-alert--warning">
          <div className="usa-alert__body">
            <h3 id="duplicates-heading" className="usa-alert__heading">
              {t('staffNew.possibleDuplicates')}
            </h3>
            <ul>
              {actionData.duplicates.map((d) => (
                <li key={d.trackingNumber}>
                  <Link to={`/staff/requests/${d.trackingNumber}`}>{d.trackingNumber}</Link> · {t(`requestStatus.${d.status}`)} · {t('staffNew.metresAway', { distance: Math.round(d.distanceMeters) })}: {d.description}
                </li>
              ))}
            </ul>
            <p>{t('staffNew.fileAnywayExplained')}</p>
          </div>
        </section>
      ) : null}

      <Form method="post" encType="multipart/form-data" className="usa-form maxw-none">
        <input type="hidden" name="idempotencyKey" value={text('idempotencyKey') || idempotencyKey} />
        {actionData?.duplicates ? <input type="hidden" name="notDuplicate" value="1" /> : null}

        <fieldset className={`usa-fieldset usa-form-group${channelError ? ' usa-form-group--error' : ''}`} aria-describedby={channelError ? 'channel-error' : undefined}>
          <legend className="usa-legend">{t('staffNew.channel')}</legend>
          {channelError ? (
            <span className="usa-error-message" id="channel-error" role="alert">
              {channelError}
            </span>
          ) : null}
          {STAFF_INTAKE_CHANNELS.map((channel) => (
            <div className="usa-radio" key={channel}>
              <input className="usa-radio__input" type="radio" id={`channel-${channel}`} name="channel" value={channel} defaultChecked={text('channel') === channel} required />
              <label className="usa-radio__label" htmlFor={`channel-${channel}`}>
                {t(`requestChannel.${channel}`)}
              </label>
            </div>
          ))}
        </fieldset>

        <fieldset className="usa-fieldset margin-top-2">
          <legend className="usa-legend">{t('staffNew.caller')}</legend>
          <p className="usa-hint">{t('staffNew.callerPrivate')}</p>
          <TextField label={t('staffNew.callerName')} name="name" autoComplete="off" defaultValue={text('name')} error={errors.name} maxLength={80} />
          <TextField label={t('staffNew.callerEmail')} name="email" type="email" autoComplete="off" defaultValue={text('email')} error={errors.email} hint={t('staffNew.callerEmailHint')} />
          <TextField label={t('staffNew.callerPhone')} name="phone" type="tel" autoComplete="off" defaultValue={text('phone')} error={errors.phone} hint={t('staffNew.callerPhoneHint')} />
        </fieldset>

        <FieldGroup id="field-category" label={t('staffNew.category')} error={errors.category}>
          <select
            className="usa-select"
            id="field-category"
            name="category"
            value={category}
            onChange={(e) => setCategory(e.target.value)}
            aria-describedby={describedBy('field-category', false, errors.category)}
            aria-invalid={errors.category ? true : undefined}
          >
            <CategoryOptions groups={groups} />
          </select>
        </FieldGroup>
        {selected ? <ReportQuestions questions={selected.questions} values={values} errors={errors} /> : null}

        <TextAreaField
          label={t('staffNew.description')}
          name="description"
          defaultValue={text('description')}
          error={errors.description}
          hint={t('staffNew.descriptionHint', { max: DESCRIPTION_MAX })}
          maxLength={DESCRIPTION_MAX}
          rows={5}
        />

        <fieldset className={`usa-fieldset margin-top-2${errors.location ? ' usa-form-group--error' : ''}`}>
          <legend className="usa-legend">{t('staffNew.where')}</legend>
          {errors.location ? <FormAlert message={errors.location} /> : null}
          <LocationMapEnhancement
            center={pin ?? center}
            zoom={pin ? 16 : 13}
            pin={pin}
            onPick={(p) => setPoint({ lat: p.lat.toFixed(6), lng: p.lng.toFixed(6), source: 'map' })}
            mapboxToken={mapboxToken}
            boundariesUrl="/geo/towns.geojson"
            label={t('staffNew.mapLabel')}
          />
          <input type="hidden" name="locationSource" value={point.source} />
          <TextField label={t('staffNew.address')} name="address" autoComplete="off" defaultValue={text('address')} error={errors.address} hint={t('staffNew.addressHint')} maxLength={300} />
          <div className="grid-row grid-gap">
            {(['lat', 'lng'] as const).map((axis) => (
              <div className="tablet:grid-col-6" key={axis}>
                <TextField
                  label={axis === 'lat' ? t('staffNew.latitude') : t('staffNew.longitude')}
                  name={axis}
                  inputMode="decimal"
                  value={point[axis]}
                  onChange={(e) => setPoint({ ...point, [axis]: e.target.value, source: 'coordinates' })}
                  error={errors[axis]}
                  hint={axis === 'lat' ? t('staffNew.latitudeHint') : t('staffNew.longitudeHint')}
                />
              </div>
            ))}
          </div>
        </fieldset>

        <PhotoFileInput id="intake-photos" label={t('staffNew.photos')} max={PHOTO_LIMITS.maxPhotosPerReport} error={errors.photos} />

        <button type="submit" className="usa-button margin-top-3" disabled={busy}>
          {actionData?.duplicates ? t('staffNew.fileAnyway') : t('staffNew.file')}
        </button>
      </Form>
    </>
  );
}
