import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { useMoney } from '~/components/billing';
import { describedBy, FieldGroup, FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { TownLifecycleSummary } from '~/components/town-lifecycle';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { loadTownBillingForState } from '~/modules/billing/program-billing.server';
import { PURCHASE_ORDER_NUMBER_MAX, purchaseOrderActionForm } from '~/modules/billing/purchase-order-form';
import { recordPurchaseOrder, voidPurchaseOrder } from '~/modules/billing/purchase-orders.server';
import { searchParamsOf } from '~/utils/control-characters';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { requireStateStaffForTown } from '~/utils/state-town.server';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: metaT(matches)('stateTownBilling.pageTitle', { name: data?.town.name ?? '' }) }];

const DONE = ['recorded', 'voided'] as const;

export async function loader(args: LoaderFunctionArgs) {
  const { stateStaff, town } = await requireStateStaffForTown(args);
  const done = searchParamsOf(args.request).get('done');
  return json({
    town: { name: town.name, slug: town.slug, timezone: town.timezone },
    billing: await loadTownBillingForState(stateStaff, town),
    done: DONE.find((d) => d === done) ?? null,
  });
}

type ActionData = { errors?: FieldErrors; formError?: string; values?: Record<string, string> };

export async function action(args: ActionFunctionArgs) {
  const { stateStaff, town } = await requireStateStaffForTown(args);
  const t = await requestT(args.request);
  const values = Object.fromEntries(await args.request.formData()) as Record<string, string>;
  const parsed = purchaseOrderActionForm.safeParse(values);
  if (!parsed.success) return json<ActionData>({ errors: wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)), values }, { status: 422 });
  const form = parsed.data;
  const page = `/state/towns/${town.slug}/billing`;
  if (form.intent === 'record_purchase_order') {
    await recordPurchaseOrder(stateStaff, town, { periodStart: form.periodStart, periodEnd: form.periodEnd, number: form.number, amountCents: form.amount });
    return redirect(`${page}?done=recorded`);
  }
  const result = await voidPurchaseOrder(stateStaff, town, form.order, form.reason);
  if (!result.ok) return json<ActionData>({ formError: t(`errors:purchaseOrder.${result.code}`, { name: town.name }), values }, { status: 409 });
  return redirect(`${page}?done=voided`);
}

