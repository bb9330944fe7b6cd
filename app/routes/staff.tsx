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
    title: metaT(matches)('staff.pageTitle', {
      townName: data?.townName ?? '',
    }),
  },
];

export const shouldRevalidate = keepOnQueryChange;

// Remix runs the child routes' loaders in parallel with this one, so each child checks the role itself.
export async function loader(args: LoaderFunctionArgs) {
  const { town, user, role } = await requireTownRole(args, 'staff');
  return json({
    townName: town.name,
    role,
    staffName: user.displayName ?? user.email,
    lifecycle: lifecycleOf(town),
  });
}

export default function StaffConsole() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <ServiceStatusBanner lifecycle={data.lifecycle} townName={data.townName} canSubscribe={data.role === 'admin'} />
      {/* One line, so the queue's table starts high on the first screen. */}
      <div className="cc-staff-header">
        <h1>{t('staff.heading', { townName: data.townName })}</h1>
        <p>
          {t('staff.signedInAs')}
          {data.staffName} ({data.role === 'admin' ? t('staff.townAdministrator') : t('staff.staff')}
          ).
        </p>
        <nav aria-label={t('staff.staffConsole')}>
          <ul className="usa-button-group">
            <li className="usa-button-group__item">
              <NavLink to="/staff" end className={({ isActive }) => `usa-button${isActive ? '' : ' usa-button--outline'}`}>
                {t('staff.queue')}
              </NavLink>
            </li>
            <li className="usa-button-group__item">
              <NavLink to="/staff/templates" className={({ isActive }) => `usa-button${isActive ? '' : ' usa-button--outline'}`}>
                {t('staff.templates')}
              </NavLink>
            </li>
            <li className="usa-button-group__item">
              <NavLink to="/staff/new" className={({ isActive }) => `usa-button${isActive ? '' : ' usa-button--outline'}`}>
                {t('staff.fileForCaller')}
              </NavLink>
            </li>
          </ul>
        </nav>
      </div>
      <Outlet />
    </>
  );
}
