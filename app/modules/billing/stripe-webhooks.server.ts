import { stripeEvents } from '#db/schema';
import { enterTown, withBilling } from '#db/scope';
import { recordAudit } from '~/modules/audit/audit.server';
import { stripeClient, type Stripe } from '~/utils/stripe.server';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import { applyStripeInvoice, applyStripeSubscription, rememberStripeCustomer, stripeNow, townIdForStripe, type AppliedRecord } from './stripe-records.server';

export type StripeEventOutcome = 'applied' | 'unchanged' | 'stale' | 'duplicate' | 'unknown_town' | 'ignored';

class AlreadyApplied extends Error {}

type Plan =
  | { kind: 'subscription'; subscription: Stripe.Subscription; stateAt: Date; metadata: Stripe.Metadata | null; customer: string | { id: string } | null }
  | { kind: 'invoice'; invoice: Stripe.Invoice; failed: boolean }
  | { kind: 'ignored' };

/**
 * What an event asks for. A completed checkout's subscription is read back from Stripe: the
 * session carries only its id, and a fresh read is newer than any event still on its way.
 */
async function planFor(event: Stripe.Event): Promise<Plan> {
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      const subscriptionId = typeof session.subscription === 'string' ? session.subscription : session.subscription?.id;
      const client = stripeClient();
      if (session.mode !== 'subscription' || !subscriptionId || !client) return { kind: 'ignored' };
      const subscription = await client.subscriptions.retrieve(subscriptionId);
      const metadata = { ...subscription.metadata, ...(session.client_reference_id ? { town_id: session.client_reference_id } : {}) };
      return { kind: 'subscription', subscription, stateAt: stripeNow(), metadata, customer: session.customer };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const subscription = event.data.object;
      return { kind: 'subscription', subscription, stateAt: new Date(event.created * 1000), metadata: subscription.metadata, customer: subscription.customer };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed':
      return { kind: 'invoice', invoice: event.data.object, failed: event.type === 'invoice.payment_failed' };
    default:
      return { kind: 'ignored' };
  }
}

/**
 * Applies a verified Stripe event exactly once: its id is stored in the same transaction as the
 * change, so a replay (or the same event delivered to two processes at once) finds it and rolls
 * back. Audit entries are written last, as the town (`enterTown`).
 */
export async function applyStripeEvent(event: Stripe.Event): Promise<StripeEventOutcome> {
  const plan = await planFor(event);
  try {
    const outcome = await withBilling(async (tx) => {
      let applied: AppliedRecord | null = null;
      let outcome: StripeEventOutcome = 'ignored';
      if (plan.kind === 'subscription') {
        const townId = await townIdForStripe(tx, plan.metadata, plan.customer);
        if (townId === null) outcome = 'unknown_town';
        else {
          await rememberStripeCustomer(tx, townId, plan.customer);
          applied = await applyStripeSubscription(tx, townId, plan.subscription, plan.stateAt);
          outcome = applied.outcome;
        }
      } else if (plan.kind === 'invoice') {
        const townId = await townIdForStripe(tx, plan.invoice.parent?.subscription_details?.metadata, plan.invoice.customer);
        if (townId === null) outcome = 'unknown_town';
        else {
          applied = await applyStripeInvoice(tx, townId, plan.invoice, new Date(event.created * 1000), plan.failed);
          outcome = applied.outcome;
        }
      }
      const recorded = await tx.insert(stripeEvents).values({ id: event.id, type: event.type, outcome }).onConflictDoNothing().returning({ id: stripeEvents.id });
      if (recorded.length === 0) throw new AlreadyApplied();
      if (applied?.audit) {
        const { townId, ...entry } = applied.audit;
        await enterTown(tx, townId);
        await recordAudit(tx, townId, { ...entry, after: { ...(entry.after as object), stripeEvent: event.id } });
      }
      return outcome;
    });
    if (outcome === 'applied') invalidateTownCaches();
    return outcome;
  } catch (error) {
    if (error instanceof AlreadyApplied) return 'duplicate';
    throw error;
  }
}
