import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { AuditLog } from '~/components/audit-log';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { parseAuditQuery } from '~/modules/audit/audit-filters';
import { listTownAuditLog } from '~/modules/audit/audit.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTownRole } from '~/utils/permissions.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminAudit.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const { filters, errors, page } = parseAuditQuery(searchParamsOf(args.request));
  const { entries, hasOlder, actions } = await listTownAuditLog(admin, filters, page);
  return json({
    townName: admin.town.name,
    timezone: admin.town.timezone,
    page,
    filters,
    errors: wordFieldErrors(await requestT(args.request), errors),
    actions,
    entries,
    hasOlder,
  });
}

export default function AdminAudit() {
  const { t } = useTranslation();
  const { townName, timezone, ...log } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('adminAudit.auditLog')}</h1>
      <p>{t('adminAudit.everyChangeStaffAndAdministrators', { townName })}</p>
      <AuditLog {...log} timeZone={timezone} caption={t('adminAudit.tableCaption', { townName, page: log.page })} />
    </>
  );
}
