import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import { towns, townInvoices, townSubscriptions } from '#db/schema';
import { withBilling } from '#db/scope';
import { lifecycleOf } from '~/modules/towns/town-lifecycle.server';
import { addDays, dayIn } from '~/utils/calendar-day';
import type { StateStaff } from '~/utils/capabilities.server';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import { listTowns } from '~/utils/town-profile.server';
import { parseCsv } from '../../../tests/csv';
import { stateStaffFor } from '../../../tests/capabilities';
import { createUser, townBySlug } from '../../../tests/factories';
import { dollarsOf, loadProgramBilling, loadTownBillingForState, parseBillingQuery, paymentMethodAt, programBillingCsv, rowsInLifecycle } from './program-billing.server';
import { recordPurchaseOrder, voidPurchaseOrder } from './purchase-orders.server';

const DAY_MS = 86_400_000;
const now = new Date();
const today = dayIn(now, 'America/New_York');
let stateStaff: StateStaff;

const invoice = (townId: number, fields: Partial<typeof townInvoices.$inferInsert>): typeof townInvoices.$inferInsert => ({
  townId,
  stripeInvoiceId: `in_${uuidv7()}`,
  status: 'paid',
  amountDueCents: 490_000,
  amountPaidCents: 490_000,
  currency: 'usd',
  stripeStateAt: now,
  ...fields,
});

beforeAll(async () => {
  stateStaff = await stateStaffFor(await createUser({ stateStaff: true }));
  // Everett pays by card: a year's subscription, one paid invoice, one failed, one not yet attempted.
  const everett = await townBySlug('everett');
  const start = new Date(now.getTime() - 30 * DAY_MS);
  await withBilling(async (tx) => {
    await tx.insert(townSubscriptions).values({ townId: everett.id, id: uuidv7(), source: 'stripe', status: 'active', periodStart: start, periodEnd: new Date(start.getTime() + 365 * DAY_MS), stripeSubscriptionId: 'sub_everett' });
    await tx.insert(townInvoices).values([
      invoice(everett.id, { paidAt: start }),
      invoice(everett.id, { status: 'open', amountPaidCents: 100_000, lastPaymentFailedAt: now }),
      invoice(everett.id, { status: 'open', amountDueCents: 25_000, amountPaidCents: 0 }),
      invoice(everett.id, { status: 'void', amountPaidCents: 0 }),
    ]);
  });
  // Every test town is in its grant; these ended (as the owner: nobody in the app may write a term back).
  // Whitman pays by purchase order, Orange is in grace, Ware has lapsed.
  for (const [slug, daysAgo] of [['whitman', 200], ['orange', 10], ['ware', 300]] as const) {
    await getDatabase()
      .db.update(towns)
      .set({ grantStart: addDays(today, -daysAgo - 3 * 365), grantEnd: addDays(today, -daysAgo) })
      .where(eq(towns.slug, slug));
  }
  invalidateTownCaches();
  const whitman = await townBySlug('whitman');
  await recordPurchaseOrder(stateStaff, whitman, { periodStart: addDays(today, -20), periodEnd: addDays(today, 345), number: 'PO-WHI-1', amountCents: 450_000 });
  const mistake = await recordPurchaseOrder(stateStaff, whitman, { periodStart: addDays(today, 345), periodEnd: addDays(today, 710), number: 'PO-WHI-X', amountCents: 999_999 });
  expect(await voidPurchaseOrder(stateStaff, await townBySlug('whitman'), mistake.id, 'Typed twice')).toEqual({ ok: true });
});

