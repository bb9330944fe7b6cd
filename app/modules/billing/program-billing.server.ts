import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { towns, townInvoices, townSubscriptions } from '#db/schema';
import { withStateOversight, type Tx } from '#db/scope';
import type { SubscriptionFact } from '#db/vocabulary';
import { PROGRAM_TIME_ZONE } from '~/modules/oversight/kpi';
import { subscriptionCoverage, TOWN_LIFECYCLE_STATES, type TownLifecycle, type TownLifecycleState } from '~/modules/towns/lifecycle';
import { lifecycleOf } from '~/modules/towns/town-lifecycle.server';
import { dayIn } from '~/utils/calendar-day';
import type { StateStaff } from '~/utils/capabilities.server';
import { csvLine } from '~/utils/csv';
import { listTowns, type TownProfile } from '~/utils/town-profile.server';

/*
 * Every town's billing state for state staff (`/state/billing`, its CSV and a town's billing page),
 * read under `withStateOversight`: amounts and dates, no personal data, so nothing to record. Money
 * is whole cents throughout; the pages format it, the CSV writes dollars with two decimals.
 */

/** How a town pays for its service now: by card (Stripe) or by purchase order. */
export type PaymentMethod = 'card' | 'purchase_order';

/**
 * The source of the subscription paying for the service at `now`, chosen as the lifecycle chooses
 * it (of those covering `now`, the one that runs longest); null when none does.
 */
export function paymentMethodAt(subscriptions: readonly SubscriptionFact[], now: Date): PaymentMethod | null {
  const at = now.getTime();
  let paying: { source: SubscriptionFact['source']; until: number } | null = null;
  for (const s of subscriptions) {
    const coverage = subscriptionCoverage(s);
    if (coverage && coverage.from <= at && at < coverage.until && (!paying || coverage.until > paying.until)) paying = { source: s.source, until: coverage.until };
  }
  if (!paying) return null;
  return paying.source === 'stripe' ? 'card' : 'purchase_order';
}

/** A Stripe invoice the town has not paid after a failed attempt: what the program is owed. */
const overdue = sql`${townInvoices.status} = 'open' and ${townInvoices.lastPaymentFailedAt} is not null`;
/** A purchase order that was not voided. */
const standingOrder = sql`${townSubscriptions.source} = 'purchase_order' and ${townSubscriptions.endedAt} is null`;
const cents = (expression: SQL) => sql<number>`coalesce(${expression}, 0)`.mapWith(Number);

type Money = { townId: number; paidCents: number; overdueInvoices: number; overdueCents: number; ordersCents: number };

/** Per town: invoice revenue, overdue invoices and standing purchase orders, one grouped read each. */
async function selectMoney(tx: Tx, townId?: number): Promise<Map<number, Money>> {
  const [invoices, orders] = await Promise.all([
    tx
      .select({
        townId: townInvoices.townId,
        paidCents: cents(sql`sum(${townInvoices.amountPaidCents}) filter (where ${townInvoices.status} = 'paid')`),
        overdueInvoices: sql<number>`count(*) filter (where ${overdue})`.mapWith(Number),
        overdueCents: cents(sql`sum(${townInvoices.amountDueCents} - ${townInvoices.amountPaidCents}) filter (where ${overdue})`),
      })
      .from(townInvoices)
      .where(townId === undefined ? undefined : eq(townInvoices.townId, townId))
      .groupBy(townInvoices.townId),
    tx
      .select({ townId: townSubscriptions.townId, ordersCents: cents(sql`sum(${townSubscriptions.amountCents})`) })
      .from(townSubscriptions)
      .where(and(standingOrder, townId === undefined ? undefined : eq(townSubscriptions.townId, townId)))
      .groupBy(townSubscriptions.townId),
  ]);
  const money = new Map<number, Money>();
  const of = (id: number) => {
    let entry = money.get(id);
    if (!entry) money.set(id, (entry = { townId: id, paidCents: 0, overdueInvoices: 0, overdueCents: 0, ordersCents: 0 }));
    return entry;
  };
  for (const { townId: id, ...invoice } of invoices) Object.assign(of(id), invoice);
  for (const order of orders) of(order.townId).ordersCents = order.ordersCents;
  return money;
}

