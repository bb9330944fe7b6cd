import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { SelectField, SuccessAlert } from '~/components/form-field';
import { StatusTag } from '~/components/status-tag';
import { TownTime } from '~/components/town-time';
import { MY_REQUEST_RELATIONS, MY_REQUEST_STATUS_FILTERS } from '~/modules/requests/my-request-filters';
import { listMyRequests } from '~/modules/requests/request-queries.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireResident } from '~/utils/permissions.server';
import { resolveSite, siteOrigin } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('accountRequests.pageTitle') }];

// Each filter falls back on its own: a bad `page` does not cost the rest of a bookmarked view.
const filtersSchema = z.object({
  status: z.enum(MY_REQUEST_STATUS_FILTERS).optional().catch(undefined),
  relation: z.enum(MY_REQUEST_RELATIONS).optional().catch(undefined),
  town: z.string().regex(/^[a-z0-9-]{1,60}$/).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export async function loader(args: LoaderFunctionArgs) {
  await resolveSite(args);
  const resident = await requireResident(args);
  const filters = filtersSchema.parse(Object.fromEntries([...searchParamsOf(args.request)].filter(([, v]) => v !== '')));
  const list = await listMyRequests(resident, filters);
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  if (filters.page > pages) throw new Response((await requestT(args.request))('errors:page.outOfRange', { page: filters.page, pages }), { status: 404 });
  return json({
    filters,
    pages,
    total: list.total,
    towns: list.towns,
    // A withdrawn request's page is gone; its reporter still sees it listed, without a link.
    requests: list.items.map((r) => ({ ...r, href: r.status === 'withdrawn' ? null : `${siteOrigin(r.townSlug)}/requests/${r.trackingNumber}` })),
  });
}

export default function MyRequests() {
  const { t } = useTranslation();
  const { filters, pages, total, towns, requests } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params);
    next.delete('withdrawn');
    next.set('page', String(page));
    return `?${next}`;
  };
  return (
    <>
      <h1>{t('accountRequests.myRequests')}</h1>
      <SuccessAlert message={params.has('withdrawn') ? t('accountRequests.yourReportWasWithdrawn') : null} />
      <p>{t('accountRequests.everythingYouReportedOrFollow')}</p>
      <Form method="get" className="usa-form" aria-label={t('accountRequests.filter')}>
        <SelectField
          label={t('accountRequests.status')}
          name="status"
          defaultValue={filters.status ?? ''}
          options={[{ value: '', label: t('accountRequests.anyStatus') }, ...MY_REQUEST_STATUS_FILTERS.map((s) => ({ value: s, label: t(`accountRequests.statusFilter.${s}`) }))]}
        />
        <SelectField
          label={t('accountRequests.relation')}
          name="relation"
          defaultValue={filters.relation ?? ''}
          options={[
            { value: '', label: t('accountRequests.reportedOrFollowed') },
            { value: 'reported', label: t('accountRequests.youReported') },
            { value: 'following', label: t('accountRequests.youFollow') },
          ]}
        />
        {towns.length > 1 ? (
          <SelectField
            label={t('accountRequests.town')}
            name="town"
            defaultValue={filters.town ?? ''}
            options={[{ value: '', label: t('accountRequests.everyTown') }, ...towns.map((town) => ({ value: town.slug, label: town.name }))]}
          />
        ) : null}
        <button className="usa-button" type="submit">
          {t('accountRequests.show')}
        </button>
      </Form>
      <p role="status">{pages > 1 ? t('accountRequests.countOnPage', { count: total, page: filters.page, pages }) : t('accountRequests.count', { count: total })}</p>
      {requests.length === 0 ? <p>{t('accountRequests.nothingYet')}</p> : null}
      <ul className="cc-request-list">
        {requests.map((r) => (
          <li key={r.trackingNumber}>
            <div>
              {r.href ? <a href={r.href}>{r.trackingNumber}</a> : <span>{r.trackingNumber}</span>}: {r.categoryName} · {r.townName} · <StatusTag status={r.status} /> ·{' '}
              {r.relation === 'reported' ? t('accountRequests.youReported') : t('accountRequests.youFollow')}
              <br />
              <TownTime value={r.createdAt} timeZone="America/New_York" />: {r.description.slice(0, 160)}
            </div>
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav aria-label={t('accountRequests.pages')} className="cc-inline-list">
          {filters.page > 1 ? <Link to={pageLink(filters.page - 1)}>{t('accountRequests.previousPage')}</Link> : null}
          {filters.page < pages ? <Link to={pageLink(filters.page + 1)}>{t('accountRequests.nextPage')}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
