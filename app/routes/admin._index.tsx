import { json, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getAdminOverview } from '~/modules/admin/overview.server';
import { GRANT_STATUS_LABEL, grantTermStatus } from '~/modules/towns/grant-term';
import { requireTownRole } from '~/utils/permissions.server';

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
  const { town, grant, overview } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{town.name} administration</h1>
      <h2>Grant term</h2>
      <p>The Commonwealth funds {town.name}&apos;s use of Commonwealth Connect for a three-year term. The state program sets these dates.</p>
      <dl className="usa-summary-box">
        <div className="usa-summary-box__body">
          <dt className="text-bold">Start</dt>
          <dd className="margin-left-0 margin-bottom-1">{town.grantStart}</dd>
          <dt className="text-bold">End</dt>
          <dd className="margin-left-0 margin-bottom-1">{town.grantEnd}</dd>
          <dt className="text-bold">Days left</dt>
          <dd className="margin-left-0 margin-bottom-1">{grant.daysLeft}</dd>
          <dt className="text-bold">Status</dt>
          <dd className="margin-left-0">
            <strong>{GRANT_STATUS_LABEL[grant.status]}</strong>
          </dd>
        </div>
      </dl>
      <h2>At a glance</h2>
      <ul className="usa-list">
        <li>
          <Link to="/admin/categories">
            {overview.categories.active} active categor{overview.categories.active === 1 ? 'y' : 'ies'}
          </Link>
          {overview.categories.inactive > 0 ? `, ${overview.categories.inactive} inactive` : ''}
        </li>
        <li>
          <Link to="/admin/departments">
            {overview.departments} department{overview.departments === 1 ? '' : 's'}
          </Link>
        </li>
        <li>
          <Link to="/admin/staff">
            {overview.members.admin} administrator{overview.members.admin === 1 ? '' : 's'} and {overview.members.staff} staff
          </Link>
          {overview.pendingInvitations > 0 ? `; ${overview.pendingInvitations} invitation${overview.pendingInvitations === 1 ? '' : 's'} waiting` : ''}
        </li>
      </ul>
    </>
  );
}
