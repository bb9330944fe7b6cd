import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { TownTime } from '~/components/town-time';
import { listTownAuditLog } from '~/modules/audit/audit.server';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminAudit.pageTitle') }];

const PAGE_SIZE = 50;
// Far beyond any real log; keeps a hand-typed page number from becoming a huge OFFSET.
const PAGE_MAX = 10_000;

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  const requested = Number(new URL(request.url).searchParams.get('page') ?? '1');
  const page = Number.isInteger(requested) && requested >= 1 && requested <= PAGE_MAX ? requested : 1;
  const entries = await listTownAuditLog(admin, { page, pageSize: PAGE_SIZE });
  return json({ townName: town.name, timezone: town.timezone, page, entries, hasOlder: entries.length === PAGE_SIZE });
}

/** Before/after as short text: the log keeps summaries, and a cell is no place for a whole object. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = JSON.stringify(value, null, 1).replace(/\s*\n\s*/g, ' ');
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}

export default function AdminAudit() {
  const { t } = useTranslation();
  const { townName, timezone, page, entries, hasOlder } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('adminAudit.auditLog')}</h1>
      <p>{t('adminAudit.everyChangeStaffAndAdministrators', { townName })}</p>
      {entries.length === 0 ? (
        <p>{page === 1 ? t('adminAudit.nothingHasBeenRecordedYet') : t('adminAudit.noOlderEntries')}</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption>{t('adminAudit.tableCaption', { townName, page })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminAudit.when')}</th>
              <th scope="col">{t('adminAudit.who')}</th>
              <th scope="col">{t('adminAudit.what')}</th>
              <th scope="col">{t('adminAudit.before')}</th>
              <th scope="col">{t('adminAudit.after')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td data-label={t('adminAudit.when')}>
                  <TownTime value={e.createdAt} timeZone={timezone} />
                </td>
                <td data-label={t('adminAudit.who')}>{e.actorEmail ?? t('adminAudit.system')}</td>
                <th scope="row" data-label={t('adminAudit.what')}>
                  <code>{e.action}</code>
                  <div className="text-base">
                    {e.entityType} {e.entityId}
                  </div>
                </th>
                <td data-label={t('adminAudit.before')} className="font-mono-3xs">
                  {describe(e.before)}
                </td>
                <td data-label={t('adminAudit.after')} className="font-mono-3xs">
                  {describe(e.after)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label={t('adminAudit.auditLogPages')} className="display-flex flex-justify">
        {page > 1 ? <Link to={`?page=${page - 1}`}>{t('adminAudit.newerEntries')}</Link> : <span />}
        {hasOlder ? <Link to={`?page=${page + 1}`}>{t('adminAudit.olderEntries')}</Link> : null}
      </nav>
    </>
  );
}
