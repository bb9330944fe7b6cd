import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listTownsForOversight } from '~/modules/oversight/oversight.server';
import { ENDING_SOON_DAYS, GRANT_STATUS_LABEL, grantTermStatus } from '~/modules/towns/grant-term';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite, siteOrigin } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('stateIndex.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const towns = (await listTownsForOversight(stateStaff)).map((t) => ({ ...t, grant: grantTermStatus(t.grantStart, t.grantEnd), href: siteOrigin(t.slug) }));
  return json({ towns });
}

export default function StateConsole() {
  const { t } = useTranslation();
  const { towns } = useLoaderData<typeof loader>();
  const counts = Object.fromEntries(Object.keys(GRANT_STATUS_LABEL).map((s) => [s, towns.filter((town) => town.grant.status === s).length]));
  return (
    <>
      <h1>{t('stateIndex.stateConsole')}</h1>
      <p>
        <Link to="/state/audit">{t('stateIndex.auditLogOfEveryTown')}</Link>
      </p>
      <p>{t('stateIndex.lengthParticipatingCommunitiesActiveActive', { length: towns.length, active: counts.active, ending_soon: counts.ending_soon, ended: counts.ended })}</p>
      <table className="usa-table usa-table--borderless usa-table--stacked">
        <caption>{t('stateIndex.grantTermsAndTownTeams')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('stateIndex.community')}</th>
            <th scope="col">{t('stateIndex.grantTerm')}</th>
            <th scope="col">{t('stateIndex.status')}</th>
            <th scope="col">{t('stateIndex.staffAdmins')}</th>
          </tr>
        </thead>
        <tbody>
          {towns.map((town) => (
            <tr key={town.slug}>
              <th scope="row">
                <a href={town.href}>{town.name}</a>
              </th>
              <td>
                {town.grantStart} – {town.grantEnd}
              </td>
              <td>
                {t(`grantStatus.${town.grant.status}`, { days: ENDING_SOON_DAYS })}
                {town.grant.status === 'ending_soon' ? t('stateIndex.daysLeft', { daysLeft: town.grant.daysLeft }) : ''}
              </td>
              <td>
                {town.staffCount} ({town.adminCount})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
