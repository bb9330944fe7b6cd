import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from '@remix-run/node';
import { Form, Link, useLoaderData, useSubmit } from '@remix-run/react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { RequestStatus } from '#db/vocabulary';
import { FormAlert, SelectField, TextField } from '~/components/form-field';
import type { InitialView } from '~/components/base-map.client';
import { mapStylesheets } from '~/components/location-map';
import { RequestsMapEnhancement } from '~/components/requests-map';
import { StatusTag } from '~/components/status-tag';
import { TownTime } from '~/components/town-time';
import { UseMyLocationButton } from '~/components/use-my-location';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { useIntlLocale } from '~/i18n/intl';
import { metaT } from '~/i18n/translate';
import { listCategories } from '~/modules/categories/categories.server';
import { townBounds } from '~/modules/geo/locate-town.server';
import { loadPublicRequestList, parsePublicListFilters, publicListSearchParams, type PublicListValues } from '~/modules/requests/request-list.server';
import { searchParamsOf } from '~/utils/control-characters';
import { getEnv } from '~/utils/env.server';
import type { FieldErrors } from '~/utils/field-errors';
import { numberFormat } from '~/utils/number-format';
import { requireTown } from '~/utils/town.server';
import { sharedWithSignedOutVisitors } from '~/utils/shared-page-cache.server';

// A signed-out visitor sees what every other one does, so a copy can serve the next few seconds' visitors.
export const headers = sharedWithSignedOutVisitors;

export const links: LinksFunction = () => mapStylesheets();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: metaT(matches)('requestsIndex.pageTitle', { townName: data?.town.name ?? '' }) }];

type ListData = {
  town: { name: string; timezone: string };
  values: PublicListValues;
  errors: FieldErrors;
  categories: { code: string; name: string }[];
  list: {
    items: { trackingNumber: string; status: RequestStatus; categoryName: string; description: string; address: string | null; createdAt: Date; thumbnailKey: string | null; distanceMeters: number | null }[];
    total: number;
    totalIsExact: boolean;
    pages: number | null;
    page: number;
    previous: string | null;
    next: string | null;
  } | null;
  /** Asked for a page that does not exist: where the list really ends, when known. */
  noPage: { page: string; last: string } | null;
  map: { view: InitialView; pin: { lat: number; lng: number } | null; dataUrl: string; mapboxToken: string | null } | null;
};

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const town = await requireTown(args);
  const parsed = parsePublicListFilters(searchParamsOf(request));
  const base = { town: { name: town.name, timezone: town.timezone }, values: parsed.values, list: null, noPage: null, map: null };
  const summaries = (list: { code: string; name: string }[]) => list.map((c) => ({ code: c.code, name: c.name }));
  if (!parsed.ok) {
    const errors = wordFieldErrors(await requestT(request), parsed.errors);
    return json<ListData>({ ...base, errors, categories: summaries(await listCategories(town.id)) }, { status: 400 });
  }
  const { filters } = parsed;
  const [result, bounds] = await Promise.all([loadPublicRequestList(town, filters), townBounds(town.slug)]);
  const categories = summaries(result.categories);
  if (result.kind === 'invalid') return json<ListData>({ ...base, errors: wordFieldErrors(await requestT(request), result.errors), categories }, { status: 400 });
  const link = (page: number) => `?${publicListSearchParams(filters, page)}`;
  if (result.kind === 'no_page') {
    return json<ListData>({ ...base, errors: {}, categories, noPage: { page: String(filters.page), last: link(result.lastPage ?? 1) } }, { status: 404 });
  }
  const { list } = result;
  const hasNext = list.pages === null || filters.page < list.pages;
  return json<ListData>({
    ...base,
    errors: {},
    categories,
    list: { ...list, page: filters.page, previous: filters.page > 1 ? link(filters.page - 1) : null, next: hasNext ? link(filters.page + 1) : null },
    map: {
      view: filters.near ? { center: filters.near, zoom: 15 } : { bounds },
      pin: filters.near ?? null,
      dataUrl: `/geo/requests.json?${publicListSearchParams(filters, 1)}`,
      mapboxToken: getEnv().MAPBOX_TOKEN ?? null,
    },
  });
}

/** At the deepest zoom a cluster is requests at one spot: this list, nearest first from it. */
const listNearUrl = (point: { lat: number; lng: number }) => `/requests?${new URLSearchParams({ lat: point.lat.toFixed(6), lng: point.lng.toFixed(6) })}`;

export default function RequestList() {
  const { t } = useTranslation();
  const { town, values, errors, categories, list, noPage, map } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('requestsIndex.reportedProblemsInName', { name: town.name })}</h1>
      <FormAlert message={Object.keys(errors).length > 0 ? t('requestsIndex.pleaseCorrectTheFilters') : null} />
      <div className="cc-list-layout">
        {/* Keyed by the filters, so the typed coordinates follow the page after each search. */}
        <Filters key={JSON.stringify(values)} values={values} errors={errors} categories={categories} />
        <div>
          {noPage ? (
            <div className="usa-alert usa-alert--warning usa-alert--slim" role="alert">
              <div className="usa-alert__body">
                <p className="usa-alert__text">
                  {t('requestsIndex.noSuchPage', { page: noPage.page })} <Link to={noPage.last}>{t('requestsIndex.goToTheLastPage')}</Link>
                </p>
              </div>
            </div>
          ) : null}
          {list ? <Results list={list} map={map} timeZone={town.timezone} /> : null}
        </div>
      </div>
    </>
  );
}

type LoadedList = NonNullable<SerializeFrom<typeof loader>['list']>;

