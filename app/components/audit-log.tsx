import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { auditQuery, type AuditFilters } from '~/modules/audit/audit-filters';
import { describeChange } from '~/modules/audit/audit-diff';
import type { FieldErrors } from '~/utils/field-errors';
import { TextField } from './form-field';
import { TownTime } from './town-time';

type Entry = { id: string; action: string; entityType: string; entityId: string; before?: unknown; after?: unknown; createdAt: string; actorEmail: string | null; townName?: string };

/**
 * The audit log's filters (a GET form: works without JavaScript, and the URL can be shared) and
 * one page of entries with their before and after as field: old → new. The town admin's page and
 * the state console's show the same; the state's adds each entry's town.
 */
export function AuditLog({
  entries,
  filters,
  errors,
  actions,
  page,
  hasOlder,
  timeZone,
  caption,
  showTown = false,
}: {
  entries: Entry[];
  filters: AuditFilters;
  errors: FieldErrors;
  actions: string[];
  page: number;
  hasOlder: boolean;
  timeZone: string;
  caption: string;
  showTown?: boolean;
}) {
  const { t } = useTranslation();
  const filtered = Object.values(filters).some((value) => value !== null);
  return (
    <>
      <Form method="get" className="usa-form maxw-none margin-bottom-3" aria-labelledby="audit-filter-heading">
        <h2 id="audit-filter-heading" className="font-heading-md">
          {t('auditLog.filter')}
        </h2>
        <div className="grid-row grid-gap">
          <div className="tablet:grid-col-4">
            <TextField label={t('auditLog.who')} name="who" defaultValue={filters.who ?? ''} error={errors.who} hint={t('auditLog.whoHint')} autoComplete="off" />
          </div>
          <div className="tablet:grid-col-4">
            <div className={`usa-form-group${errors.action ? ' usa-form-group--error' : ''}`}>
              <label className="usa-label" htmlFor="field-action">
                {t('auditLog.action')}
              </label>
              <select className="usa-select" id="field-action" name="action" defaultValue={filters.action ?? ''}>
                <option value="">{t('auditLog.anyAction')}</option>
                {actions.map((action) => (
                  <option key={action} value={action}>
                    {action}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="tablet:grid-col-4">
            <TextField label={t('auditLog.request')} name="request" defaultValue={filters.request ?? ''} error={errors.request} hint={t('auditLog.requestHint')} autoComplete="off" />
          </div>
          <div className="tablet:grid-col-4">
            <TextField label={t('auditLog.from')} name="from" type="date" defaultValue={filters.from ?? ''} error={errors.from} />
          </div>
          <div className="tablet:grid-col-4">
            <TextField label={t('auditLog.to')} name="to" type="date" defaultValue={filters.to ?? ''} error={errors.to} />
          </div>
        </div>
        <button type="submit" className="usa-button margin-top-2">
          {t('auditLog.apply')}
        </button>
        {filtered ? (
          <Link to="?" className="usa-button usa-button--unstyled margin-left-2">
            {t('auditLog.clear')}
          </Link>
        ) : null}
      </Form>

      {entries.length === 0 ? (
        <p>{page > 1 ? t('auditLog.noOlderEntries') : filtered ? t('auditLog.nothingMatches') : t('auditLog.nothingYet')}</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('auditLog.when')}</th>
              {showTown ? <th scope="col">{t('auditLog.town')}</th> : null}
              <th scope="col">{t('auditLog.who')}</th>
              <th scope="col">{t('auditLog.what')}</th>
              <th scope="col">{t('auditLog.change')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td data-label={t('auditLog.when')}>
                  <TownTime value={entry.createdAt} timeZone={timeZone} />
                </td>
                {showTown ? <td data-label={t('auditLog.town')}>{entry.townName}</td> : null}
                <td data-label={t('auditLog.who')}>{entry.actorEmail ?? t('auditLog.system')}</td>
                <th scope="row" data-label={t('auditLog.what')}>
                  <code>{entry.action}</code>
                  <div className="text-base">
                    {entry.entityType === 'request' ? (
                      <Link to={`?${new URLSearchParams({ request: entry.entityId })}`}>{entry.entityId}</Link>
                    ) : (
                      `${entry.entityType} ${entry.entityId}`
                    )}
                  </div>
                </th>
                <td data-label={t('auditLog.change')}>
                  <ChangeList before={entry.before} after={entry.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label={t('auditLog.pages')} className="display-flex flex-justify">
        {page > 1 ? <Link to={auditQuery(filters, page - 1)}>{t('auditLog.newerEntries')}</Link> : <span />}
        {hasOlder ? <Link to={auditQuery(filters, page + 1)}>{t('auditLog.olderEntries')}</Link> : null}
      </nav>
    </>
  );
}

/** Before and after, field by field: "status: submitted → fixed"; a field set from nothing shows only its value. */
function ChangeList({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const changes = describeChange(before, after);
  if (changes.length === 0) return <span className="text-base">{t('auditLog.noDetails')}</span>;
  return (
    <ul className="usa-list usa-list--unstyled">
      {changes.map((change) => (
        <li key={change.field || 'value'}>
          {change.field ? <span className="text-bold">{change.field}: </span> : null}
          {change.before !== null ? <del className="cc-audit-before">{change.before}</del> : null}
          {change.before !== null && change.after !== null ? ' → ' : null}
          {change.after !== null ? <ins className="cc-audit-after">{change.after}</ins> : <span className="text-base"> {t('auditLog.removed')}</span>}
        </li>
      ))}
    </ul>
  );
}
