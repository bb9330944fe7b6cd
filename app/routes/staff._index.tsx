import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { REQUEST_PRIORITIES, type RequestStatus } from '#db/vocabulary';
import { FormAlert, SuccessAlert } from '~/components/form-field';
import { mapStylesheets } from '~/components/location-map';
import { RequestsMapEnhancement } from '~/components/requests-map';
import { PriorityLabel } from '~/components/priority-label';
import { StatusTag } from '~/components/status-tag';
import { townBounds } from '~/modules/geo/locate-town.server';
import { CLOSED_STATUSES, OPEN_STATUSES } from '~/modules/requests/statuses';
import { decodeBulkFailures } from '~/modules/staff/bulk-outcome';
import { DEFAULT_QUEUE_FILTERS, parseQueueFilters, queueSearchParams, type QueueFilters, type QueueSort, type StatusFilter } from '~/modules/staff/queue.server';
import { BULK_MAX, NOTE_MAX, STAFF_WORK_ERROR_CODES } from '~/modules/staff/request-work.server';
import { loadQueueView } from '~/modules/staff/queue-view.server';
import { deleteView, saveView, savedViewQuery, SAVED_VIEW_NAME_MAX } from '~/modules/staff/saved-views.server';
import { formText, searchParamsOf } from '~/utils/control-characters';
import { getEnv } from '~/utils/env.server';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { intlLocaleFor } from '~/i18n/config';
import { i18nServer, requestT } from '~/i18n/i18n.server';
import { useIntlLocale } from '~/i18n/intl';
import { dateTimeFormat } from '~/utils/date-format';
import { numberFormat } from '~/utils/number-format';
import { metaT } from '~/i18n/translate';

export const links: LinksFunction = () => mapStylesheets();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: metaT(matches)('staffIndex.pageTitle', { townName: data?.townName ?? '' }) }];

const SORT_ORDERS = ['priority', 'newest', 'oldest', 'due', 'updated'] as const satisfies readonly QueueSort[];
const STATUS_GROUPS: { filter: 'open' | 'closed'; statuses: readonly RequestStatus[] }[] = [
  { filter: 'open', statuses: OPEN_STATUSES },
  { filter: 'closed', statuses: CLOSED_STATUSES },
];
const PAGE_SIZES = [25, 50, 100];
const DAY_MS = 86_400_000;

const withSearch = (path: string, params: URLSearchParams) => (params.size > 0 ? `${path}?${params}` : path);

