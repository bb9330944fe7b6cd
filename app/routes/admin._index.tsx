import { json, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getAdminOverview } from '~/modules/admin/overview.server';
import { GRANT_STATUS_LABEL, grantTermStatus } from '~/modules/towns/grant-term';
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
            <strong>{GRANT_STATUS_LABEL[grant.status]}</strong>
          </dd>
        </div>
      </dl>
      <h2>{t('adminIndex.atAGlance')}</h2>
      <ul className="usa-list">
        <li>
          <Link to="/admin/categories">
            {overview.categories.active}{t('adminIndex.activeCategor')}{overview.categories.active === 1 ? t('adminIndex.y') : t('adminIndex.ies')}
          </Link>
          {overview.categories.inactive > 0 ? t('adminIndex.inactiveInactive', { inactive: overview.categories.inactive }) : ''}
        </li>
        <li>
          <Link to="/admin/departments">
            {overview.departments}{t('adminIndex.department')}{overview.departments === 1 ? '' : t('adminIndex.s')}
          </Link>
        </li>
        <li>
          <Link to="/admin/staff">
            {overview.members.admin}{t('adminIndex.administrator')}{overview.members.admin === 1 ? '' : t('adminIndex.s')}{t('adminIndex.and')}{overview.members.staff}{t('adminIndex.staff')}</Link>
          {overview.pendingInvitations > 0 ? t('adminIndex.pendinginvitationsInvitationValue1Waiting', { pendingInvitations: overview.pendingInvitations, value1: overview.pendingInvitations === 1 ? '' : 's' }) : ''}
        </li>
      </ul>
    </>
  );
}
