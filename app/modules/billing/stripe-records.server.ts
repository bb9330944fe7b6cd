import { and, eq, isNull } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { towns, townInvoices, townSubscriptions } from '#db/schema';
import type { Tx } from '#db/scope';
import type { AuditEntry } from '~/modules/audit/audit.server';
import type { Stripe } from '~/utils/stripe.server';

/*
 * Stripe's subscriptions and invoices mirrored as facts (docs/decisions/0019). Every write keeps
 * the Stripe object's own time (`stripeStateAt`): a state older than the one stored is "stale" and
 * changes nothing, so events arriving out of order, or replayed, never undo a newer one.
 */

export type AppliedRecord = { outcome: 'applied' | 'unchanged' | 'stale'; audit: (AuditEntry & { townId: number }) | null };

const seconds = (s: number) => new Date(s * 1000);

/** Now, to Stripe's precision (whole seconds), so an event created in the same second as a read still applies. */
export function stripeNow(): Date {
  return seconds(Math.floor(Date.now() / 1000));
}

/** The town a Stripe object belongs to: our own metadata first, else the customer we created for the town. */
export async function townIdForStripe(tx: Tx, metadata: Stripe.Metadata | null | undefined, customer: string | { id: string } | null): Promise<number | null> {
  const fromMetadata = Number(metadata?.town_id);
  if (Number.isInteger(fromMetadata) && fromMetadata > 0) {
    const [town] = await tx.select({ id: towns.id }).from(towns).where(eq(towns.id, fromMetadata));
    if (town) return town.id;
  }
  const customerId = typeof customer === 'string' ? customer : customer?.id;
  if (!customerId) return null;
  const [town] = await tx.select({ id: towns.id }).from(towns).where(eq(towns.stripeCustomerId, customerId));
  return town?.id ?? null;
}

/** Keeps the town's Stripe customer (created once); a town that already has one keeps it. */
export async function rememberStripeCustomer(tx: Tx, townId: number, customer: string | { id: string } | null): Promise<void> {
  const customerId = typeof customer === 'string' ? customer : customer?.id;
  if (!customerId) return;
  await tx
    .update(towns)
    .set({ stripeCustomerId: customerId, updatedAt: new Date() })
    .where(and(eq(towns.id, townId), isNull(towns.stripeCustomerId)));
}

/**
 * When the service a subscription paid for stopped: Stripe's end for a cancelled one; for one left
 * unpaid after Stripe's retries (or paused), the moment we first learnt of it.
 */
function endedAtOf(subscription: Stripe.Subscription, stateAt: Date, previous: Date | null): Date | null {
  if (subscription.status === 'canceled') return seconds(subscription.ended_at ?? subscription.canceled_at ?? stateAt.getTime() / 1000);
  if (subscription.status === 'unpaid' || subscription.status === 'paused') return previous ?? stateAt;
  return null;
}

export async function applyStripeSubscription(tx: Tx, townId: number, subscription: Stripe.Subscription, stateAt: Date): Promise<AppliedRecord> {
  const [existing] = await tx.select().from(townSubscriptions).where(eq(townSubscriptions.stripeSubscriptionId, subscription.id));
  if (existing && existing.townId !== townId) return { outcome: 'stale', audit: null };
  if (existing?.stripeStateAt && existing.stripeStateAt > stateAt) return { outcome: 'stale', audit: null };
  const item = subscription.items.data[0];
  const facts = {
    status: subscription.status,
    periodStart: seconds(item?.current_period_start ?? subscription.start_date),
    periodEnd: seconds(item?.current_period_end ?? subscription.start_date),
    endedAt: endedAtOf(subscription, stateAt, existing?.endedAt ?? null),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    stripeStateAt: stateAt,
    updatedAt: new Date(),
  };
  if (existing) {
    await tx.update(townSubscriptions).set(facts).where(and(eq(townSubscriptions.townId, townId), eq(townSubscriptions.id, existing.id)));
  } else {
    await tx.insert(townSubscriptions).values({ townId, id: uuidv7(), source: 'stripe', stripeSubscriptionId: subscription.id, ...facts });
  }
  const summary = (s: { status: string; periodEnd: Date; endedAt: Date | null; cancelAtPeriodEnd: boolean }) => ({
    status: s.status,
    periodEnd: s.periodEnd.toISOString(),
    endedAt: s.endedAt?.toISOString() ?? null,
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
  });
  const after = summary(facts);
  const before = existing ? summary(existing) : null;
  if (before && JSON.stringify(before) === JSON.stringify(after)) return { outcome: 'unchanged', audit: null };
  return {
    outcome: 'applied',
    audit: { townId, actorUserId: null, action: existing ? 'billing.subscription_changed' : 'billing.subscription_started', entityType: 'subscription', entityId: subscription.id, before, after },
  };
}

export async function applyStripeInvoice(tx: Tx, townId: number, invoice: Stripe.Invoice, stateAt: Date, paymentFailed: boolean): Promise<AppliedRecord> {
  if (!invoice.id) return { outcome: 'unchanged', audit: null };
  const [existing] = await tx.select().from(townInvoices).where(eq(townInvoices.stripeInvoiceId, invoice.id));
  if (existing && existing.townId !== townId) return { outcome: 'stale', audit: null };
  if (existing && existing.stripeStateAt > stateAt) return { outcome: 'stale', audit: null };
  const subscription = invoice.parent?.subscription_details?.subscription;
  const paidAt = invoice.status_transitions?.paid_at;
  const facts = {
    stripeSubscriptionId: typeof subscription === 'string' ? subscription : (subscription?.id ?? null),
    status: invoice.status ?? 'open',
    amountDueCents: invoice.amount_due,
    amountPaidCents: invoice.amount_paid,
    currency: invoice.currency,
    paidAt: paidAt ? seconds(paidAt) : null,
    lastPaymentFailedAt: paymentFailed ? stateAt : (existing?.lastPaymentFailedAt ?? null),
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    stripeStateAt: stateAt,
  };
  await tx
    .insert(townInvoices)
    .values({ townId, stripeInvoiceId: invoice.id, ...facts })
    .onConflictDoUpdate({ target: [townInvoices.townId, townInvoices.stripeInvoiceId], set: facts });
  return {
    outcome: 'applied',
    audit: {
      townId,
      actorUserId: null,
      action: paymentFailed ? 'billing.invoice_payment_failed' : 'billing.invoice_paid',
      entityType: 'invoice',
      entityId: invoice.id,
      before: existing ? { status: existing.status, amountPaidCents: existing.amountPaidCents } : null,
      after: { status: facts.status, amountDueCents: facts.amountDueCents, amountPaidCents: facts.amountPaidCents, currency: facts.currency },
    },
  };
}
