import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData, useSearchParams } from '@remix-run/react';
import { SuccessAlert } from '~/components/form-field';
import { StatusTag } from '~/components/status-tag';
import { TownTime } from '~/components/town-time';
import { listMyRequests } from '~/modules/requests/request-queries.server';
import { requireResident } from '~/utils/permissions.server';
import { resolveSite, siteOrigin } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('accountRequests.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  await resolveSite(args);
  const resident = await requireResident(args);
  const requests = (await listMyRequests(resident)).map((r) => ({ ...r, href: `${siteOrigin(r.townSlug)}/requests/${r.trackingNumber}` }));
  return json({ requests });
}

export default function MyRequests() {
  const { t } = useTranslation();
  const { requests } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>{t('accountRequests.myRequests')}</h1>
      <SuccessAlert message={params.has('withdrawn') ? t('accountRequests.yourReportWasWithdrawn') : null} />
      <p>{t('accountRequests.everythingYouReportedOrFollow')}</p>
      {requests.length === 0 ? <p>{t('accountRequests.nothingYet')}</p> : null}
      <ul className="cc-request-list">
        {requests.map((r) => (
          <li key={r.trackingNumber}>
            <div>
              <a href={r.href}>{r.trackingNumber}</a> · {r.townName} · <StatusTag status={r.status} /> · {r.relation === 'reported' ? t('accountRequests.youReported') : t('accountRequests.youFollow')}
              <br />
              <TownTime value={r.createdAt} timeZone="America/New_York" />: {r.description.slice(0, 160)}
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
