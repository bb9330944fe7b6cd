import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { LocationMapEnhancement, mapStylesheets } from '~/components/location-map';
import { StatusTag } from '~/components/status-tag';
import { TownTime } from '~/components/town-time';
import { townAnchorPoint } from '~/modules/geo/locate-town.server';
import { loadTownRequestList } from '~/modules/requests/request-queries.server';
import { searchParamsOf } from '~/utils/control-characters';
import { getEnv } from '~/utils/env.server';
import { requireTown } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { useIntlLocale } from '~/i18n/intl';
import { numberFormat } from '~/utils/number-format';

export const links: LinksFunction = () => mapStylesheets();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: metaT(matches)('requestsIndex.pageTitle', { townName: data?.town.name ?? '' }) }];

const PAGE_SIZE = 25;
const filtersSchema = z.object({
  status: z.enum(['open', 'closed', '']).optional().catch(undefined).transform((v) => v || undefined),
  category: z.string().max(80).optional().catch(undefined).transform((v) => v || undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(1).transform((v) => v ?? 1),
});

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const town = await requireTown(args);
  const filters = filtersSchema.parse(Object.fromEntries(searchParamsOf(request)));
  const [{ list, categories }, center] = await Promise.all([loadTownRequestList(town.id, { ...filters, pageSize: PAGE_SIZE }), townAnchorPoint(town.slug)]);
  return json({
    town: { name: town.name, timezone: town.timezone },
    filters,
    categories: categories.map((c) => ({ code: c.code, name: c.name })),
    items: list.items,
    total: list.total,
    totalIsExact: list.totalIsExact,
    // Past the count limit the last page is unknown; the total then still reaches past this page.
    pages: list.totalIsExact ? Math.max(1, Math.ceil(list.total / PAGE_SIZE)) : null,
    center,
    mapboxToken: getEnv().MAPBOX_TOKEN ?? null,
  });
}

export default function RequestList() {
  const { t } = useTranslation();
  const count = numberFormat(useIntlLocale());
  const { town, filters, categories, items, total, totalIsExact, pages, center, mapboxToken } = useLoaderData<typeof loader>();
  const pageLink = (page: number) => {
    const params = new URLSearchParams();
    if (filters.status) params.set('status', filters.status);
    if (filters.category) params.set('category', filters.category);
    params.set('page', String(page));
    return `?${params}`;
  };
  const hasNextPage = pages === null || filters.page < pages;
  return (
    <>
      <h1>{t('requestsIndex.reportedProblemsInName', { name: town.name })}</h1>
      <Form method="get" className="usa-form">
        <label className="usa-label" htmlFor="status">{t('requestsIndex.status')}</label>
        <select className="usa-select" id="status" name="status" defaultValue={filters.status ?? ''}>
          <option value="">{t('requestsIndex.all')}</option>
          <option value="open">{t('requestsIndex.open')}</option>
          <option value="closed">{t('requestsIndex.closed')}</option>
        </select>
        <label className="usa-label" htmlFor="category">{t('requestsIndex.category')}</label>
        <select className="usa-select" id="category" name="category" defaultValue={filters.category ?? ''}>
          <option value="">{t('requestsIndex.allCategories')}</option>
          {categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        <button className="usa-button" type="submit">{t('requestsIndex.show')}</button>
      </Form>
      <p role="status">
        {totalIsExact ? count.format(total) : t('requestsIndex.moreThan', { total: count.format(total) })} {total === 1 && totalIsExact ? t('requestsIndex.request') : t('requestsIndex.requests')}
        {pages === null ? t('requestsIndex.pagePage', { page: filters.page }) : pages > 1 ? t('requestsIndex.pagePageOfPages', { page: filters.page, pages }) : ''}.
      </p>
      <LocationMapEnhancement
        center={center}
        zoom={13}
        pin={null}
        markers={items.map((r) => ({ lat: r.lat, lng: r.lng, label: `${r.trackingNumber}: ${r.categoryName}`, href: `/requests/${r.trackingNumber}` }))}
        mapboxToken={mapboxToken}
        boundariesUrl="/geo/towns.geojson"
        label={t('requestsIndex.mapOfTheRequestsOn')}
      />
      <ul className="cc-request-list">
        {items.map((r) => (
          <li key={r.trackingNumber}>
            {r.thumbnailKey ? <img src={`/photos/${r.thumbnailKey}`} alt="" loading="lazy" /> : null}
            <div>
              <Link to={`/requests/${r.trackingNumber}`}>
                {r.trackingNumber}: {r.categoryName}
              </Link>{' '}
              <StatusTag status={r.status} />
              <br />
              <TownTime value={r.createdAt} timeZone={town.timezone} />
              {r.address ? ` · ${r.address}` : ''}
              <br />
              {r.description.slice(0, 200)}
            </div>
          </li>
        ))}
      </ul>
      <nav aria-label={t('requestsIndex.pages')}>
        {filters.page > 1 ? <Link to={pageLink(filters.page - 1)}>{t('requestsIndex.previousPage')}</Link> : null}
        {filters.page > 1 && hasNextPage ? ' · ' : null}
        {hasNextPage ? <Link to={pageLink(filters.page + 1)}>{t('requestsIndex.nextPage')}</Link> : null}
      </nav>
    </>
  );
}
