import { json, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getAdminOverview } from '~/modules/admin/overview.server';
import { ENDING_SOON_DAYS, grantTermStatus } from '~/modules/towns/grant-term';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';

export async function loader(args: LoaderFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  return json({
    town: { name: town.name, grantStart: town.grantStart, grantEnd: town.grantEnd },
    grant: grantTermStatus(town.grantStart, town.grantEnd),
    overview: await getAdminOverview(admin),
  });
}

export default function AdminOverview() {
  const { t } = useTranslation();
  const { town, grant, overview } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('adminIndex.nameAdministration', { name: town.name })}</h1>
      <h2>{t('adminIndex.grantTerm')}</h2>
      <p>{t('adminIndex.theCommonwealthFundsNameS', { name: town.name })}</p>
      <dl className="usa-summary-box">
        <div className="usa-summary-box__body">
          <dt className="text-bold">{t('adminIndex.start')}</dt>
          <dd className="margin-left-0 margin-bottom-1">{town.grantStart}</dd>
          <dt className="text-bold">{t('adminIndex.end')}</dt>
          <dd className="margin-left-0 margin-bottom-1">{town.grantEnd}</dd>
          <dt className="text-bold">{t('adminIndex.daysLeft')}</dt>
          <dd className="margin-left-0 margin-bottom-1">{grant.daysLeft}</dd>
          <dt className="text-bold">{t('adminIndex.status')}</dt>
          <dd className="margin-left-0">
            <strong>{t(`grantStatus.${grant.status}`, { days: ENDING_SOON_DAYS })}</strong>
          </dd>
        </div>
      </dl>
      <h2>{t('adminIndex.atAGlance')}</h2>
      <ul className="usa-list">
        <li>
          <Link to="/admin/categories">
            {t('adminIndex.activeCategories', { count: overview.categories.active })}
          </Link>
          {overview.categories.inactive > 0 ? t('adminIndex.inactiveInactive', { inactive: overview.categories.inactive }) : ''}
        </li>
        <li>
          <Link to="/admin/departments">
            {t('adminIndex.departments', { count: overview.departments })}
          </Link>
        </li>
        <li>
          <Link to="/admin/staff">
            {t('adminIndex.members', { count: overview.members.admin, staff: overview.members.staff })}
          </Link>
          {overview.pendingInvitations > 0 ? t('adminIndex.pendingInvitations', { count: overview.pendingInvitations }) : ''}
        </li>
      </ul>
    </>
  );
}
