import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { ServiceStatusBanner } from '~/components/town-lifecycle';
import { lifecycleOf } from '~/modules/towns/town-lifecycle.server';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { keepOnQueryChange } from '~/utils/revalidation';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  {
    title: metaT(matches)('admin.pageTitle', {
      townName: data?.townName ?? '',
    }),
  },
];

export const shouldRevalidate = keepOnQueryChange;

/** The console's frame. Child routes check the admin role in their own loader and action too: Remix runs them independently. */
export async function loader(args: LoaderFunctionArgs) {
  const { town } = await requireTownRole(args, 'admin');
  return json({ townName: town.name, lifecycle: lifecycleOf(town) });
}

const SECTIONS = [
  { to: '/admin', name: 'overview', end: true },
  { to: '/admin/categories', name: 'categories' },
  { to: '/admin/departments', name: 'departments' },
  { to: '/admin/closures', name: 'closures' },
  { to: '/admin/staff', name: 'staff' },
  { to: '/admin/profile', name: 'profile' },
  { to: '/admin/boundary', name: 'boundary' },
  { to: '/admin/billing', name: 'billing' },
  { to: '/admin/api-keys', name: 'apiKeys' },
  { to: '/admin/webhooks', name: 'webhooks' },
  { to: '/admin/audit', name: 'audit' },
];

export default function AdminLayout() {
  const { t } = useTranslation();
  const { townName, lifecycle } = useLoaderData<typeof loader>();
  return (
    <>
      <ServiceStatusBanner lifecycle={lifecycle} townName={townName} canSubscribe />
      <div className="grid-row grid-gap">
        <nav className="tablet:grid-col-3 margin-bottom-3" aria-label={t('admin.navigationLabel', { townName })}>
          <p className="text-bold margin-top-0">{t('admin.navigationLabel', { townName })}</p>
          <ul className="usa-sidenav">
            {SECTIONS.map((section) => (
              <li key={section.to} className="usa-sidenav__item">
                <NavLink to={section.to} end={section.end} className={({ isActive }) => (isActive ? 'usa-current' : undefined)}>
                  {t(`admin.section.${section.name}`)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="tablet:grid-col-9">
          <Outlet />
        </div>
      </div>
    </>
  );
}
