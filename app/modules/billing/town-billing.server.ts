import { desc, eq } from 'drizzle-orm';
import { towns, townInvoices, townSubscriptions } from '#db/schema';
import { enterTown, withBilling, withTown } from '#db/scope';
import { recordAudit } from '~/modules/audit/audit.server';
import type { TownLifecycle } from '~/modules/towns/lifecycle';
import { lifecycleOf } from '~/modules/towns/town-lifecycle.server';
import type { TownAdmin, TownStaff } from '~/utils/capabilities.server';
import { getEnv } from '~/utils/env.server';
import { stripeClient, type Stripe } from '~/utils/stripe.server';
import { findTownBySlug } from '~/utils/town-profile.server';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import { applyStripeSubscription, rememberStripeCustomer, stripeNow, type AppliedRecord } from './stripe-records.server';

/** Stripe statuses under which a card subscription exists and must be managed, not started again. */
const LIVE_CARD_STATUSES = new Set(['active', 'trialing', 'past_due', 'unpaid', 'incomplete', 'paused']);
/** Stripe will not start a subscription whose trial ends sooner than this. */
const MIN_TRIAL_MS = 2 * 86_400_000 + 3_600_000;

export type TownBilling = {
  /** Stripe is configured: card subscriptions are offered. Otherwise only purchase orders are. */
  online: boolean;
  /** Stripe could not be reached to re-read the subscription; what is shown is what was stored. */
  stripeUnreachable: boolean;
  lifecycle: TownLifecycle;
  yearlyPriceCents: number;
  currency: string;
  card: { status: string; periodStart: string; periodEnd: string; endedAt: string | null; cancelAtPeriodEnd: boolean } | null;
  purchaseOrders: { number: string | null; periodStart: string; periodEnd: string; amountCents: number | null; voided: boolean }[];
  invoices: { id: string; status: string; amountDueCents: number; amountPaidCents: number; currency: string; paidAt: string | null; lastPaymentFailedAt: string | null; hostedInvoiceUrl: string | null }[];
  /** What the admin may do now. */
  canSubscribe: boolean;
  canManage: boolean;
};

let cachedPrice: { id: string; cents: number; currency: string } | undefined;

/** The program's yearly price: the configured Stripe Price's amount, else PROGRAM_YEARLY_PRICE_CENTS in dollars. */
async function yearlyPrice(client: Stripe | null): Promise<{ cents: number; currency: string }> {
  const { STRIPE_PRICE_ID, PROGRAM_YEARLY_PRICE_CENTS } = getEnv();
  if (!client || !STRIPE_PRICE_ID) return { cents: PROGRAM_YEARLY_PRICE_CENTS, currency: 'usd' };
  if (cachedPrice?.id !== STRIPE_PRICE_ID) {
    const price = await client.prices.retrieve(STRIPE_PRICE_ID);
    cachedPrice = { id: STRIPE_PRICE_ID, cents: price.unit_amount ?? PROGRAM_YEARLY_PRICE_CENTS, currency: price.currency };
  }
  return { cents: cachedPrice.cents, currency: cachedPrice.currency };
}

async function stripeCustomerOf(townId: number): Promise<string | null> {
  const [town] = await withTown(townId, (tx) => tx.select({ customer: towns.stripeCustomerId }).from(towns).where(eq(towns.id, townId)));
  return town?.customer ?? null;
}

/** Applies Stripe records in one billing transaction; their audit entries go last, as the town. */
async function applyAll(townId: number, apply: (tx: Parameters<Parameters<typeof withBilling>[0]>[0]) => Promise<AppliedRecord[]>): Promise<void> {
  const changed = await withBilling(async (tx) => {
    const records = await apply(tx);
    const audits = records.flatMap((r) => (r.audit ? [r.audit] : []));
    if (audits.length > 0) {
      await enterTown(tx, townId);
      for (const { townId: _, ...entry } of audits) await recordAudit(tx, townId, { ...entry, after: { ...(entry.after as object), source: 'billing page re-read' } });
    }
    return audits.length > 0;
  });
  if (changed) invalidateTownCaches();
}

/**
 * Re-reads the town's subscriptions from Stripe and stores what changed, so a missed webhook heals
 * when an admin opens the billing page. It writes only what Stripe already says (idempotent).
 */
async function refreshFromStripe(client: Stripe, townId: number, customer: string, now: Date): Promise<void> {
  const { data } = await client.subscriptions.list({ customer, status: 'all', limit: 10 });
  await applyAll(townId, async (tx) => {
    const records: AppliedRecord[] = [];
    for (const subscription of data) records.push(await applyStripeSubscription(tx, townId, subscription, now));
    return records;
  });
}

