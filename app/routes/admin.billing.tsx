import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useMoney } from '~/components/billing';
import { FormAlert, StatusAlert, SuccessAlert } from '~/components/form-field';
import { TownLifecycleSummary, useCalendarDay } from '~/components/town-lifecycle';
import { TownTime } from '~/components/town-time';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { loadTownBilling, openBillingPortal, startSubscriptionCheckout } from '~/modules/billing/town-billing.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTownRole } from '~/utils/permissions.server';
import { siteOrigin } from '~/utils/town.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminBilling.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const checkout = searchParamsOf(args.request).get('checkout');
  return json({
    town: { name: admin.town.name, timezone: admin.town.timezone, contact: admin.town.contact },
    billing: await loadTownBilling(admin),
    checkout: checkout === 'success' || checkout === 'cancelled' ? checkout : null,
  });
}

/** Stripe's subscription statuses, each worded in the catalogue. */
const CARD_STATUSES = new Set(['active', 'trialing', 'past_due', 'unpaid', 'canceled', 'incomplete', 'incomplete_expired', 'paused']);

const billingAction = z.object({ intent: z.enum(['subscribe', 'manage']) });

export async function action(args: ActionFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const t = await requestT(args.request);
  const parsed = billingAction.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) return json({ formError: t('errors:unknownActionOnPage') }, { status: 400 });
  // Stripe sends the admin back here, on the town's own host from the configuration.
  const returnUrl = `${siteOrigin(admin.town.slug)}/admin/billing`;
  const result = parsed.data.intent === 'subscribe' ? await startSubscriptionCheckout(admin, returnUrl) : await openBillingPortal(admin, returnUrl);
  if (!result.ok) return json({ formError: t(`errors:billing.${result.code}`) }, { status: result.code === 'stripe_unavailable' ? 502 : 409 });
  return redirect(result.url, 303);
}

export default function AdminBilling() {
  const { t } = useTranslation();
  const { town, billing, checkout } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const money = useMoney();
  const day = useCalendarDay();
  const { lifecycle, card } = billing;
  const pending = checkout === 'success' && lifecycle.state !== 'subscribed';
  return (
    <>
      <h1>{t('adminBilling.heading', { name: town.name })}</h1>
      <FormAlert message={actionData?.formError} />
      <SuccessAlert message={checkout === 'success' && !pending ? t('adminBilling.checkoutDone') : null} />
      <StatusAlert tone="info" message={pending ? t('adminBilling.checkoutPending') : checkout === 'cancelled' ? t('adminBilling.checkoutCancelled') : null} />
      <StatusAlert tone="warning" message={billing.stripeUnreachable ? t('adminBilling.stripeUnreachable') : null} />

      <h2>{t('adminBilling.status')}</h2>
      <p>
        <TownLifecycleSummary lifecycle={lifecycle} />
      </p>
      <p>{t('adminBilling.price', { price: money(billing.yearlyPriceCents, billing.currency) })}</p>

      {billing.online ? (
        <div className="display-flex flex-wrap">
          {billing.canSubscribe ? (
            <Form method="post" className="margin-right-2">
              <input type="hidden" name="intent" value="subscribe" />
              <button type="submit" className="usa-button" disabled={busy}>
                {t('adminBilling.subscribe')}
              </button>
            </Form>
          ) : null}
          {billing.canManage ? (
            <Form method="post">
              <input type="hidden" name="intent" value="manage" />
              <button type="submit" className="usa-button usa-button--outline" disabled={busy}>
                {t('adminBilling.manage')}
              </button>
            </Form>
          ) : null}
        </div>
      ) : (
        <p>{t('adminBilling.notConfigured')}</p>
      )}
      {billing.canSubscribe && lifecycle.state === 'in_grant' ? <p className="usa-hint">{t('adminBilling.trialHint', { until: day(lifecycle.until!) })}</p> : null}
      <p className="usa-hint">{t('adminBilling.purchaseOrderHint')}</p>

      <h2>{t('adminBilling.card')}</h2>
      {card ? (
        <p>
          {CARD_STATUSES.has(card.status) ? t(`adminBilling.cardStatus.${card.status}`) : t('adminBilling.cardStatus.other', { status: card.status })}{' '}
          {card.endedAt ? (
            <>
              {t('adminBilling.cardEnded')} <TownTime value={card.endedAt} timeZone={town.timezone} />
            </>
          ) : (
            <>
              {t(card.cancelAtPeriodEnd ? 'adminBilling.cardEnds' : 'adminBilling.cardRenews')} <TownTime value={card.periodEnd} timeZone={town.timezone} />
            </>
          )}
        </p>
      ) : (
        <p>{t('adminBilling.noCard')}</p>
      )}

      <h2>{t('adminBilling.purchaseOrders')}</h2>
      {billing.purchaseOrders.length === 0 ? (
        <p>{t('adminBilling.noPurchaseOrders')}</p>
      ) : (
        <table className="usa-table usa-table--borderless">
          <caption className="usa-sr-only">{t('adminBilling.purchaseOrders')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminBilling.poNumber')}</th>
              <th scope="col">{t('adminBilling.poPeriod')}</th>
              <th scope="col">{t('adminBilling.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {billing.purchaseOrders.map((po) => (
              <tr key={`${po.number}-${po.periodStart}`}>
                <th scope="row">
                  {po.number} {po.voided ? t('adminBilling.voided') : ''}
                </th>
                <td>
                  <TownTime value={po.periodStart} timeZone={town.timezone} /> – <TownTime value={po.periodEnd} timeZone={town.timezone} />
                </td>
                <td>{po.amountCents === null ? '' : money(po.amountCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('adminBilling.invoices')}</h2>
      {billing.invoices.length === 0 ? (
        <p>{t('adminBilling.noInvoices')}</p>
      ) : (
        <table className="usa-table usa-table--borderless">
          <caption className="usa-sr-only">{t('adminBilling.invoices')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminBilling.invoice')}</th>
              <th scope="col">{t('adminBilling.invoiceStatus')}</th>
              <th scope="col">{t('adminBilling.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {billing.invoices.map((invoice) => (
              <tr key={invoice.id}>
                <th scope="row">{invoice.hostedInvoiceUrl ? <a href={invoice.hostedInvoiceUrl}>{invoice.id}</a> : invoice.id}</th>
                <td>
                  {invoice.status === 'paid' && invoice.paidAt ? (
                    <>
                      {t('adminBilling.paidOn')} <TownTime value={invoice.paidAt} timeZone={town.timezone} />
                    </>
                  ) : invoice.lastPaymentFailedAt ? (
                    <>
                      {t('adminBilling.paymentFailed')} <TownTime value={invoice.lastPaymentFailedAt} timeZone={town.timezone} />
                    </>
                  ) : (
                    t('adminBilling.invoiceOpen')
                  )}
                </td>
                <td>{money(invoice.status === 'paid' ? invoice.amountPaidCents : invoice.amountDueCents, invoice.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
