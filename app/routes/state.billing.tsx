import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { useMoney } from '~/components/billing';
import { SelectField } from '~/components/form-field';
import { metaT } from '~/i18n/translate';
import { loadProgramBilling, parseBillingQuery, rowsInLifecycle } from '~/modules/billing/program-billing.server';
import { TOWN_LIFECYCLE_STATES } from '~/modules/towns/lifecycle';
import { searchParamsOf } from '~/utils/control-characters';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite } from '~/utils/town.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('stateBilling.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const query = parseBillingQuery(searchParamsOf(args.request));
  const { today, rows, totals } = await loadProgramBilling(stateStaff);
  return json({ query, today, totals, townCount: rows.length, rows: rowsInLifecycle(rows, query.lifecycle) });
}

export default function ProgramBillingPage() {
  const { t } = useTranslation();
  const { query, today, totals, townCount, rows } = useLoaderData<typeof loader>();
  const money = useMoney();
  const csv = `/state/billing.csv${query.lifecycle ? `?lifecycle=${query.lifecycle}` : ''}`;
  const totalFigures: [string, string][] = [
    [t('stateBilling.revenue'), money(totals.revenueCents)],
    [t('stateBilling.subscribedByCard'), t('stateBilling.townCount', { count: totals.subscribedByCard })],
    [t('stateBilling.subscribedByPurchaseOrder'), t('stateBilling.townCount', { count: totals.subscribedByPurchaseOrder })],
    [t('stateBilling.grace'), t('stateBilling.townCount', { count: totals.grace })],
    [t('stateBilling.lapsed'), t('stateBilling.townCount', { count: totals.lapsed })],
    [t('stateBilling.overdue'), t('stateBilling.overdueTotal', { count: totals.overdueInvoices, amount: money(totals.overdueCents) })],
  ];
  return (
    <>
      <p className="cc-no-print">
        <Link to="/state">{t('stateBilling.backToConsole')}</Link>
      </p>
      <h1>{t('stateBilling.heading')}</h1>
      <p>{t('stateBilling.asOf', { today })}</p>

      <section aria-labelledby="totals-heading">
        <h2 id="totals-heading">{t('stateBilling.totals')}</h2>
        <div className="usa-summary-box">
          <dl className="usa-summary-box__body">
            {totalFigures.map(([label, value]) => (
              <div key={label}>
                <dt className="text-bold">{label}</dt>
                <dd className="margin-left-0 margin-bottom-1">{value}</dd>
              </div>
            ))}
          </dl>
        </div>
      </section>

      <Form method="get" className="cc-filters cc-no-print" aria-labelledby="billing-filters">
        <h2 id="billing-filters" className="usa-sr-only">
          {t('stateBilling.filters')}
        </h2>
        <SelectField
          label={t('stateBilling.lifecycle')}
          name="lifecycle"
          defaultValue={query.lifecycle ?? ''}
          options={[{ value: '', label: t('stateBilling.anyLifecycle') }, ...TOWN_LIFECYCLE_STATES.map((l) => ({ value: l, label: t(`townLifecycle.${l}`) }))]}
        />
        <div>
          <button type="submit" className="usa-button">
            {t('stateBilling.show')}
          </button>
        </div>
        <div>
          <a className="usa-button usa-button--outline" href={csv} download>
            {t('stateBilling.downloadCsv')}
          </a>
        </div>
      </Form>

      <p>{t('stateBilling.showing', { shown: rows.length, total: townCount })}</p>
      {rows.length === 0 ? (
        <p>{t('stateBilling.noTown')}</p>
      ) : (
        // Focusable so a keyboard can scroll it sideways; named so that stop is announced.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-label={t('stateBilling.scrollTable')}>
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption>{t('stateBilling.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stateBilling.town')}</th>
                <th scope="col">{t('stateBilling.county')}</th>
                <th scope="col">{t('stateBilling.lifecycle')}</th>
                <th scope="col">{t('stateBilling.paysBy')}</th>
                <th scope="col">{t('stateBilling.paidUntil')}</th>
                <th scope="col">{t('stateBilling.overdueInvoices')}</th>
                <th scope="col">{t('stateBilling.revenue')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.slug}>
                  <th scope="row">
                    <Link to={`/state/towns/${row.slug}/billing`}>{row.name}</Link>
                  </th>
                  <td>{row.county}</td>
                  <td>{t(`townLifecycle.${row.lifecycle.state}`)}</td>
                  <td>{row.paysBy ? t(`stateBilling.paymentMethod.${row.paysBy}`) : t('stateBilling.nothingPays')}</td>
                  <td>{row.paidUntil ? t(row.lifecycle.renews ? 'stateBilling.renewsOn' : 'stateBilling.paidUntilDay', { day: row.paidUntil }) : t('stateBilling.none')}</td>
                  <td>{row.overdueInvoices === 0 ? t('stateBilling.none') : t('stateBilling.overdueCell', { count: row.overdueInvoices, amount: money(row.overdueCents) })}</td>
                  <td>{money(row.revenueCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