export async function loadTownBilling(staff: TownStaff, now = new Date()): Promise<TownBilling> {
  const client = stripeClient();
  const townId = staff.town.id;
  const customer = await stripeCustomerOf(townId);
  let stripeUnreachable = false;
  if (client && customer) {
    await refreshFromStripe(client, townId, customer, stripeNow()).catch((error: unknown) => {
      console.error('billing: could not re-read the subscription from Stripe', error);
      stripeUnreachable = true;
    });
  }
  const price = await yearlyPrice(client).catch(() => ({ cents: getEnv().PROGRAM_YEARLY_PRICE_CENTS, currency: 'usd' }));
  const town = (await findTownBySlug(staff.town.slug)) ?? staff.town;
  const { subscriptions, invoices } = await withTown(townId, async (tx) => ({
    subscriptions: await tx.select().from(townSubscriptions).orderBy(desc(townSubscriptions.periodStart)),
    invoices: await tx.select().from(townInvoices).orderBy(desc(townInvoices.stripeStateAt)).limit(12),
  }));
  const cards = subscriptions.filter((s) => s.source === 'stripe');
  const card = cards.find((s) => LIVE_CARD_STATUSES.has(s.status)) ?? cards[0] ?? null;
  const lifecycle = lifecycleOf(town, now);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    online: client !== null,
    stripeUnreachable,
    lifecycle,
    yearlyPriceCents: price.cents,
    currency: price.currency,
    card: card
      ? { status: card.status, periodStart: card.periodStart.toISOString(), periodEnd: card.periodEnd.toISOString(), endedAt: iso(card.endedAt), cancelAtPeriodEnd: card.cancelAtPeriodEnd }
      : null,
    purchaseOrders: subscriptions
      .filter((s) => s.source === 'purchase_order')
      .map((s) => ({ number: s.purchaseOrderNumber, periodStart: s.periodStart.toISOString(), periodEnd: s.periodEnd.toISOString(), amountCents: s.amountCents, voided: s.endedAt !== null })),
    invoices: invoices.map((i) => ({
      id: i.stripeInvoiceId,
      status: i.status,
      amountDueCents: i.amountDueCents,
      amountPaidCents: i.amountPaidCents,
      currency: i.currency,
      paidAt: iso(i.paidAt),
      lastPaymentFailedAt: iso(i.lastPaymentFailedAt),
      hostedInvoiceUrl: i.hostedInvoiceUrl,
    })),
    canSubscribe: client !== null && !(card && LIVE_CARD_STATUSES.has(card.status)) && lifecycle.state !== 'onboarding' && lifecycle.state !== 'left',
    canManage: client !== null && customer !== null,
  };
}

export type BillingRedirect = { ok: true; url: string } | { ok: false; code: 'not_configured' | 'already_subscribed' | 'not_live' | 'no_customer' | 'stripe_unavailable' };

/** The town's Stripe customer, created once (the idempotency key makes a double click one customer). */
async function ensureStripeCustomer(client: Stripe, admin: TownAdmin): Promise<string> {
  const existing = await stripeCustomerOf(admin.town.id);
  if (existing) return existing;
  const customer = await client.customers.create(
    { name: admin.town.name, email: admin.user.email, metadata: { town_id: String(admin.town.id), town_slug: admin.town.slug } },
    { idempotencyKey: `town-${admin.town.id}-customer` },
  );
  await withBilling(async (tx) => {
    await rememberStripeCustomer(tx, admin.town.id, customer.id);
    await enterTown(tx, admin.town.id);
    await recordAudit(tx, admin.town.id, { actorUserId: admin.user.id, action: 'billing.customer_created', entityType: 'town', entityId: String(admin.town.id), after: { stripeCustomerId: customer.id } });
  });
  return (await stripeCustomerOf(admin.town.id)) ?? customer.id;
}

/**
 * A Stripe Checkout Session in subscription mode for the town's customer. A town still in its grant
 * pays nothing until the grant ends: the subscription's trial runs to that day.
 */
export async function startSubscriptionCheckout(admin: TownAdmin, returnUrl: string, now = new Date()): Promise<BillingRedirect> {
  const client = stripeClient();
  if (!client) return { ok: false, code: 'not_configured' };
  const billing = await loadTownBilling(admin, now);
  if (billing.card && LIVE_CARD_STATUSES.has(billing.card.status)) return { ok: false, code: 'already_subscribed' };
  if (!billing.canSubscribe) return { ok: false, code: 'not_live' };
  try {
    const customer = await ensureStripeCustomer(client, admin);
    const { STRIPE_PRICE_ID } = getEnv();
    const grantEnds = Date.parse(`${admin.town.grantEnd}T12:00:00Z`);
    const metadata = { town_id: String(admin.town.id), town_slug: admin.town.slug };
    const session = await client.checkout.sessions.create({
      mode: 'subscription',
      customer,
      client_reference_id: String(admin.town.id),
      metadata,
      line_items: [
        STRIPE_PRICE_ID
          ? { price: STRIPE_PRICE_ID, quantity: 1 }
          : {
              quantity: 1,
              price_data: { currency: 'usd', unit_amount: billing.yearlyPriceCents, recurring: { interval: 'year' }, product_data: { name: `Commonwealth Connect: ${admin.town.name}` } },
            },
      ],
      subscription_data: { metadata, ...(grantEnds - now.getTime() > MIN_TRIAL_MS ? { trial_end: Math.floor(grantEnds / 1000) } : {}) },
      success_url: `${returnUrl}?checkout=success`,
      cancel_url: `${returnUrl}?checkout=cancelled`,
    });
    if (!session.url) return { ok: false, code: 'stripe_unavailable' };
    return { ok: true, url: session.url };
  } catch (error) {
    console.error('billing: could not start a Stripe Checkout session', error);
    return { ok: false, code: 'stripe_unavailable' };
  }
}

/** The Stripe Customer Portal: invoices, payment method, cancelling. */
export async function openBillingPortal(admin: TownAdmin, returnUrl: string): Promise<BillingRedirect> {
  const client = stripeClient();
  if (!client) return { ok: false, code: 'not_configured' };
  const customer = await stripeCustomerOf(admin.town.id);
  if (!customer) return { ok: false, code: 'no_customer' };
  try {
    const session = await client.billingPortal.sessions.create({ customer, return_url: returnUrl });
    return { ok: true, url: session.url };
  } catch (error) {
    console.error('billing: could not open the Stripe Customer Portal', error);
    return { ok: false, code: 'stripe_unavailable' };
  }
}
