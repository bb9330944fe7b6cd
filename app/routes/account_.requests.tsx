import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData, useSearchParams } from '@remix-run/react';
import { SuccessAlert } from '~/components/form-field';
import { StatusTag } from '~/components/status-tag';
import { TownTime } from '~/components/town-time';
import { listMyRequests } from '~/modules/requests/request-queries.server';
import { requireResident } from '~/utils/permissions.server';
import { resolveSite, siteOrigin } from '~/utils/town.server';

export const meta: MetaFunction = () => [{ title: 'My requests · Commonwealth Connect' }];

export async function loader(args: LoaderFunctionArgs) {
  await resolveSite(args);
  const resident = await requireResident(args);
  const requests = (await listMyRequests(resident)).map((r) => ({ ...r, href: `${siteOrigin(r.townSlug)}/requests/${r.trackingNumber}` }));
  return json({ requests });
}

export default function MyRequests() {
  const { requests } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>My requests</h1>
      <SuccessAlert message={params.has('withdrawn') ? 'Your report was withdrawn.' : null} />
      <p>Everything you reported or follow, in every participating city and town.</p>
      {requests.length === 0 ? <p>Nothing yet.</p> : null}
      <ul className="cc-request-list">
        {requests.map((r) => (
          <li key={r.trackingNumber}>
            <div>
              <a href={r.href}>{r.trackingNumber}</a> · {r.townName} · <StatusTag status={r.status} /> · {r.relation === 'reported' ? 'You reported' : 'You follow'}
              <br />
              <TownTime value={r.createdAt} timeZone="America/New_York" />: {r.description.slice(0, 160)}
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