/** A short place for a table cell: the address up to its first comma, or the point. */
function shortPlace(address: string | null, lat: number, lng: number): string {
  return address?.split(',')[0]?.trim() || `${lat.toFixed(4)}, ${lng.toFixed(4)}`;
}

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const staff = await requireTownRole(args, 'staff');
  const t = await requestT(request);
  const count = numberFormat(intlLocaleFor(await i18nServer.getLocale(request)));
  const { town } = staff;
  const params = searchParamsOf(request);
  const filters = parseQueueFilters(params);
  const [{ queue, categories, departments, team, formerAssignees, savedViews }, bounds] = await Promise.all([
    loadQueueView(staff, filters),
    filters.view === 'map' ? townBounds(town.slug) : null,
  ]);
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
  // /staff/bulk comes back here with how many requests it changed and why the others failed.
  const bulk = /^(\d{1,4}),(\d{1,4})$/.exec(params.get('bulk') ?? '');
  const categoryNames = new Map(categories.map((c) => [c.code, c.name]));
  const failures = decodeBulkFailures(params.getAll('bulkFailed'), STAFF_WORK_ERROR_CODES).map((f) => ({
    trackingNumber: f.trackingNumber,
    // Words from the catalogue only: the URL names a code and, for a refused transition, two statuses.
    cause: t(`errors:${f.code}`, {
      townName: town.name,
      max: NOTE_MAX,
      categoryName: categoryNames.get(params.get('bulkCategory') ?? '') ?? '',
      from: f.transition ? t(`requestStatus.${f.transition.from}`) : '',
      to: f.transition ? t(`requestStatus.${f.transition.to}`) : '',
    }),
  }));
  const view = new URLSearchParams(queueSearchParams(filters));
  const viewQuery = savedViewQuery(filters);
  const savedId = params.get('saved');
  const now = Date.now();
  return json({
    townName: town.name,
    timezone: town.timezone,
    filters,
    filtersActive: (['category', 'department', 'assignee', 'priority', 'from', 'to'] as const).filter((k) => filters[k]).length + (filters.overdue ? 1 : 0),
    items: queue.items.map((r) => ({
      trackingNumber: r.trackingNumber,
      status: r.status,
      categoryName: r.categoryName,
      departmentName: r.departmentName,
      assignee: r.assigneeFormer ? t('staffIndex.formerAssignee', { name: r.assigneeName ?? r.assigneeEmail }) : (r.assigneeName ?? r.assigneeEmail),
      assigneeFormer: r.assigneeFormer,
      transferredFrom: r.transferredFrom,
      priority: r.priority,
      ageDays: Math.max(0, Math.floor((now - r.createdAt.getTime()) / DAY_MS)),
      createdAt: r.createdAt,
      dueAt: r.dueAt,
      overdue: r.overdue,
      place: shortPlace(r.address, r.lat, r.lng),
      fullPlace: r.address ?? `${r.lat.toFixed(5)}, ${r.lng.toFixed(5)}`,
      excerpt: r.excerpt,
    })),
    total: queue.total,
    totalText: queue.totalIsExact ? count.format(queue.total) : t('staffIndex.moreThan', { total: count.format(queue.total) }),
    lastPage,
    statusLinks: {
      groups: STATUS_GROUPS.map((g) => statusLink(g.filter, t(`staffIndex.statusGroup.${g.filter}`), g.statuses)),
      statuses: [...OPEN_STATUSES, ...CLOSED_STATUSES, 'withdrawn' as const].map((s) => statusLink(s, t(`requestStatus.${s}`), [s])),
    },
    sortLinks: Object.fromEntries(SORT_ORDERS.map((sort) => [sort, href({ sort })])) as Record<QueueSort, string>,
    pageLinks: {
      first: href({}),
      previous: filters.page > 1 ? href({ page: lastPage ? Math.min(filters.page - 1, lastPage) : filters.page - 1 }) : null,
      next: (lastPage ? filters.page < lastPage : queue.items.length === filters.pageSize) ? href({ page: filters.page + 1 }) : null,
    },
    viewLinks: { list: href({ view: 'list', page: filters.page }), map: href({ view: 'map', page: filters.page }) },
    exportHref: withSearch('/staff/export.csv', queueSearchParams({ ...filters, page: DEFAULT_QUEUE_FILTERS.page, pageSize: DEFAULT_QUEUE_FILTERS.pageSize, view: DEFAULT_QUEUE_FILTERS.view })),
    exportOrder: t(`staffIndex.sortPhrase.${filters.sort}`),
    /** This exact view (filters, sort, page): where a bulk action and a request page's "Back to the queue" return. */
    returnTo: withSearch('/staff', view),
    viewQuery,
    back: view.toString(),
    bulkResult: bulk ? { succeeded: Number(bulk[1]), failed: Number(bulk[2]), failures } : null,
    savedViews: savedViews.map((v) => ({ ...v, href: withSearch('/staff', new URLSearchParams(v.query)), current: v.query === viewQuery })),
    savedName: savedId ? (savedViews.find((v) => v.id === savedId)?.name ?? null) : null,
    deletedView: params.get('deleted') === '1',
    isAdmin: staff.role === 'admin',
    categories: categories.map((c) => ({ code: c.code, name: c.active ? c.name : t('staffIndex.retiredCategory', { name: c.name }), active: c.active })),
    departments: departments.map((d) => ({ id: d.id, name: d.name })),
    staff: team.map((s) => ({ id: s.id, name: s.displayName ? `${s.displayName} (${s.email})` : s.email })),
    formerStaff: formerAssignees.map((s) => ({ id: s.id, name: t('staffIndex.formerAssignee', { name: s.displayName ? `${s.displayName} (${s.email})` : s.email }) })),
    bulkMax: BULK_MAX,
    map: bounds && {
      bounds,
      dataUrl: withSearch('/staff/map.json', queueSearchParams({ ...filters, page: 1, view: 'list' })),
      mapboxToken: getEnv().MAPBOX_TOKEN ?? null,
    },
    nameMax: SAVED_VIEW_NAME_MAX,
  });
}

const viewForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('saveView'), name: formText().default(''), query: formText().max(2000).default(''), shared: z.literal('1').optional() }),
  z.object({ intent: z.literal('deleteView'), viewId: formText().default(''), returnTo: formText().max(2000).default('') }),
]);

/** Saving and deleting named views; each comes back to a queue page (the saved view, or where the staff member was). */
export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const staff = await requireTownRole(args, 'staff');
  const t = await requestT(request);
  const parsed = viewForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ error: t('errors:unknownActionOnPage'), name: '' }, { status: 400 });
  const form = parsed.data;
  if (form.intent === 'saveView') {
    const filters = parseQueueFilters(new URLSearchParams(form.query));
    const result = await saveView(staff, { name: form.name, filters, shared: form.shared === '1' });
    if (!result.ok) return json({ error: t(`errors:${result.error.code}`, result.error.values), name: form.name }, { status: 422 });
    const saved = new URLSearchParams(savedViewQuery(filters));
    saved.set('saved', result.id);
    return redirect(`/staff?${saved}`);
  }
  const result = await deleteView(staff, form.viewId);
  if (!result.ok) return json({ error: t(`errors:${result.error.code}`), name: '' }, { status: result.error.code === 'savedView.notAllowed' ? 403 : 404 });
  const back = new URLSearchParams(queueSearchParams(parseQueueFilters(new URLSearchParams(form.returnTo))));
  back.set('deleted', '1');
  return redirect(`/staff?${back}`);
}

