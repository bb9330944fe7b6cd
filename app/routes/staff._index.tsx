import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import type { RequestStatus } from '#db/vocabulary';
import { FormAlert, SuccessAlert } from '~/components/form-field';
import { LocationMapEnhancement, mapStylesheets } from '~/components/location-map';
import { StatusTag } from '~/components/status-tag';
import { TownTime } from '~/components/town-time';
import { townAnchorPoint } from '~/modules/geo/locate-town.server';
import { CLOSED_STATUSES, OPEN_STATUSES } from '~/modules/requests/statuses';
import { DEFAULT_QUEUE_FILTERS, exportSortOf, loadQueueView, parseQueueFilters, queueSearchParams, type QueueFilters, type QueueSort, type StatusFilter } from '~/modules/staff/queue.server';
import { searchParamsOf } from '~/utils/control-characters';
import { getEnv } from '~/utils/env.server';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { intlLocaleFor } from '~/i18n/config';
import { i18nServer, requestT } from '~/i18n/i18n.server';
import { useIntlLocale } from '~/i18n/intl';
import { numberFormat } from '~/utils/number-format';
import { metaT } from '~/i18n/translate';

export const links: LinksFunction = () => mapStylesheets();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: metaT(matches)('staffIndex.pageTitle', { townName: data?.townName ?? '' }) }];

const SORT_ORDERS = ['newest', 'oldest', 'due', 'updated'] as const satisfies readonly QueueSort[];
const STATUS_GROUPS: { filter: 'open' | 'closed'; statuses: readonly RequestStatus[] }[] = [
  { filter: 'open', statuses: OPEN_STATUSES },
  { filter: 'closed', statuses: CLOSED_STATUSES },
];
const PAGE_SIZES = [25, 50, 100];

const withSearch = (path: string, params: URLSearchParams) => (params.size > 0 ? `${path}?${params}` : path);

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const staff = await requireTownRole(args, 'staff');
  const t = await requestT(request);
  const count = numberFormat(intlLocaleFor(await i18nServer.getLocale(request)));
  const { town } = staff;
  const url = new URL(request.url);
  const filters = parseQueueFilters(searchParamsOf(request));
  const [{ queue, categories, departments, team, formerAssignees }, center] = await Promise.all([loadQueueView(staff, filters), filters.view === 'map' ? townAnchorPoint(town.slug) : null]);
  // Past QUEUE_COUNT_LIMIT the total is a lower bound, and so the last page is unknown.
  const lastPage = queue.totalIsExact ? Math.max(1, Math.ceil(queue.total / filters.pageSize)) : null;
  const href = (changes: Partial<QueueFilters>) => withSearch('/staff', queueSearchParams({ ...filters, page: 1, ...changes }));
  const statusLink = (filter: StatusFilter, label: string, statuses: readonly RequestStatus[]) => ({
    filter,
    label,
    count: `${count.format(statuses.reduce((sum, s) => sum + queue.countsByStatus[s], 0))}${statuses.some((s) => queue.cappedStatuses.includes(s)) ? '+' : ''}`,
    href: href({ status: [filter] }),
    current: filters.status.length === 1 && filters.status[0] === filter,
  });
  // /staff/bulk comes back here with how many of the ticked requests it changed.
  const bulk = /^(\d{1,4}),(\d{1,4})$/.exec(url.searchParams.get('bulk') ?? '');
  const bulkFailed = url.searchParams.getAll('bulkFailed').filter((n) => /^[A-Z]{2,4}-\d{1,9}$/.test(n)).slice(0, 20);
  const currentView = new URLSearchParams(url.search);
  currentView.delete('bulk');
  currentView.delete('bulkFailed');
  const exportFilters = { ...filters, page: DEFAULT_QUEUE_FILTERS.page, pageSize: DEFAULT_QUEUE_FILTERS.pageSize, view: DEFAULT_QUEUE_FILTERS.view };
  return json({
    townName: town.name,
    timezone: town.timezone,
    filters,
    items: queue.items,
    total: queue.total,
    totalText: queue.totalIsExact ? count.format(queue.total) : t('staffIndex.moreThan', { total: count.format(queue.total) }),
    lastPage,
    statusLinks: {
      groups: STATUS_GROUPS.map((g) => statusLink(g.filter, t(`staffIndex.statusGroup.${g.filter}`), g.statuses)),
      statuses: [...OPEN_STATUSES, ...CLOSED_STATUSES, 'withdrawn' as const].map((s) => statusLink(s, t(`requestStatus.${s}`), [s])),
    },
    pageLinks: {
      first: href({}),
      previous: filters.page > 1 ? href({ page: lastPage ? Math.min(filters.page - 1, lastPage) : filters.page - 1 }) : null,
      next: (lastPage ? filters.page < lastPage : queue.items.length === filters.pageSize) ? href({ page: filters.page + 1 }) : null,
    },
    viewLinks: { list: href({ view: 'list', page: filters.page }), map: href({ view: 'map', page: filters.page }) },
    exportHref: withSearch('/staff/export.csv', queueSearchParams(exportFilters)),
    exportOrder: t(`staffIndex.sortPhrase.${exportSortOf(filters.sort)}`),
    returnTo: withSearch(url.pathname, currentView),
    bulkResult: bulk ? { succeeded: Number(bulk[1]), failed: Number(bulk[2]), failedNumbers: bulkFailed } : null,
    categories: categories.map((c) => ({ code: c.code, name: c.active ? c.name : `${c.name} (retired)` })),
    departments: departments.map((d) => ({ id: d.id, name: d.name })),
    staff: team.map((s) => ({ id: s.id, name: s.displayName ? `${s.displayName} (${s.email})` : s.email })),
    formerStaff: formerAssignees.map((s) => ({ id: s.id, name: t('staffIndex.formerAssignee', { name: s.displayName ? `${s.displayName} (${s.email})` : s.email }) })),
    map: center && {
      center,
      markers: queue.items.map((r) => ({ lat: r.lat, lng: r.lng, label: `${r.trackingNumber}: ${r.categoryName}`, href: `/staff/requests/${r.trackingNumber}` })),
      mapboxToken: getEnv().MAPBOX_TOKEN ?? null,
    },
  });
}

