import { sql } from 'drizzle-orm';
import { boolean, date, integer, pgPolicy, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { BILLING_ROLE, PROGRAM_ROLE, stateReadPolicy, townPolicy } from '../rls';
import { LIFECYCLE_NOTICE_KINDS, SUBSCRIPTION_SOURCES } from '../vocabulary';
import { users } from './identity';
import { towns } from './reference';

/** Billing (webhooks, the billing page's re-read, the lifecycle notices job) works for every town. */
function billingPolicy() {
  return pgPolicy('billing_all', { as: 'permissive', for: 'all', to: BILLING_ROLE, using: sql`true`, withCheck: sql`true` });
}

/**
 * What pays for a town's service after its grant (docs/decisions/0019): a Stripe subscription,
 * mirrored from Stripe's own record by the webhooks and the billing page, or a purchase order state
 * staff record. The lifecycle reads coverage from these facts; nothing stores "subscribed".
 */
export const townSubscriptions = pgTable(
  'town_subscriptions',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    source: text('source', { enum: SUBSCRIPTION_SOURCES }).notNull(),
    /** Stripe's status (`active`, `past_due`, `canceled`, …); `active` for a purchase order. */
    status: text('status').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    periodEnd: timestamp('period_end', { withTimezone: true }).notNull(),
    /** When the service it paid for stopped early: cancelled, unpaid after Stripe's retries, or a voided order. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** Stripe: the town cancelled; the service runs to `period_end` and stops there. */
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    stripeSubscriptionId: text('stripe_subscription_id'),
    /** The Stripe object's time of the last state applied, so an older event cannot overwrite a newer one. */
    stripeStateAt: timestamp('stripe_state_at', { withTimezone: true }),
    purchaseOrderNumber: text('purchase_order_number'),
    amountCents: integer('amount_cents'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    uniqueIndex('town_subscriptions_stripe_key').on(t.stripeSubscriptionId),
    townPolicy(t.townId),
    stateReadPolicy(),
    billingPolicy(),
    // State staff record purchase orders (and void them); card subscriptions are Stripe's to write.
    pgPolicy('program_purchase_orders', {
      as: 'permissive',
      for: 'all',
      to: PROGRAM_ROLE,
      using: sql`${t.source} = 'purchase_order'`,
      withCheck: sql`${t.source} = 'purchase_order'`,
    }),
  ],
);

/** Stripe invoices of a town's subscription: what was paid (program revenue) and what is overdue. */
export const townInvoices = pgTable(
  'town_invoices',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    stripeInvoiceId: text('stripe_invoice_id').notNull(),
    stripeSubscriptionId: text('stripe_subscription_id'),
    status: text('status').notNull(),
    amountDueCents: integer('amount_due_cents').notNull(),
    amountPaidCents: integer('amount_paid_cents').notNull(),
    currency: text('currency').notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    lastPaymentFailedAt: timestamp('last_payment_failed_at', { withTimezone: true }),
    hostedInvoiceUrl: text('hosted_invoice_url'),
    stripeStateAt: timestamp('stripe_state_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.townId, t.stripeInvoiceId] }), uniqueIndex('town_invoices_stripe_key').on(t.stripeInvoiceId), townPolicy(t.townId), stateReadPolicy(), billingPolicy()],
);

/**
 * Reminders and lifecycle changes already announced: one row per town, kind and the end date it
 * is about, inserted by whichever process gets there first, so each is sent exactly once.
 */
export const lifecycleNotices = pgTable(
  'lifecycle_notices',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    kind: text('kind', { enum: LIFECYCLE_NOTICE_KINDS }).notNull(),
    /** The day the paid service ends (or ended) that this notice is about. */
    serviceEnd: date('service_end').notNull(),
    /** false when a later reminder for the same end was due at once (a missed day), so only that one was emailed. */
    emailed: boolean('emailed').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.townId, t.kind, t.serviceEnd] }), townPolicy(t.townId), stateReadPolicy(), billingPolicy()],
);

/** Every Stripe event applied, by id: a replayed event is recognised and changes nothing. */
export const stripeEvents = pgTable(
  'stripe_events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    /** What applying it did: applied, stale (older than what is stored), unknown_town, ignored. */
    outcome: text('outcome').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [billingPolicy()],
);