type QueueData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function StaffQueue() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { filters, items, total, totalText, lastPage } = data;
  const first = (filters.page - 1) * filters.pageSize + 1;
  const count = numberFormat(useIntlLocale());
  const range = items.length > 0 ? t('staffIndex.range', { first: count.format(first), last: count.format(first + items.length - 1) }) : t('staffIndex.noRange');
  return (
    <div className="cc-queue">
      <h2 className="usa-sr-only">{t('staffIndex.requestQueue')}</h2>
      {data.bulkResult ? <BulkResultAlerts {...data.bulkResult} /> : null}
      <SuccessAlert message={data.savedName ? t('staffIndex.viewSaved', { name: data.savedName }) : data.deletedView ? t('staffIndex.viewDeleted') : null} />
      <FormAlert message={actionData?.error} />
      <SavedViews data={data} nameDraft={actionData?.name ?? ''} />
      <QueueFilterBar key={data.returnTo} data={data} />

      <nav aria-label={t('staffIndex.requestsByStatus')} className="cc-queue__statuses">
        <ul>
          {[...data.statusLinks.groups, ...data.statusLinks.statuses].map((s) => (
            <li key={s.filter}>
              <Link to={s.href} className={s.current ? 'text-bold' : undefined} aria-current={s.current ? 'true' : undefined}>
                {s.label} ({s.count})
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <div className="cc-queue__summary">
        <p role="status" className="margin-0">
          {t('staffIndex.matches', { count: total, total: totalText })}
          {total > 0 ? t('staffIndex.showing', { range, order: t(`staffIndex.sortPhrase.${filters.sort}`) }) : ''}.
          {lastPage === 1 ? '' : lastPage ? t('staffIndex.pageOf', { page: filters.page, lastPage }) : t('staffIndex.page', { page: filters.page })}
        </p>
        <ul className="cc-queue__links">
          <li>{filters.view === 'map' ? <Link to={data.viewLinks.list}>{t('staffIndex.hideTheMap')}</Link> : <Link to={data.viewLinks.map}>{t('staffIndex.showOnAMap')}</Link>}</li>
          <li>
            <a href={data.exportHref}>{t('staffIndex.exportTheseRequestsAsCsv', { exportOrder: data.exportOrder })}</a>
          </li>
        </ul>
      </div>
      {items.length === 0 && filters.page > 1 && total > 0 ? (
        <p>
          <TransText t={t} i18nKey="staffIndex.thereIsNoPagePage" values={{ page: filters.page }} components={{ a: <Link to={data.pageLinks.first} /> }} />
        </p>
      ) : null}

      {filters.view === 'map' && data.map ? (
        <RequestsMapEnhancement
          view={{ bounds: data.map.bounds }}
          pin={null}
          dataUrl={data.map.dataUrl}
          requestPath="/staff/requests"
          listNearUrl={null}
          mapboxToken={data.map.mapboxToken}
          boundariesUrl="/geo/towns.geojson"
          label={t('staffIndex.mapOfTheMatchingRequests')}
        />
      ) : null}

      {items.length > 0 ? (
        <Form method="post" action="/staff/bulk" reloadDocument className="usa-form maxw-none cc-queue__form">
          <BulkBar data={data} />
          <QueueTable data={data} range={range} />
        </Form>
      ) : (
        <p>{t('staffIndex.noRequestMatches')}</p>
      )}

      <nav aria-label={t('staffIndex.pages')} className="cc-pages">
        {data.pageLinks.previous ? <Link to={data.pageLinks.previous}>{t('staffIndex.previousPage')}</Link> : null}
        {data.pageLinks.next ? <Link to={data.pageLinks.next}>{t('staffIndex.nextPage')}</Link> : null}
      </nav>
    </div>
  );
}

function BulkResultAlerts({ succeeded, failed, failures }: { succeeded: number; failed: number; failures: { trackingNumber: string; cause: string }[] }) {
  const { t } = useTranslation();
  if (succeeded === 0 && failed === 0) return <FormAlert message={t('staffIndex.noRequestsWereTickedSo')} />;
  return (
    <>
      <SuccessAlert message={succeeded > 0 ? t('staffIndex.updated', { count: succeeded }) : null} />
      <FormAlert message={failed > 0 ? t('staffIndex.couldNotBeChanged', { count: failed }) : null} />
      {failures.length > 0 ? (
        <ul className="usa-list cc-queue__failures">
          {failures.map((f) => (
            <li key={f.trackingNumber}>
              <Link to={`/staff/requests/${f.trackingNumber}`}>{f.trackingNumber}</Link>: {f.cause}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** The staff member's own views and the town's shared ones: links (a view is a URL), and saving the current one. */
function SavedViews({ data, nameDraft }: { data: QueueData; nameDraft: string }) {
  const { t } = useTranslation();
  const deletable = data.savedViews.filter((v) => v.canDelete);
  return (
    <section aria-labelledby="saved-views-heading" className="cc-queue__views">
      <h3 id="saved-views-heading" className="cc-queue__views-title">
        {t('staffIndex.savedViews')}
      </h3>
      {data.savedViews.length > 0 ? (
        <ul className="cc-queue__view-list">
          {data.savedViews.map((v) => (
            <li key={v.id}>
              <Link to={v.href} aria-current={v.current ? 'page' : undefined} className={v.current ? 'text-bold' : undefined}>
                {v.name}
              </Link>
              {v.shared ? <span className="cc-queue__shared">{v.mine ? t('staffIndex.sharedByYou') : t('staffIndex.sharedBy', { name: v.ownerName })}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <span className="cc-queue__none">{t('staffIndex.noSavedViews')}</span>
      )}
      <details className="cc-queue__details" open={nameDraft !== '' ? true : undefined}>
        <summary>{t('staffIndex.saveThisView')}</summary>
        <Form method="post" className="cc-queue__inline-form">
          <input type="hidden" name="intent" value="saveView" />
          <input type="hidden" name="query" value={data.viewQuery} />
          <label className="usa-label margin-top-0" htmlFor="view-name">
            {t('staffIndex.viewName')}
          </label>
          <input className="usa-input" id="view-name" name="name" maxLength={data.nameMax} required defaultValue={nameDraft} />
          <div className="usa-checkbox">
            <input className="usa-checkbox__input" type="checkbox" id="view-shared" name="shared" value="1" />
            <label className="usa-checkbox__label" htmlFor="view-shared">
              {t('staffIndex.shareWithTown', { townName: data.townName })}
            </label>
          </div>
          <button className="usa-button" type="submit">
            {t('staffIndex.saveView')}
          </button>
        </Form>
      </details>
      {deletable.length > 0 ? (
        <details className="cc-queue__details">
          <summary>{t('staffIndex.deleteViews')}</summary>
          <ul className="usa-list usa-list--unstyled">
            {deletable.map((v) => (
              <li key={v.id}>
                <Form method="post" className="cc-queue__inline-form">
                  <input type="hidden" name="intent" value="deleteView" />
                  <input type="hidden" name="viewId" value={v.id} />
                  <input type="hidden" name="returnTo" value={data.back} />
                  <button className="usa-button usa-button--unstyled" type="submit">
                    {t('staffIndex.deleteView', { name: v.name })}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** Plain GET, so every view is a URL that can be bookmarked, saved or sent to a colleague: the words first, the rest folded away. */
function QueueFilterBar({ data }: { data: QueueData }) {
  const { t } = useTranslation();
  const { filters } = data;
  const checked = (s: StatusFilter) => filters.status.includes(s);
  return (
    <Form method="get" action="/staff" className="usa-form maxw-none cc-queue__filters" role="search" aria-label={t('staffIndex.filterTheQueue')}>
      <div className="cc-queue__bar">
        <label className="usa-sr-only" htmlFor="q">
          {t('staffIndex.search')}
        </label>
        <input className="usa-input cc-queue__search" type="search" id="q" name="q" defaultValue={filters.q ?? ''} placeholder={t('staffIndex.searchPlaceholder')} aria-describedby="q-hint" />
        <button className="usa-button" type="submit">
          {t('staffIndex.applyFilters')}
        </button>
        <Link to="/staff" className="cc-queue__clear">
          {t('staffIndex.clearFilters')}
        </Link>
      </div>
      <div className="usa-sr-only" id="q-hint">
        {t('staffIndex.aTrackingNumberOrIts')}
      </div>
      <details className="cc-queue__details cc-queue__panel">
        <summary>{data.filtersActive > 0 ? t('staffIndex.moreFiltersActive', { count: data.filtersActive }) : t('staffIndex.moreFilters')}</summary>
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
            <Select id="category" label={t('staffIndex.category')} value={filters.category} options={[{ value: '', label: t('staffIndex.anyCategory') }, ...data.categories.map((c) => ({ value: c.code, label: c.name }))]} />
            <Select id="department" label={t('staffIndex.department')} value={filters.department} options={[{ value: '', label: t('staffIndex.anyDepartment') }, ...data.departments.map((d) => ({ value: d.id, label: d.name }))]} />
            <Select
              id="assignee"
              label={t('staffIndex.assignee')}
              value={filters.assignee}
              options={[
                { value: '', label: t('staffIndex.anyoneOrNoOne') },
                { value: 'me', label: t('staffIndex.assignedToMe') },
                { value: 'unassigned', label: t('staffIndex.unassigned') },
                ...data.staff.map((s) => ({ value: s.id, label: s.name })),
                // Whoever has left stays findable on the requests they had, named as former.
                ...data.formerStaff.map((s) => ({ value: s.id, label: s.name })),
              ]}
            />
            <Select id="priority" label={t('staffIndex.priority')} value={filters.priority} options={[{ value: '', label: t('staffIndex.anyPriority') }, ...REQUEST_PRIORITIES.map((p) => ({ value: p, label: t(`requestPriority.${p}`) }))]} />
            <div className="usa-checkbox margin-top-3">
              <input className="usa-checkbox__input" type="checkbox" id="overdue" name="overdue" value="1" defaultChecked={filters.overdue} />
              <label className="usa-checkbox__label" htmlFor="overdue">
                {t('staffIndex.onlyOverdueRequests')}
              </label>
            </div>
          </div>
          <div className="tablet:grid-col-4">
            <fieldset className="usa-fieldset">
              <legend className="usa-legend">{t('staffIndex.reportedBetween')}</legend>
              <label className="usa-label" htmlFor="from">
                {t('staffIndex.fromFirstDay')}
              </label>
              <input className="usa-input" type="date" id="from" name="from" defaultValue={filters.from ?? ''} />
              <label className="usa-label" htmlFor="to">
                {t('staffIndex.toLastDay')}
              </label>
              <input className="usa-input" type="date" id="to" name="to" defaultValue={filters.to ?? ''} />
            </fieldset>
            <Select id="sort" label={t('staffIndex.sort')} value={filters.sort} options={SORT_ORDERS.map((sort) => ({ value: sort, label: t(`staffIndex.sortOrder.${sort}`) }))} />
            <Select
              id="pageSize"
              label={t('staffIndex.requestsPerPage')}
              value={String(filters.pageSize)}
              options={[...new Set([...PAGE_SIZES, filters.pageSize])].sort((a, b) => a - b).map((size) => ({ value: String(size), label: String(size) }))}
            />
          </div>
        </div>
        <p className="usa-hint">{t('staffIndex.filtersApplyWithSearch')}</p>
      </details>
      {filters.view === 'map' ? <input type="hidden" name="view" value="map" /> : null}
    </Form>
  );
}

function Select({ id, label, value, options, name = id }: { id: string; label: string; value: string | undefined; options: { value: string; label: string }[]; name?: string }) {
  return (
    <>
      <label className="usa-label" htmlFor={id}>
        {label}
      </label>
      <select className="usa-select" id={id} name={name} defaultValue={value ?? ''}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </>
  );
}

const SORT_ARROW = { ascending: '▲', descending: '▼' } as const;

type Column = { key: string; label: string; sort?: { current: boolean; direction: 'ascending' | 'descending'; href: string } };

/** A header that sorts: a link (no JavaScript needed), and aria-sort on the column sorted by. */
function SortableHeader({ column, className }: { column: Column; className?: string }) {
  const { t } = useTranslation();
  if (!column.sort) {
    return (
      <th scope="col" className={className}>
        {column.label}
      </th>
    );
  }
  const { current, direction, href } = column.sort;
  return (
    <th scope="col" className={className} aria-sort={current ? direction : undefined}>
      <Link to={href} className="cc-queue__sort">
        {column.label}
        <span aria-hidden="true">{current ? ` ${SORT_ARROW[direction]}` : ''}</span>
        <span className="usa-sr-only">{current ? '' : t('staffIndex.sortBy', { column: column.label })}</span>
      </Link>
    </th>
  );
}

function QueueTable({ data, range }: { data: QueueData; range: string }) {
  const { t } = useTranslation();
  const locale = useIntlLocale();
  const dueFormat = dateTimeFormat(locale, { timeZone: data.timezone, month: 'short', day: 'numeric' });
  const fullFormat = dateTimeFormat(locale, { timeZone: data.timezone, dateStyle: 'medium', timeStyle: 'short' });
  const count = numberFormat(locale);
  const { sort } = data.filters;
  const sortBy = (asc: QueueSort | null, desc: QueueSort | null, preferred: 'ascending' | 'descending') => {
    const current = sort === asc ? 'ascending' : sort === desc ? 'descending' : null;
    // A second click on the column sorts the other way, where it has one.
    const next = current === 'ascending' ? (desc ?? asc) : current === 'descending' ? (asc ?? desc) : preferred === 'ascending' ? asc : desc;
    return { current: current !== null, direction: current ?? preferred, href: data.sortLinks[next!] };
  };
  const columns: Record<string, Column> = {
    // The number grows with the age, so the age column's order is the number's.
    request: { key: 'request', label: t('staffIndex.request') },
    category: { key: 'category', label: t('staffIndex.category') },
    location: { key: 'location', label: t('staffIndex.location') },
    age: { key: 'age', label: t('staffIndex.age'), sort: sortBy('newest', 'oldest', 'ascending') },
    due: { key: 'due', label: t('staffIndex.due'), sort: sortBy('due', null, 'ascending') },
    status: { key: 'status', label: t('staffIndex.status') },
    assignee: { key: 'assignee', label: t('staffIndex.assignee') },
    priority: { key: 'priority', label: t('staffIndex.priority'), sort: sortBy(null, 'priority', 'descending') },
  };
  return (
    <table className="usa-table usa-table--borderless usa-table--compact cc-queue__table">
      <caption className="usa-sr-only">{t('staffIndex.tableCaption', { range, total: data.totalText, order: t(`staffIndex.sortPhrase.${sort}`) })}</caption>
      <thead>
        <tr>
          <th scope="col" className="cc-col-select">
            <SelectPage />
          </th>
          {Object.values(columns).map((c) => (
            <SortableHeader key={c.key} column={c} className={`cc-col-${c.key}`} />
          ))}
        </tr>
      </thead>
      <tbody>
        {data.items.map((r) => (
          <tr key={r.trackingNumber} className={r.overdue ? 'cc-queue__row--overdue' : undefined}>
            <td className="cc-col-select">
              <input type="hidden" name="pageNumbers" value={r.trackingNumber} />
              <input className="cc-queue__tick" type="checkbox" id={`select-${r.trackingNumber}`} name="trackingNumbers" value={r.trackingNumber} aria-label={t('staffIndex.selectTrackingnumber', { trackingNumber: r.trackingNumber })} />
            </td>
            <th scope="row" className="cc-col-request">
              <Link to={`/staff/requests/${r.trackingNumber}?${new URLSearchParams({ back: data.back })}`} title={r.excerpt}>
                {r.trackingNumber}
              </Link>
              {r.transferredFrom ? (
                <span className="usa-tag bg-accent-cool-darker margin-left-05" title={t('staffIndex.transferredInFrom', { trackingNumber: r.transferredFrom })}>
                  {t('staffIndex.transferredIn')}
                </span>
              ) : null}
            </th>
            <td className="cc-col-category" title={r.departmentName ?? undefined}>
              {r.categoryName}
            </td>
            <td className="cc-col-location" title={r.fullPlace}>
              {r.place}
            </td>
            <td className="cc-col-age">
              <time dateTime={new Date(r.createdAt).toISOString()} title={fullFormat.format(new Date(r.createdAt))}>
                {t('staffIndex.days', { count: r.ageDays, formatted: count.format(r.ageDays) })}
              </time>
            </td>
            <td className="cc-col-due">
              {r.dueAt ? (
                <time dateTime={new Date(r.dueAt).toISOString()} title={fullFormat.format(new Date(r.dueAt))}>
                  {dueFormat.format(new Date(r.dueAt))}
                </time>
              ) : (
                <span className="text-base">{t('staffIndex.noTarget')}</span>
              )}
              {r.overdue ? <span className="usa-tag cc-queue__overdue">{t('staffIndex.overdue')}</span> : null}
            </td>
            <td className="cc-col-status">
              <StatusTag status={r.status} />
            </td>
            <td className="cc-col-assignee">{r.assignee ?? <span className="text-base">{t('staffIndex.unassigned')}</span>}</td>
            <td className="cc-col-priority">
              <PriorityLabel priority={r.priority} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Ticks every request of the page; JavaScript only (without it, the bar's "All on this page" does the same). */
function SelectPage() {
  const { t } = useTranslation();
  const ref = useRef<HTMLInputElement>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (!hydrated) return <span className="usa-sr-only">{t('staffIndex.select')}</span>;
  return (
    <input
      ref={ref}
      className="cc-queue__tick"
      type="checkbox"
      aria-label={t('staffIndex.tickEveryRequestOnThisPage')}
      onChange={(e) => {
        for (const box of e.currentTarget.form?.querySelectorAll<HTMLInputElement>('input[name="trackingNumbers"]') ?? []) box.checked = e.currentTarget.checked;
      }}
    />
  );
}

const OPERATIONS = ['acknowledge', 'assign', 'priority', 'reply', 'note', 'recategorise', 'close'] as const;
type Operation = (typeof OPERATIONS)[number];
/** The fields each operation reads; the others are hidden once JavaScript runs (all show without it). */
const CLOSE_STATUS_FIELD = 'closeStatus';
const FIELDS_OF: Record<Operation, readonly string[]> = {
  acknowledge: [],
  assign: ['department', 'assignee'],
  priority: ['priority'],
  reply: ['message'],
  note: ['message'],
  recategorise: ['category'],
  close: [CLOSE_STATUS_FIELD, 'reason'],
};

/**
 * Posted to /staff/bulk, which comes back to this exact view (`returnTo`). With JavaScript it shows
 * only the chosen action's fields and sticks to the top of the window over the table; without, the
 * fields are folded under "Details for the action", so the table still comes first.
 */
function BulkBar({ data }: { data: QueueData }) {
  const { t } = useTranslation();
  const count = numberFormat(useIntlLocale());
  const [operation, setOperation] = useState<Operation | null>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const shown = (field: string) => !hydrated || (operation !== null && FIELDS_OF[operation].includes(field));
  const field = (name: string, wide = false) => ({ hidden: !shown(name), className: wide ? 'cc-queue__bulk-field cc-queue__bulk-field--wide' : 'cc-queue__bulk-field' });
  const matching = data.total > data.bulkMax ? t('staffIndex.scopeMatchingCapped', { total: data.totalText, max: count.format(data.bulkMax) }) : t('staffIndex.scopeMatching', { total: data.totalText });
  const fields = (
    <>
      <div {...field('department')}>
      <Select id="bulk-department" name="departmentId" label={t('staffIndex.departmentWhenAssigning')} value="" options={[{ value: '', label: t('staffIndex.keepEachRequestSDepartment') }, ...data.departments.map((d) => ({ value: d.id, label: d.name }))]} />
    </div>
    <div {...field('assignee')}>
      <Select id="bulk-assignee" name="assigneeUserId" label={t('staffIndex.personWhenAssigning')} value="" options={[{ value: '', label: t('staffIndex.keepEachRequestSAssignee') }, ...data.staff.map((s) => ({ value: s.id, label: s.name }))]} />
    </div>
    <div {...field('priority')}>
      <Select id="bulk-priority" name="priority" label={t('staffIndex.priorityWhenSetting')} value="high" options={REQUEST_PRIORITIES.map((p) => ({ value: p, label: t(`requestPriority.${p}`) }))} />
    </div>
    <div {...field('category')}>
      <Select
        id="bulk-category"
        name="categoryCode"
        label={t('staffIndex.categoryWhenRecategorising')}
        value=""
        options={[{ value: '', label: t('staffIndex.chooseACategory') }, ...data.categories.filter((c) => c.active).map((c) => ({ value: c.code, label: c.name }))]}
      />
    </div>
    <div {...field(CLOSE_STATUS_FIELD)}>
      <Select id="bulk-close-status" name="closeStatus" label={t('staffIndex.closeAsWhenClosing')} value="fixed" options={(['fixed', 'not_fixed', 'referred'] as const).map((st) => ({ value: st, label: t(`requestStatus.${st}`) }))} />
    </div>
    <div {...field('message', true)}>
      <label className="usa-label" htmlFor="bulk-message">
        {operation === 'note' ? t('staffIndex.internalNoteNeverShown') : operation === 'reply' ? t('staffIndex.publicReplyEmailed') : t('staffIndex.replyOrNote')}
      </label>
      <textarea className="usa-textarea" id="bulk-message" name="message" rows={2} />
      </div>
      <div {...field('reason', true)}>
      <label className="usa-label" htmlFor="bulk-reason">
        {t('staffIndex.reasonShownToResidents')}
      </label>
      <div className="usa-hint" id="bulk-reason-hint">
        {t('staffIndex.neededWhenClosingAsNot')}
      </div>
      <textarea className="usa-textarea" id="bulk-reason" name="reason" rows={2} aria-describedby="bulk-reason-hint" />
      </div>
    </>
  );
  return (
    <fieldset className={`usa-fieldset cc-queue__bulk${hydrated ? ' cc-queue__bulk--sticky' : ''}`}>
      <legend className="usa-sr-only">{t('staffIndex.actOnSeveralRequests')}</legend>
      <input type="hidden" name="returnTo" value={data.returnTo} />
      <input type="hidden" name="query" value={data.back} />
      <div className="cc-queue__bulk-row">
        <div className="cc-queue__bulk-field">
          <label className="usa-label" htmlFor="bulk-scope">
            {t('staffIndex.actOn')}
          </label>
          <select className="usa-select" id="bulk-scope" name="scope" defaultValue="ticked">
            <option value="ticked">{t('staffIndex.scopeTicked')}</option>
            <option value="page">{t('staffIndex.scopePage', { count: data.items.length })}</option>
            <option value="matching">{matching}</option>
          </select>
        </div>
        <div className="cc-queue__bulk-field">
          <label className="usa-label" htmlFor="bulk-operation">
            {t('staffIndex.action')}
          </label>
          <select className="usa-select" id="bulk-operation" name="operation" required defaultValue="" onChange={(e) => setOperation((e.target.value || null) as Operation | null)}>
            <option value="" disabled>
              {t('staffIndex.chooseAnAction')}
            </option>
            {OPERATIONS.map((o) => (
              <option key={o} value={o}>
                {t(`staffIndex.operation.${o}`)}
              </option>
            ))}
          </select>
        </div>
        <button className="usa-button cc-queue__apply" type="submit">
          {t('staffIndex.apply')}
        </button>
      </div>
      {hydrated ? (
        <div className="cc-queue__bulk-row">{fields}</div>
      ) : (
        <details className="cc-queue__details">
          <summary>{t('staffIndex.actionDetails')}</summary>
          {fields}
        </details>
      )}
    </fieldset>
  );
}
