import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { TownTime } from '~/components/town-time';
import { listStatewideAuditLog } from '~/modules/audit/audit.server';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('stateAudit.pageTitle') }];

const PAGE_SIZE = 50;

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const page = z.coerce.number().int().min(1).max(10_000).catch(1).parse(new URL(request.url).searchParams.get('page') ?? 1);
  const entries = await listStatewideAuditLog(stateStaff, { page, pageSize: PAGE_SIZE });
  return json({ page, entries, hasMore: entries.length === PAGE_SIZE });
}

export default function StatewideAuditLog() {
  const { t } = useTranslation();
  const { page, entries, hasMore } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('stateAudit.auditLogEveryTown')}</h1>
      <p>{t('stateAudit.everyActionOfTownStaff')}</p>
      <table className="usa-table usa-table--borderless usa-table--stacked">
        <caption className="usa-sr-only">{t('stateAudit.auditLogEntries')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('stateAudit.when')}</th>
            <th scope="col">{t('stateAudit.town')}</th>
            <th scope="col">{t('stateAudit.who')}</th>
            <th scope="col">{t('stateAudit.what')}</th>
            <th scope="col">{t('stateAudit.change')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <TownTime value={e.createdAt} timeZone="America/New_York" />
              </td>
              <td>{e.townName}</td>
              <td>{e.actorEmail ?? t('stateAudit.system')}</td>
              <td>
                {e.action} {e.entityType} {e.entityId}
              </td>
              <td>
                <code>{JSON.stringify(e.before ?? null)}</code> → <code>{JSON.stringify(e.after ?? null)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label={t('stateAudit.pages')}>
        {page > 1 ? <Link to={`?page=${page - 1}`}>{t('stateAudit.newerEntries')}</Link> : null} {hasMore ? <Link to={`?page=${page + 1}`}>{t('stateAudit.olderEntries')}</Link> : null}
      </nav>
    </>
  );
}