export default function StaffQueue() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const { filters, items, total, totalText, lastPage } = data;
  const first = (filters.page - 1) * filters.pageSize + 1;
  const count = numberFormat(useIntlLocale());
  const range = items.length > 0 ? t('staffIndex.range', { first: count.format(first), last: count.format(first + items.length - 1) }) : t('staffIndex.noRange');
  return (
    <>
      <h2>{t('staffIndex.requestQueue')}</h2>
      {data.bulkResult ? <BulkResultAlerts {...data.bulkResult} /> : null}
      <QueueFilterForm key={data.returnTo} data={data} />

      <nav aria-label={t('staffIndex.requestsByStatus')}>
        <ul className="usa-button-group">
          {[...data.statusLinks.groups, ...data.statusLinks.statuses].map((s) => (
            <li className="usa-button-group__item" key={s.filter}>
              <Link to={s.href} className={`usa-button usa-button--unstyled${s.current ? ' text-bold' : ''}`} aria-current={s.current ? 'true' : undefined}>
                {s.label} ({s.count})
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <p role="status">
        {t('staffIndex.matches', { count: total, total: totalText })}
        {total > 0 ? t('staffIndex.showing', { range, order: t(`staffIndex.sortPhrase.${filters.sort}`) }) : ''}.
        {lastPage === 1 ? '' : lastPage ? t('staffIndex.pageOf', { page: filters.page, lastPage }) : t('staffIndex.page', { page: filters.page })}
      </p>
      {items.length === 0 && filters.page > 1 && total > 0 ? (
        <p><TransText t={t} i18nKey="staffIndex.thereIsNoPagePage" values={{ page: filters.page }} components={{ a: <Link to={data.pageLinks.first} /> }} /></p>
      ) : null}
      <ul className="usa-button-group">
        <li className="usa-button-group__item">
          {filters.view === 'map' ? <Link to={data.viewLinks.list}>{t('staffIndex.showAsAList')}</Link> : <Link to={data.viewLinks.map}>{t('staffIndex.showOnAMap')}</Link>}
        </li>
        <li className="usa-button-group__item">
          <a href={data.exportHref}>{t('staffIndex.exportTheseRequestsAsCsv', { exportOrder: data.exportOrder })}</a>
        </li>
      </ul>

      {items.length > 0 ? (
        <Form method="post" action="/staff/bulk" reloadDocument className="usa-form usa-form--large maxw-none">
          {filters.view === 'map' && data.map ? <QueueMap data={data} /> : <QueueTable data={data} range={range} />}
          <BulkActions data={data} />
        </Form>
      ) : null}

      <nav aria-label={t('staffIndex.pages')}>
        {data.pageLinks.previous ? <Link to={data.pageLinks.previous}>{t('staffIndex.previousPage')}</Link> : null}
        {data.pageLinks.previous && data.pageLinks.next ? ' · ' : null}
        {data.pageLinks.next ? <Link to={data.pageLinks.next}>{t('staffIndex.nextPage')}</Link> : null}
      </nav>
    </>
  );
}

type QueueData = ReturnType<typeof useLoaderData<typeof loader>>;

function BulkResultAlerts({ succeeded, failed, failedNumbers }: { succeeded: number; failed: number; failedNumbers: string[] }) {
  const { t } = useTranslation();
  if (succeeded === 0 && failed === 0) return <FormAlert message={t('staffIndex.noRequestsWereTickedSo')} />;
  return (
    <>
      <SuccessAlert message={succeeded > 0 ? t('staffIndex.updated', { count: succeeded }) : null} />
      <FormAlert message={failed > 0 ? t('staffIndex.couldNotBeChanged', { count: failed }) : null} />
      {failedNumbers.length > 0 ? (
        <p>{t('staffIndex.openEachToSeeWhy')}{' '}
          {failedNumbers.map((n, i) => (
            <span key={n}>
              {i > 0 ? ', ' : ''}
              <Link to={`/staff/requests/${n}`}>{n}</Link>
            </span>
          ))}
        </p>
      ) : null}
    </>
  );
}

/** Plain GET, so every view is a URL that can be bookmarked or sent to a colleague. */
function QueueFilterForm({ data }: { data: QueueData }) {
  const { t } = useTranslation();
  const { filters } = data;
  const checked = (s: StatusFilter) => filters.status.includes(s);
  return (
    <Form method="get" action="/staff" className="usa-form usa-form--large maxw-none">
      <div className="grid-row grid-gap">
        <fieldset className="usa-fieldset tablet:grid-col-4">
          <legend className="usa-legend">{t('staffIndex.status')}</legend>
          {[...data.statusLinks.groups, ...data.statusLinks.statuses].map((s) => (
            <div className="usa-checkbox" key={s.filter}>
              <input className="usa-checkbox__input" type="checkbox" id={`status-${s.filter}`} name="status" value={s.filter} defaultChecked={checked(s.filter)} />
              <label className="usa-checkbox__label" htmlFor={`status-${s.filter}`}>
                {s.label}
              </label>
            </div>
          ))}
        </fieldset>
        <div className="tablet:grid-col-4">
          <label className="usa-label" htmlFor="q">{t('staffIndex.search')}</label>
          <div className="usa-hint" id="q-hint">{t('staffIndex.aTrackingNumberOrIts')}</div>
          <input className="usa-input" type="search" id="q" name="q" defaultValue={filters.q ?? ''} aria-describedby="q-hint" />
          <label className="usa-label" htmlFor="category">{t('staffIndex.category')}</label>
          <select className="usa-select" id="category" name="category" defaultValue={filters.category ?? ''}>
            <option value="">{t('staffIndex.anyCategory')}</option>
            {data.categories.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
          <label className="usa-label" htmlFor="department">{t('staffIndex.department')}</label>
          <select className="usa-select" id="department" name="department" defaultValue={filters.department ?? ''}>
            <option value="">{t('staffIndex.anyDepartment')}</option>
            {data.departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          <label className="usa-label" htmlFor="assignee">{t('staffIndex.assignee')}</label>
          <select className="usa-select" id="assignee" name="assignee" defaultValue={filters.assignee ?? ''}>
            <option value="">{t('staffIndex.anyoneOrNoOne')}</option>
            <option value="me">{t('staffIndex.assignedToMe')}</option>
            <option value="unassigned">{t('staffIndex.unassigned')}</option>
            {data.staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
            {data.formerStaff.length > 0 ? (
              <optgroup label={t('staffIndex.formerStaff')}>
                {data.formerStaff.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
          <div className="usa-checkbox margin-top-3">
            <input className="usa-checkbox__input" type="checkbox" id="overdue" name="overdue" value="1" defaultChecked={filters.overdue} />
            <label className="usa-checkbox__label" htmlFor="overdue">{t('staffIndex.onlyOverdueRequests')}</label>
          </div>
        </div>
        <div className="tablet:grid-col-4">
          <fieldset className="usa-fieldset">
            <legend className="usa-legend">{t('staffIndex.reportedBetween')}</legend>
            <label className="usa-label" htmlFor="from">{t('staffIndex.fromFirstDay')}</label>
            <input className="usa-input" type="date" id="from" name="from" defaultValue={filters.from ?? ''} />
            <label className="usa-label" htmlFor="to">{t('staffIndex.toLastDay')}</label>
            <input className="usa-input" type="date" id="to" name="to" defaultValue={filters.to ?? ''} />
          </fieldset>
          <label className="usa-label" htmlFor="sort">{t('staffIndex.sort')}</label>
          <select className="usa-select" id="sort" name="sort" defaultValue={filters.sort}>
            {SORT_ORDERS.map((sort) => (
              <option key={sort} value={sort}>
                {t(`staffIndex.sortOrder.${sort}`)}
              </option>
            ))}
          </select>
          <label className="usa-label" htmlFor="pageSize">{t('staffIndex.requestsPerPage')}</label>
          <select className="usa-select" id="pageSize" name="pageSize" defaultValue={filters.pageSize}>
            {[...new Set([...PAGE_SIZES, filters.pageSize])].sort((a, b) => a - b).map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </div>
      </div>
      {filters.view === 'map' ? <input type="hidden" name="view" value="map" /> : null}
      <button className="usa-button" type="submit">{t('staffIndex.applyFilters')}</button>
      <Link to="/staff" className="usa-button usa-button--outline">{t('staffIndex.clearFilters')}</Link>
    </Form>
  );
}

function SelectBox({ trackingNumber }: { trackingNumber: string }) {
  const { t } = useTranslation();
  return (
    <div className="usa-checkbox">
      <input className="usa-checkbox__input" type="checkbox" id={`select-${trackingNumber}`} name="trackingNumbers" value={trackingNumber} />
      <label className="usa-checkbox__label margin-top-0" htmlFor={`select-${trackingNumber}`}>
        <span className="usa-sr-only">{t('staffIndex.selectTrackingnumber', { trackingNumber })}</span>
      </label>
    </div>
  );
}

function QueueTable({ data, range }: { data: QueueData; range: string }) {
  const { t } = useTranslation();
  return (
    <table className="usa-table usa-table--borderless usa-table--stacked width-full">
      <caption>{t('staffIndex.tableCaption', { range, total: data.totalText, order: t(`staffIndex.sortPhrase.${data.filters.sort}`) })}</caption>
      <thead>
        <tr>
          <th scope="col">
            <span className="usa-sr-only">{t('staffIndex.select')}</span>
          </th>
          <th scope="col">{t('staffIndex.request')}</th>
          <th scope="col">{t('staffIndex.status')}</th>
          <th scope="col">{t('staffIndex.categoryAndDepartment')}</th>
          <th scope="col">{t('staffIndex.assignee')}</th>
          <th scope="col">{t('staffIndex.reported')}</th>
          <th scope="col">{t('staffIndex.due')}</th>
          <th scope="col">{t('staffIndex.location')}</th>
        </tr>
      </thead>
      <tbody>
        {data.items.map((r) => (
          <tr key={r.trackingNumber}>
            <td data-label={t('staffIndex.select')}>
              <SelectBox trackingNumber={r.trackingNumber} />
            </td>
            <th scope="row" data-label={t('staffIndex.request')}>
              <Link to={`/staff/requests/${r.trackingNumber}`}>{r.trackingNumber}</Link>
              {r.transferredFrom ? (
                <>
                  {' '}
                  <span className="usa-tag bg-accent-cool-darker" title={t('staffIndex.transferredInFrom', { trackingNumber: r.transferredFrom })}>
                    {t('staffIndex.transferredIn')}
                  </span>
                </>
              ) : null}
              <br />
              {r.excerpt}
            </th>
            <td data-label={t('staffIndex.status')}>
              <StatusTag status={r.status} />
            </td>
            <td data-label={t('staffIndex.categoryAndDepartment')}>
              {r.categoryName}
              <br />
              {r.departmentName ?? t('staffIndex.noDepartment')}
            </td>
            <td data-label={t('staffIndex.assignee')}>
              {r.assigneeFormer ? t('staffIndex.formerAssignee', { name: r.assigneeName ?? r.assigneeEmail }) : (r.assigneeName ?? r.assigneeEmail ?? t('staffIndex.unassigned'))}
            </td>
            <td data-label={t('staffIndex.reported')}>
              <TownTime value={r.createdAt} timeZone={data.timezone} />
            </td>
            <td data-label={t('staffIndex.due')}>
              {r.dueAt ? <TownTime value={r.dueAt} timeZone={data.timezone} /> : t('staffIndex.noTarget')}
              {r.overdue ? (
                <>
                  {' '}
                  <span className="usa-tag bg-secondary-dark">{t('staffIndex.overdue')}</span>
                </>
              ) : null}
            </td>
            <td data-label={t('staffIndex.location')}>{r.address ?? `${r.lat.toFixed(5)}, ${r.lng.toFixed(5)}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The map needs JavaScript; the list under it is the same page of requests for everyone. */
function QueueMap({ data }: { data: QueueData }) {
  const { t } = useTranslation();
  const map = data.map!;
  return (
    <>
      <LocationMapEnhancement
        center={map.center}
        zoom={13}
        pin={null}
        markers={map.markers}
        mapboxToken={map.mapboxToken}
        boundariesUrl="/geo/towns.geojson"
        label={t('staffIndex.mapOfTheRequestsOn')}
      />
      <h3>{t('staffIndex.requestsOnThisMap')}</h3>
      <ul className="usa-list usa-list--unstyled">
        {data.items.map((r) => (
          <li key={r.trackingNumber} className="display-flex flex-align-start margin-bottom-2">
            <SelectBox trackingNumber={r.trackingNumber} />
            <div>
              <Link to={`/staff/requests/${r.trackingNumber}`}>
                {r.trackingNumber}: {r.categoryName}
              </Link>{' '}
              <StatusTag status={r.status} />
              {r.overdue ? (
                <>
                  {' '}
                  <span className="usa-tag bg-secondary-dark">{t('staffIndex.overdue')}</span>
                </>
              ) : null}
              <br />
              {r.address ?? t('staffIndex.noAddress')} ({r.lat.toFixed(5)}, {r.lng.toFixed(5)})
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Posted to /staff/bulk, which comes back to this exact view (`returnTo`). */
function BulkActions({ data }: { data: QueueData }) {
  const { t } = useTranslation();
  return (
    <fieldset className="usa-fieldset">
      <legend className="usa-legend usa-legend--large">{t('staffIndex.withTheTickedRequests')}</legend>
      <input type="hidden" name="returnTo" value={data.returnTo} />
      {[
        { value: 'acknowledge', label: t('staffIndex.acknowledge') },
        { value: 'assign', label: t('staffIndex.assignToADepartmentOr') },
        { value: 'close', label: t('staffIndex.close') },
      ].map((o, index) => (
        <div className="usa-radio" key={o.value}>
          <input className="usa-radio__input" type="radio" id={`operation-${o.value}`} name="operation" value={o.value} required={index === 0} />
          <label className="usa-radio__label" htmlFor={`operation-${o.value}`}>
            {o.label}
          </label>
        </div>
      ))}
      <div className="grid-row grid-gap">
        <div className="tablet:grid-col-6">
          <label className="usa-label" htmlFor="bulk-department">{t('staffIndex.departmentWhenAssigning')}</label>
          <select className="usa-select" id="bulk-department" name="departmentId" defaultValue="">
            <option value="">{t('staffIndex.keepEachRequestSDepartment')}</option>
            {data.departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          <label className="usa-label" htmlFor="bulk-assignee">{t('staffIndex.personWhenAssigning')}</label>
          <select className="usa-select" id="bulk-assignee" name="assigneeUserId" defaultValue="">
            <option value="">{t('staffIndex.keepEachRequestSAssignee')}</option>
            {data.staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="tablet:grid-col-6">
          <label className="usa-label" htmlFor="bulk-close-status">{t('staffIndex.closeAsWhenClosing')}</label>
          <select className="usa-select" id="bulk-close-status" name="closeStatus" defaultValue="fixed">
            {(['fixed', 'not_fixed', 'referred'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`requestStatus.${s}`)}
              </option>
            ))}
          </select>
          <label className="usa-label" htmlFor="bulk-reason">{t('staffIndex.reasonShownToResidents')}</label>
          <div className="usa-hint" id="bulk-reason-hint">{t('staffIndex.neededWhenClosingAsNot')}</div>
          <textarea className="usa-textarea" id="bulk-reason" name="reason" rows={3} aria-describedby="bulk-reason-hint" />
        </div>
      </div>
      <button className="usa-button" type="submit">{t('staffIndex.applyToTickedRequests')}</button>
    </fieldset>
  );
}
