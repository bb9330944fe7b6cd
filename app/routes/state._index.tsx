import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listTownsForOversight } from '~/modules/oversight/oversight.server';
import { GRANT_STATUS_LABEL, grantTermStatus } from '~/modules/towns/grant-term';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite, siteOrigin } from '~/utils/town.server';

export const meta: MetaFunction = () => [{ title: 'State console · Commonwealth Connect' }];

export async function loader(args: LoaderFunctionArgs) {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const towns = (await listTownsForOversight(stateStaff)).map((t) => ({ ...t, grant: grantTermStatus(t.grantStart, t.grantEnd), href: siteOrigin(t.slug) }));
  return json({ towns });
}

export default function StateConsole() {
  const { towns } = useLoaderData<typeof loader>();
  const counts = Object.fromEntries(Object.keys(GRANT_STATUS_LABEL).map((s) => [s, towns.filter((t) => t.grant.status === s).length]));
  return (
    <>
      <h1>State console</h1>
      <p>
        <Link to="/state/audit">Audit log of every town</Link>
      </p>
      <p>
        {towns.length} participating communities: {counts.active} active, {counts.ending_soon} ending within 90 days, {counts.ended} ended.
      </p>
      <table className="usa-table usa-table--borderless usa-table--stacked">
        <caption>Grant terms and town teams</caption>
        <thead>
          <tr>
            <th scope="col">Community</th>
            <th scope="col">Grant term</th>
            <th scope="col">Status</th>
            <th scope="col">Staff (admins)</th>
          </tr>
        </thead>
        <tbody>
          {towns.map((t) => (
            <tr key={t.slug}>
              <th scope="row">
                <a href={t.href}>{t.name}</a>
              </th>
              <td>
                {t.grantStart} – {t.grantEnd}
              </td>
              <td>
                {GRANT_STATUS_LABEL[t.grant.status]}
                {t.grant.status === 'ending_soon' ? ` (${t.grant.daysLeft} days left)` : ''}
              </td>
              <td>
                {t.staffCount} ({t.adminCount})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
