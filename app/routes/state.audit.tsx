import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { AuditLog } from '~/components/audit-log';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { parseAuditQuery } from '~/modules/audit/audit-filters';
import { listStatewideAuditLog } from '~/modules/audit/audit.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite } from '~/utils/town.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('stateAudit.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const { filters, errors, page } = parseAuditQuery(searchParamsOf(args.request));
  const { entries, hasOlder, actions } = await listStatewideAuditLog(stateStaff, filters, page);
  return json({ page, filters, errors: wordFieldErrors(await requestT(args.request), errors), actions, entries, hasOlder });
}

export default function StatewideAuditLog() {
  const { t } = useTranslation();
  const log = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('stateAudit.auditLogEveryTown')}</h1>
      <p>{t('stateAudit.everyActionOfTownStaff')}</p>
      <AuditLog {...log} timeZone="America/New_York" caption={t('stateAudit.tableCaption', { page: log.page })} showTown />
    </>
  );
}