export type ProgramBillingRow = {
  slug: string;
  name: string;
  county: string;
  lifecycle: TownLifecycle;
  paysBy: PaymentMethod | null;
  /** YYYY-MM-DD, while subscribed: the day the paid period renews (`lifecycle.renews`) or ends. */
  paidUntil: string | null;
  overdueInvoices: number;
  overdueCents: number;
  /** Paid invoices plus purchase orders not voided. */
  revenueCents: number;
};

export type ProgramBillingTotals = {
  revenueCents: number;
  subscribedByCard: number;
  subscribedByPurchaseOrder: number;
  grace: number;
  lapsed: number;
  overdueInvoices: number;
  overdueCents: number;
};

export type ProgramBilling = { today: string; rows: ProgramBillingRow[]; totals: ProgramBillingTotals };

function billingRow(town: TownProfile, money: Money | undefined, now: Date): ProgramBillingRow {
  const lifecycle = lifecycleOf(town, now);
  return {
    slug: town.slug,
    name: town.name,
    county: town.county,
    lifecycle,
    paysBy: paymentMethodAt(town.subscriptions, now),
    paidUntil: lifecycle.state === 'subscribed' ? lifecycle.until : null,
    overdueInvoices: money?.overdueInvoices ?? 0,
    overdueCents: money?.overdueCents ?? 0,
    revenueCents: (money?.paidCents ?? 0) + (money?.ordersCents ?? 0),
  };
}

function totalsOf(rows: readonly ProgramBillingRow[]): ProgramBillingTotals {
  const sum = (value: (row: ProgramBillingRow) => number) => rows.reduce((total, row) => total + value(row), 0);
  const subscribedBy = (method: PaymentMethod) => rows.filter((r) => r.lifecycle.state === 'subscribed' && r.paysBy === method).length;
  return {
    revenueCents: sum((r) => r.revenueCents),
    subscribedByCard: subscribedBy('card'),
    subscribedByPurchaseOrder: subscribedBy('purchase_order'),
    grace: rows.filter((r) => r.lifecycle.state === 'grace').length,
    lapsed: rows.filter((r) => r.lifecycle.state === 'lapsed').length,
    overdueInvoices: sum((r) => r.overdueInvoices),
    overdueCents: sum((r) => r.overdueCents),
  };
}

/**
 * Every town with its lifecycle (from the cached profiles, which carry the subscriptions), how it
 * pays, until when, what it owes and what it has paid; and the program's totals over all towns.
 */
export async function loadProgramBilling(_stateStaff: StateStaff, now = new Date()): Promise<ProgramBilling> {
  const profiles = new Map((await listTowns()).map((town) => [town.id, town]));
  const { allTowns, money } = await withStateOversight(async (tx) => ({
    allTowns: await tx.select({ id: towns.id }).from(towns).orderBy(asc(towns.name)),
    money: await selectMoney(tx),
  }));
  const rows = allTowns.flatMap(({ id }) => {
    const town = profiles.get(id);
    // A town added since the profiles were read appears on the next load.
    return town ? [billingRow(town, money.get(id), now)] : [];
  });
  return { today: dayIn(now, PROGRAM_TIME_ZONE), rows, totals: totalsOf(rows) };
}

/** `?lifecycle=grace`: only the towns in that state (the totals stay the program's). */
export function parseBillingQuery(params: URLSearchParams): { lifecycle: TownLifecycleState | null } {
  const lifecycle = z.enum(TOWN_LIFECYCLE_STATES as [TownLifecycleState, ...TownLifecycleState[]]).safeParse(params.get('lifecycle'));
  return { lifecycle: lifecycle.success ? lifecycle.data : null };
}

export function rowsInLifecycle(rows: readonly ProgramBillingRow[], lifecycle: TownLifecycleState | null): ProgramBillingRow[] {
  return rows.filter((r) => lifecycle === null || r.lifecycle.state === lifecycle);
}

/** Cents as dollars with two decimals ("4900.00"), from the integer: no float ever rounds it. */
export function dollarsOf(amountCents: number): string {
  const sign = amountCents < 0 ? '-' : '';
  const whole = Math.abs(amountCents);
  return `${sign}${Math.floor(whole / 100)}.${String(whole % 100).padStart(2, '0')}`;
}