describe('the program’s billing', () => {
  it('has every town, with its lifecycle as the console has it', async () => {
    const { rows, today: asOf } = await loadProgramBilling(stateStaff, now);
    const profiles = await listTowns();
    expect(rows.map((r) => r.slug)).toEqual(profiles.map((t) => t.slug));
    for (const town of profiles) expect(rows.find((r) => r.slug === town.slug)!.lifecycle, town.slug).toEqual(lifecycleOf(town, now));
    expect(asOf).toBe(today);
  });

  it('shows how each town pays now, until when, what is overdue and what it has paid', async () => {
    const { rows } = await loadProgramBilling(stateStaff, now);
    const everett = rows.find((r) => r.slug === 'everett')!;
    expect(everett).toMatchObject({ paysBy: 'card', paidUntil: everett.lifecycle.until, overdueInvoices: 1, overdueCents: 390_000, revenueCents: 490_000 });
    expect(everett.lifecycle).toMatchObject({ state: 'subscribed', renews: true });
    const whitman = rows.find((r) => r.slug === 'whitman')!;
    // The voided order is not revenue.
    expect(whitman).toMatchObject({ paysBy: 'purchase_order', paidUntil: addDays(today, 345), overdueInvoices: 0, overdueCents: 0, revenueCents: 450_000 });
    expect(whitman.lifecycle).toMatchObject({ state: 'subscribed', renews: false });
    const malden = rows.find((r) => r.slug === 'malden')!;
    expect(malden).toMatchObject({ paysBy: null, paidUntil: null, overdueInvoices: 0, overdueCents: 0, revenueCents: 0 });
  });

  it('totals the program over every town', async () => {
    const { rows, totals } = await loadProgramBilling(stateStaff, now);
    expect(totals).toEqual({
      revenueCents: 940_000,
      subscribedByCard: 1,
      subscribedByPurchaseOrder: 1,
      grace: 1,
      lapsed: 1,
      overdueInvoices: 1,
      overdueCents: 390_000,
    });
    expect(rows.filter((r) => ['grace', 'lapsed'].includes(r.lifecycle.state)).map((r) => r.slug)).toEqual(['orange', 'ware']);
  });

  it('filters by lifecycle state, ignoring one it does not know', async () => {
    const { rows } = await loadProgramBilling(stateStaff, now);
    expect(rowsInLifecycle(rows, parseBillingQuery(new URLSearchParams('lifecycle=subscribed')).lifecycle).map((r) => r.slug)).toEqual(['everett', 'whitman']);
    expect(parseBillingQuery(new URLSearchParams('lifecycle=bankrupt'))).toEqual({ lifecycle: null });
    expect(rowsInLifecycle(rows, null)).toHaveLength(rows.length);
  });

  it('as CSV: one line per town, ISO dates and dollars with two decimals', async () => {
    const { rows, today: asOf } = await loadProgramBilling(stateStaff, now);
    const [header, ...lines] = parseCsv(programBillingCsv(asOf, rows).replace(/^\uFEFF/, ''));
    expect(header).toEqual(['as_of', 'town_slug', 'town', 'county', 'lifecycle', 'pays_by', 'paid_until', 'renews', 'overdue_invoices', 'overdue_amount_usd', 'revenue_usd']);
    expect(lines).toHaveLength(rows.length);
    const everett = lines.find((l) => l[1] === 'everett')!;
    expect(everett).toEqual([asOf, 'everett', 'Everett', 'Middlesex', 'subscribed', 'card', rows.find((r) => r.slug === 'everett')!.paidUntil, 'yes', '1', '3900.00', '4900.00']);
    const malden = lines.find((l) => l[1] === 'malden')!;
    expect(malden.slice(5)).toEqual(['', '', '', '0', '0.00', '0.00']);
  });
});

describe('one town’s billing', () => {
  it('lists its card subscription, its invoices and its purchase orders, with days in its calendar', async () => {
    const everett = await loadTownBillingForState(stateStaff, await townBySlug('everett'), now);
    expect(everett.paysBy).toBe('card');
    expect(everett.revenueCents).toBe(490_000);
    expect(everett.cardSubscriptions).toEqual([expect.objectContaining({ status: 'active', cancelAtPeriodEnd: false, endedOn: null, periodStart: dayIn(new Date(now.getTime() - 30 * DAY_MS), 'America/New_York') })]);
    expect(everett.invoices).toHaveLength(4);
    expect(everett.invoices.filter((i) => i.overdue)).toEqual([expect.objectContaining({ status: 'open', amountDueCents: 490_000, amountPaidCents: 100_000 })]);
    expect(everett.purchaseOrders).toEqual([]);

    const whitman = await loadTownBillingForState(stateStaff, await townBySlug('whitman'), now);
    expect(whitman.cardSubscriptions).toEqual([]);
    expect(whitman.purchaseOrders.map((o) => [o.number, o.periodStart, o.periodEnd, o.amountCents, o.voidedOn])).toEqual([
      ['PO-WHI-X', addDays(today, 345), addDays(today, 710), 999_999, today],
      ['PO-WHI-1', addDays(today, -20), addDays(today, 345), 450_000, null],
    ]);
  });
});

describe('helpers', () => {
  it('writes cents as dollars with two decimals', () => {
    expect([0, 5, 50, 490_000, 123_456_789, -250].map(dollarsOf)).toEqual(['0.00', '0.05', '0.50', '4900.00', '1234567.89', '-2.50']);
  });

  it('pays by what covers the moment, the longest-running first', () => {
    const at = new Date('2027-03-01T12:00:00Z');
    const card = { source: 'stripe' as const, status: 'active', periodStart: '2027-01-01T05:00:00Z', periodEnd: '2027-04-01T04:00:00Z', endedAt: null };
    const order = { source: 'purchase_order' as const, status: 'active', periodStart: '2027-02-01T05:00:00Z', periodEnd: '2028-02-01T05:00:00Z', endedAt: null };
    expect(paymentMethodAt([card, order], at)).toBe('purchase_order');
    expect(paymentMethodAt([card], at)).toBe('card');
    expect(paymentMethodAt([{ ...card, status: 'incomplete' }], at)).toBeNull();
    expect(paymentMethodAt([{ ...order, endedAt: '2027-02-15T00:00:00Z' }], at)).toBeNull();
    expect(paymentMethodAt([], at)).toBeNull();
  });
});