export default function TownBillingPage() {
  const { t } = useTranslation();
  const { town, billing, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const money = useMoney();
  const range = (from: string, to: string) => t('stateTownBilling.periodRange', { from, to });
  // Stripe's own words for a status the catalogue does not know yet.
  const cardStatus = (status: string) => t(`stateTownBilling.cardStatus.${status}`, { defaultValue: status });
  const invoiceStatus = (status: string) => t(`stateTownBilling.invoiceStatus.${status}`, { defaultValue: status });
  // Each form shows its own errors and keeps its own typed values.
  const sent = actionData?.values ?? {};
  const recordErrors = sent.intent === 'record_purchase_order' ? (actionData?.errors ?? {}) : {};
  const recordValue = (name: string) => (sent.intent === 'record_purchase_order' ? (sent[name] ?? '') : '');
  const voidErrorsFor = (order: string) => (sent.intent === 'void_purchase_order' && sent.order === order ? (actionData?.errors ?? {}) : {});
  // An error about no field of a form on the page (an unknown action or order) is said on top.
  const pageError = actionData?.formError ?? actionData?.errors?.intent ?? (sent.intent === 'void_purchase_order' ? actionData?.errors?.order : undefined);
  return (
    <>
      <ul className="usa-list usa-list--unstyled cc-inline-list cc-no-print">
        <li>
          <Link to="/state/billing">{t('stateTownBilling.backToBilling')}</Link>
        </li>
        <li>
          <Link to={`/state/towns/${town.slug}`}>{t('stateTownBilling.townPage', { name: town.name })}</Link>
        </li>
      </ul>
      <h1>{t('stateTownBilling.heading', { name: town.name })}</h1>
      <SuccessAlert message={done ? t(`stateTownBilling.${done}`) : null} />
      <FormAlert message={pageError} />
      <dl className="usa-summary-box">
        <div className="usa-summary-box__body">
          <dt className="text-bold">{t('stateTownBilling.lifecycle')}</dt>
          <dd className="margin-left-0 margin-bottom-1">
            <TownLifecycleSummary lifecycle={billing.lifecycle} />
          </dd>
          <dt className="text-bold">{t('stateTownBilling.paysBy')}</dt>
          <dd className="margin-left-0 margin-bottom-1">{billing.paysBy ? t(`stateBilling.paymentMethod.${billing.paysBy}`) : t('stateTownBilling.nothingPays')}</dd>
          <dt className="text-bold">{t('stateTownBilling.revenue')}</dt>
          <dd className="margin-left-0">{money(billing.revenueCents)}</dd>
        </div>
      </dl>

      <section aria-labelledby="card-heading">
        <h2 id="card-heading">{t('stateTownBilling.cardHeading')}</h2>
        {billing.cardSubscriptions.length === 0 ? (
          <p>{t('stateTownBilling.noCard', { name: town.name })}</p>
        ) : (
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption>{t('stateTownBilling.cardCaption', { name: town.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stateTownBilling.period')}</th>
                <th scope="col">{t('stateTownBilling.status')}</th>
                <th scope="col">{t('stateTownBilling.cancellation')}</th>
              </tr>
            </thead>
            <tbody>
              {billing.cardSubscriptions.map((s) => (
                <tr key={`${s.periodStart}-${s.status}`}>
                  <th scope="row">{range(s.periodStart, s.periodEnd)}</th>
                  <td>{s.endedOn ? t('stateTownBilling.statusEnded', { status: cardStatus(s.status), day: s.endedOn }) : cardStatus(s.status)}</td>
                  <td>{s.cancelAtPeriodEnd ? t('stateTownBilling.cancelsAtPeriodEnd') : t('stateTownBilling.noCancellation')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>{t('stateTownBilling.invoicesHeading')}</h3>
        {billing.invoices.length === 0 ? (
          <p>{t('stateTownBilling.noInvoices')}</p>
        ) : (
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption>{t('stateTownBilling.invoicesCaption', { name: town.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stateTownBilling.invoice')}</th>
                <th scope="col">{t('stateTownBilling.issued')}</th>
                <th scope="col">{t('stateTownBilling.status')}</th>
                <th scope="col">{t('stateTownBilling.amountDue')}</th>
                <th scope="col">{t('stateTownBilling.amountPaid')}</th>
              </tr>
            </thead>
            <tbody>
              {billing.invoices.map((i) => (
                <tr key={i.id}>
                  <th scope="row">{i.id}</th>
                  <td>{i.issuedOn}</td>
                  <td>
                    {i.paidOn ? t('stateTownBilling.statusOn', { status: invoiceStatus(i.status), day: i.paidOn }) : invoiceStatus(i.status)}
                    {i.overdue ? <strong className="display-block">{t('stateTownBilling.overdue')}</strong> : null}
                  </td>
                  <td>{money(i.amountDueCents, i.currency)}</td>
                  <td>{money(i.amountPaidCents, i.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="orders-heading">
        <h2 id="orders-heading">{t('stateTownBilling.ordersHeading')}</h2>
        {billing.purchaseOrders.length === 0 ? (
          <p>{t('stateTownBilling.noOrders', { name: town.name })}</p>
        ) : (
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption>{t('stateTownBilling.ordersCaption', { name: town.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stateTownBilling.number')}</th>
                <th scope="col">{t('stateTownBilling.period')}</th>
                <th scope="col">{t('stateTownBilling.amount')}</th>
                <th scope="col">{t('stateTownBilling.recordedOn')}</th>
                <th scope="col">{t('stateTownBilling.voidColumn')}</th>
              </tr>
            </thead>
            <tbody>
              {billing.purchaseOrders.map((o) => {
                const errors = voidErrorsFor(o.id);
                const id = `void-reason-${o.id}`;
                return (
                  <tr key={o.id}>
                    <th scope="row">{o.number}</th>
                    <td>{range(o.periodStart, o.periodEnd)}</td>
                    <td>{money(o.amountCents)}</td>
                    <td>{o.recordedOn}</td>
                    <td>
                      {o.voidedOn ? (
                        t('stateTownBilling.voidedOn', { day: o.voidedOn })
                      ) : (
                        <Form method="post" className="usa-form">
                          <input type="hidden" name="intent" value="void_purchase_order" />
                          <input type="hidden" name="order" value={o.id} />
                          {/* One reason field per order: its own id, so each label names its own field. */}
                          <FieldGroup id={id} label={t('stateTownBilling.voidReason', { number: o.number })} hint={t('stateTownBilling.voidHint')} error={errors.reason}>
                            <input
                              className={`usa-input${errors.reason ? ' usa-input--error' : ''}`}
                              id={id}
                              name="reason"
                              required
                              maxLength={500}
                              defaultValue={sent.order === o.id ? (sent.reason ?? '') : ''}
                              aria-describedby={describedBy(id, true, errors.reason)}
                              aria-invalid={errors.reason ? true : undefined}
                            />
                          </FieldGroup>
                          <button type="submit" className="usa-button usa-button--secondary" disabled={busy}>
                            {t('stateTownBilling.voidOrder', { number: o.number })}
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="record-heading">
        <h2 id="record-heading">{t('stateTownBilling.recordHeading')}</h2>
        <p>{t('stateTownBilling.recordIntro', { name: town.name, timezone: town.timezone })}</p>
        <FormAlert message={Object.keys(recordErrors).length > 0 ? t('stateTownBilling.correctTheFields') : null} />
        {/* Keyed by the orders, so a recorded one leaves an empty form. */}
        <Form method="post" className="usa-form" key={billing.purchaseOrders.length}>
          <input type="hidden" name="intent" value="record_purchase_order" />
          <TextField label={t('stateTownBilling.periodStart')} hint={t('stateTownBilling.periodStartHint')} name="periodStart" type="date" defaultValue={recordValue('periodStart')} error={recordErrors.periodStart} required />
          <TextField label={t('stateTownBilling.periodEnd')} hint={t('stateTownBilling.periodEndHint')} name="periodEnd" type="date" defaultValue={recordValue('periodEnd')} error={recordErrors.periodEnd} required />
          <TextField
            label={t('stateTownBilling.orderNumber')}
            hint={t('stateTownBilling.orderNumberHint', { max: PURCHASE_ORDER_NUMBER_MAX })}
            name="number"
            maxLength={PURCHASE_ORDER_NUMBER_MAX}
            defaultValue={recordValue('number')}
            error={recordErrors.number}
            required
          />
          <TextField
            label={t('stateTownBilling.amountInDollars')}
            hint={t('stateTownBilling.amountHint')}
            name="amount"
            inputMode="decimal"
            defaultValue={recordValue('amount')}
            error={recordErrors.amount}
            required
          />
          <button type="submit" className="usa-button" disabled={busy}>
            {t('stateTownBilling.record')}
          </button>
        </Form>
      </section>
    </>
  );
}