/** The CSV's columns: identifiers a spreadsheet or a finance system reads, not wording. */
const BILLING_CSV_COLUMNS = [
  'as_of',
  'town_slug',
  'town',
  'county',
  'lifecycle',
  'pays_by',
  'paid_until',
  'renews',
  'overdue_invoices',
  'overdue_amount_usd',
  'revenue_usd',
] as const;

/** One line per town: dates ISO (YYYY-MM-DD), amounts in dollars with two decimals. */
export function programBillingCsv(today: string, rows: readonly ProgramBillingRow[]): string {
  const body = rows.map((r) =>
    csvLine([
      today,
      r.slug,
      r.name,
      r.county,
      r.lifecycle.state,
      r.paysBy,
      r.paidUntil,
      r.paidUntil === null ? null : r.lifecycle.renews ? 'yes' : 'no',
      r.overdueInvoices,
      dollarsOf(r.overdueCents),
      dollarsOf(r.revenueCents),
    ]),
  );
  // The byte-order mark makes Excel read the file as UTF-8.
  return `\uFEFF${csvLine([...BILLING_CSV_COLUMNS])}${body.join('')}`;
}

export type CardSubscription = { status: string; periodStart: string; periodEnd: string; cancelAtPeriodEnd: boolean; endedOn: string | null };
export type TownInvoice = { id: string; status: string; amountDueCents: number; amountPaidCents: number; currency: string; issuedOn: string; paidOn: string | null; overdue: boolean };
export type PurchaseOrder = { id: string; number: string; periodStart: string; periodEnd: string; amountCents: number; voidedOn: string | null; recordedOn: string };

export type StateTownBilling = {
  lifecycle: TownLifecycle;
  paysBy: PaymentMethod | null;
  revenueCents: number;
  cardSubscriptions: CardSubscription[];
  invoices: TownInvoice[];
  purchaseOrders: PurchaseOrder[];
};

/** One town's billing for its state page: card subscriptions, invoices and purchase orders, newest first, dates in the town's calendar. */
export async function loadTownBillingForState(_stateStaff: StateStaff, town: TownProfile, now = new Date()): Promise<StateTownBilling> {
  const day = (instant: Date) => dayIn(instant, town.timezone);
  const { subscriptions, invoices, money } = await withStateOversight(async (tx) => ({
    subscriptions: await tx.select().from(townSubscriptions).where(eq(townSubscriptions.townId, town.id)).orderBy(desc(townSubscriptions.periodStart), desc(townSubscriptions.id)),
    invoices: await tx
      .select({
        id: townInvoices.stripeInvoiceId,
        status: townInvoices.status,
        amountDueCents: townInvoices.amountDueCents,
        amountPaidCents: townInvoices.amountPaidCents,
        currency: townInvoices.currency,
        createdAt: townInvoices.createdAt,
        paidAt: townInvoices.paidAt,
        overdue: sql<boolean>`${overdue}`,
      })
      .from(townInvoices)
      .where(eq(townInvoices.townId, town.id))
      .orderBy(desc(townInvoices.createdAt), desc(townInvoices.stripeInvoiceId)),
    money: (await selectMoney(tx, town.id)).get(town.id),
  }));
  return {
    lifecycle: lifecycleOf(town, now),
    paysBy: paymentMethodAt(town.subscriptions, now),
    revenueCents: (money?.paidCents ?? 0) + (money?.ordersCents ?? 0),
    cardSubscriptions: subscriptions
      .filter((s) => s.source === 'stripe')
      .map((s) => ({ status: s.status, periodStart: day(s.periodStart), periodEnd: day(s.periodEnd), cancelAtPeriodEnd: s.cancelAtPeriodEnd, endedOn: s.endedAt ? day(s.endedAt) : null })),
    invoices: invoices.map(({ createdAt, paidAt, ...i }) => ({ ...i, issuedOn: day(createdAt), paidOn: paidAt ? day(paidAt) : null })),
    purchaseOrders: subscriptions
      .filter((s) => s.source === 'purchase_order')
      .map((s) => ({
        id: s.id,
        number: s.purchaseOrderNumber ?? '',
        periodStart: day(s.periodStart),
        periodEnd: day(s.periodEnd),
        amountCents: s.amountCents ?? 0,
        voidedOn: s.endedAt ? day(s.endedAt) : null,
        recordedOn: day(s.createdAt),
      })),
  };
}