function Results({ list, map, timeZone }: { list: LoadedList; map: SerializeFrom<typeof loader>['map']; timeZone: string }) {
  const { t } = useTranslation();
  const count = numberFormat(useIntlLocale());
  return (
    <>
      <p role="status">
        {list.totalIsExact ? t('requestsIndex.matching', { count: list.total, formatted: count.format(list.total) }) : t('requestsIndex.moreThanMatching', { formatted: count.format(list.total) })}
        {list.pages === null ? t('requestsIndex.pagePage', { page: list.page }) : list.pages > 1 ? t('requestsIndex.pagePageOfPages', { page: list.page, pages: list.pages }) : ''}.
        {map?.pin ? ` ${t('requestsIndex.nearestFirst')}` : ''}
      </p>
      {map ? <RequestsMapEnhancement view={map.view} pin={map.pin} dataUrl={map.dataUrl} requestPath="/requests" listNearUrl={listNearUrl} mapboxToken={map.mapboxToken} boundariesUrl="/geo/towns.geojson" label={t('requestsIndex.mapOfTheMatchingRequests')} /> : null}
      {list.items.length === 0 ? <p>{t('requestsIndex.noRequestMatches')}</p> : null}
      <ul className="cc-request-list">
        {list.items.map((r) => (
          <li key={r.trackingNumber}>
            {r.thumbnailKey ? <img src={`/photos/${r.thumbnailKey}`} alt="" loading="lazy" /> : null}
            <div>
              <Link to={`/requests/${r.trackingNumber}`}>
                {r.trackingNumber}: {r.categoryName}
              </Link>{' '}
              <StatusTag status={r.status} />
              <br />
              <TownTime value={r.createdAt} timeZone={timeZone} />
              {r.address ? ` · ${r.address}` : ''}
              {r.distanceMeters !== null ? ` · ${distance(t, count, r.distanceMeters)}` : ''}
              <br />
              {r.description.length > 200 ? `${r.description.slice(0, 200).trimEnd()}…` : r.description}
            </div>
          </li>
        ))}
      </ul>
      <nav aria-label={t('requestsIndex.pages')} className="cc-pages">
        {list.previous ? <Link to={list.previous}>{t('requestsIndex.previousPage')}</Link> : null}
        {list.next ? <Link to={list.next}>{t('requestsIndex.nextPage')}</Link> : null}
      </nav>
    </>
  );
}

function distance(t: TFunction, count: Intl.NumberFormat, meters: number): string {
  return meters < 1000 ? t('requestsIndex.metersAway', { distance: count.format(meters) }) : t('requestsIndex.kilometersAway', { distance: count.format(Math.round(meters / 100) / 10) });
}

/** The filters form: a GET form, so it works without JavaScript and every view is a link. */
function Filters({ values, errors, categories }: { values: PublicListValues; errors: FieldErrors; categories: { code: string; name: string }[] }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const [near, setNear] = useState({ lat: values.lat ?? '', lng: values.lng ?? '' });
  return (
    <Form method="get" className="usa-form usa-form--large cc-list-filters" ref={formRef} aria-label={t('requestsIndex.filters')}>
      <div className="cc-filters">
        <SelectField
          label={t('requestsIndex.status')}
          name="status"
          defaultValue={values.status ?? ''}
          error={errors.status}
          options={[
            { value: '', label: t('requestsIndex.all') },
            { value: 'open', label: t('requestsIndex.open') },
            { value: 'closed', label: t('requestsIndex.closed') },
          ]}
        />
        <SelectField
          label={t('requestsIndex.category')}
          name="category"
          defaultValue={values.category ?? ''}
          error={errors.category}
          options={[{ value: '', label: t('requestsIndex.allCategories') }, ...categories.map((c) => ({ value: c.code, label: c.name }))]}
        />
      </div>
      <div className="cc-filters">
        <TextField label={t('requestsIndex.from')} name="from" type="date" defaultValue={values.from ?? ''} error={errors.from} />
        <TextField label={t('requestsIndex.to')} name="to" type="date" defaultValue={values.to ?? ''} error={errors.to} />
      </div>
      <TextField label={t('requestsIndex.words')} name="q" hint={t('requestsIndex.wordsHint')} inputMode="search" enterKeyHint="search" defaultValue={values.q ?? ''} error={errors.q} />
      <fieldset className="usa-fieldset">
        <legend className="usa-legend">{t('requestsIndex.nearAPlace')}</legend>
        <p className="usa-hint" id="near-hint">
          {t('requestsIndex.nearAPlaceHint')}
        </p>
        <UseMyLocationButton
          onLocate={(point) => {
            const located = { lat: point.lat.toFixed(6), lng: point.lng.toFixed(6) };
            setNear(located);
            const form = new FormData(formRef.current ?? undefined);
            form.set('lat', located.lat);
            form.set('lng', located.lng);
            form.delete('page');
            submit(form, { method: 'get' });
          }}
        />
        <details open={Boolean(values.lat || values.lng || errors.lat || errors.lng)}>
          <summary className="cc-summary">{t('requestsIndex.typeCoordinates')}</summary>
          <div className="cc-filters">
            {(['lat', 'lng'] as const).map((name) => (
              <TextField
                key={name}
                label={t(`requestsIndex.${name}`)}
                name={name}
                inputMode="decimal"
                autoComplete="off"
                value={near[name]}
                onChange={(e) => setNear({ ...near, [name]: e.target.value })}
                error={errors[name]}
                aria-describedby={['near-hint', errors[name] ? `field-${name}-error` : null].filter(Boolean).join(' ')}
              />
            ))}
          </div>
        </details>
      </fieldset>
      <div className="cc-form-actions">
        <button className="usa-button" type="submit">{t('requestsIndex.show')}</button>
        <Link to="/requests">{t('requestsIndex.clearFilters')}</Link>
      </div>
    </Form>
  );
}
