import { count, eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { auditLog, towns, townSubscriptions } from '#db/schema';
import { withStateOversight, withTown } from '#db/scope';
import { loader as billingCsvLoader } from '~/routes/state.billing[.]csv';
import { loader as billingLoader } from '~/routes/state.billing';
import * as townBillingPage from '~/routes/state.towns.$slug_.billing';
import { addDays, dayIn } from '~/utils/calendar-day';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { parseCsv } from '../csv';
import { browserRequest, townBySlug } from '../factories';
import { signInEveryone, STATE_PAGE_MATRIX, type MatrixPerson } from '../people';
import { settle } from '../requests';

const STATE = 'http://localhost:3000';
const SOMERVILLE = 'http://somerville.localhost:3000';

type RouteFunction = (args: never) => Promise<Response>;
let ip = 0;
const call = (fn: RouteFunction, request: Request, params: Record<string, string> = {}) => settle(fn({ request, params, context: { clientIp: `10.8.0.${++ip}` } } as never));
const get = (fn: RouteFunction, url: string, cookie: string | null, params: Record<string, string> = {}) => call(fn, browserRequest(url, { cookie }), params);
const post = (fn: RouteFunction, url: string, form: Record<string, string>, cookie: string | null, params: Record<string, string> = {}) => call(fn, browserRequest(url, { form, cookie }), params);

/** Every page, with what its loader needs. */
const PAGES: [string, RouteFunction, string, Record<string, string>][] = [
  ['billing of every town', billingLoader as RouteFunction, '/state/billing', {}],
  ['billing CSV', billingCsvLoader as RouteFunction, '/state/billing.csv', {}],
  ['a town’s billing', townBillingPage.loader as RouteFunction, '/state/towns/somerville/billing', { slug: 'somerville' }],
];

const today = dayIn(new Date(), 'America/New_York');
const orderCount = async (town: TownProfile) =>
  (await withStateOversight((tx) => tx.select({ n: count() }).from(townSubscriptions).where(eq(townSubscriptions.townId, town.id))))[0]!.n;

let cookies: Record<MatrixPerson, string | null>;
let stateCookie: string;
let lowell: TownProfile;

beforeAll(async () => {
  ({ cookies } = await signInEveryone(STATE));
  stateCookie = cookies.state!;
  // Lowell's grant ended long ago (as the owner: nobody in the app writes a term back): it has lapsed.
  await getDatabase()
    .db.update(towns)
    .set({ grantStart: addDays(today, -300 - 3 * 365), grantEnd: addDays(today, -300) })
    .where(eq(towns.slug, 'lowell'));
  invalidateTownCaches();
  lowell = await townBySlug('lowell');
});

describe('who may see billing', () => {
  for (const [page, loader, path, params] of PAGES) {
    it.each(STATE_PAGE_MATRIX)(`${page} (${path}): %s gets %i`, async (who, status) => {
      expect((await get(loader, `${STATE}${path}`, cookies[who]!, params)).status).toBe(status);
    });
    it(`${page} exists only on the statewide host`, async () => {
      expect((await get(loader, `${SOMERVILLE}${path}`, stateCookie, params)).status).toBe(404);
    });
  }

  it('a town that does not take part has no billing page', async () => {
    expect((await get(townBillingPage.loader, `${STATE}/state/towns/boston/billing`, stateCookie, { slug: 'boston' })).status).toBe(404);
  });

  it('refuses recording and voiding to everyone but state staff, and writes nothing', async () => {
    const somerville = await townBySlug('somerville');
    const url = `${STATE}/state/towns/somerville/billing`;
    const record = { intent: 'record_purchase_order', periodStart: today, periodEnd: addDays(today, 365), number: 'PO-MATRIX', amount: '100' };
    for (const [who, status] of STATE_PAGE_MATRIX.filter(([who]) => who !== 'state')) {
      expect([who, (await post(townBillingPage.action, url, record, cookies[who]!, { slug: 'somerville' })).status]).toEqual([who, status]);
      const voiding = { intent: 'void_purchase_order', order: '0192f000-0000-7000-8000-0000000000b0', reason: 'matrix' };
      expect([who, (await post(townBillingPage.action, url, voiding, cookies[who]!, { slug: 'somerville' })).status]).toEqual([who, status]);
    }
    expect((await post(townBillingPage.action, `${SOMERVILLE}/state/towns/somerville/billing`, record, stateCookie, { slug: 'somerville' })).status).toBe(404);
    expect(await orderCount(somerville)).toBe(0);
  });
});

describe('state staff record and void a purchase order', () => {
  const url = `${STATE}/state/towns/lowell/billing`;
  const params = { slug: 'lowell' };
  const record = (overrides: Record<string, string> = {}) => ({
    intent: 'record_purchase_order',
    periodStart: addDays(today, -5),
    periodEnd: addDays(today, 360),
    number: 'PO-LOW-2026',
    amount: '$12,500.50',
    ...overrides,
  });
  const page = async () => (await get(townBillingPage.loader, url, stateCookie, params)).json();

  it('bad input: 422 with each field’s error and the typed values, and nothing written', async () => {
    const response = await post(townBillingPage.action, url, record({ periodEnd: addDays(today, -6), number: ' ', amount: '12.5.0' }), stateCookie, params);
    expect(response.status).toBe(422);
    const data = await response.json();
    expect(data.errors).toEqual({
      periodEnd: 'The period must end after it starts',
      number: 'Enter the purchase order number',
      amount: 'Enter an amount in dollars, like 4,900 or 4900.00',
    });
    expect(data.values).toMatchObject({ amount: '12.5.0', periodStart: addDays(today, -5) });
    const tooMuch = await post(townBillingPage.action, url, record({ amount: '10,000,000.01' }), stateCookie, params);
    expect(tooMuch.status).toBe(422);
    expect((await tooMuch.json()).errors).toEqual({ amount: 'The amount can be at most $10,000,000.00' });
    const noDate = await post(townBillingPage.action, url, record({ periodStart: '2026-13-01' }), stateCookie, params);
    expect((await noDate.json()).errors).toEqual({ periodStart: 'Enter a real date, like 2027-07-01' });
    expect(await orderCount(lowell)).toBe(0);
    expect((await page()).billing.lifecycle.state).toBe('lapsed');
  });

  it('records it: the town is subscribed until the period ends, and the page lists the order', async () => {
    const response = await post(townBillingPage.action, url, record(), stateCookie, params);
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/state/towns/lowell/billing?done=recorded');
    const { billing, done } = await (await get(townBillingPage.loader, `${url}?done=recorded`, stateCookie, params)).json();
    expect(done).toBe('recorded');
    expect(billing.lifecycle).toMatchObject({ state: 'subscribed', until: addDays(today, 360) });
    expect(billing.paysBy).toBe('purchase_order');
    expect(billing.revenueCents).toBe(1_250_050);
    expect(billing.purchaseOrders).toEqual([expect.objectContaining({ number: 'PO-LOW-2026', periodStart: addDays(today, -5), periodEnd: addDays(today, 360), amountCents: 1_250_050, voidedOn: null })]);
    const audit = await withTown(lowell.id, (tx) => tx.select().from(auditLog).where(eq(auditLog.action, 'billing.purchase_order_recorded')));
    expect(audit).toHaveLength(1);
  });

  it('voiding needs a reason, then stops the service today', async () => {
    const [order] = (await page()).billing.purchaseOrders;
    const noReason = await post(townBillingPage.action, url, { intent: 'void_purchase_order', order: order.id, reason: ' ' }, stateCookie, params);
    expect(noReason.status).toBe(422);
    expect((await noReason.json()).errors).toEqual({ reason: 'Give the reason; it goes into the audit log' });
    expect((await page()).billing.lifecycle.state).toBe('subscribed');

    const voided = await post(townBillingPage.action, url, { intent: 'void_purchase_order', order: order.id, reason: 'The town paid by card instead' }, stateCookie, params);
    expect(voided.headers.get('Location')).toBe('/state/towns/lowell/billing?done=voided');
    const { billing } = await page();
    expect(billing.lifecycle).toMatchObject({ state: 'grace', serviceEnded: today });
    expect(billing.purchaseOrders[0]).toMatchObject({ voidedOn: today });
    expect(billing.revenueCents).toBe(0);

    const again = await post(townBillingPage.action, url, { intent: 'void_purchase_order', order: order.id, reason: 'twice' }, stateCookie, params);
    expect(again.status).toBe(409);
    expect((await again.json()).formError).toBe('This purchase order was already voided; nothing was changed');
  });

  it('cannot void another town’s order from this town’s page', async () => {
    const [order] = (await page()).billing.purchaseOrders;
    const response = await post(townBillingPage.action, `${STATE}/state/towns/malden/billing`, { intent: 'void_purchase_order', order: order.id, reason: 'wrong page' }, stateCookie, { slug: 'malden' });
    expect(response.status).toBe(409);
    expect((await response.json()).formError).toBe('This is not one of Malden’s purchase orders');
  });

  it('refuses an action the page does not offer', async () => {
    const response = await post(townBillingPage.action, url, { intent: 'refund_everything' }, stateCookie, params);
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toEqual({ intent: 'Choose one of the actions on the page' });
  });
});

describe('the billing of every town', () => {
  type Row = { slug: string; lifecycle: { state: string }; paysBy: string | null; revenueCents: number };

  it('lists every town with its lifecycle and totals, and filters by lifecycle', async () => {
    const all = await (await get(billingLoader as RouteFunction, `${STATE}/state/billing`, stateCookie)).json();
    expect(all.rows).toHaveLength(all.townCount);
    expect(all.rows.find((r: Row) => r.slug === 'lowell')).toMatchObject({ lifecycle: { state: 'grace' }, paysBy: null, revenueCents: 0 });
    expect(all.totals).toMatchObject({ grace: 1, lapsed: 0, subscribedByCard: 0, subscribedByPurchaseOrder: 0, revenueCents: 0 });
    const inGrace = await (await get(billingLoader as RouteFunction, `${STATE}/state/billing?lifecycle=grace`, stateCookie)).json();
    expect(inGrace.rows.map((r: Row) => r.slug)).toEqual(['lowell']);
    expect(inGrace.townCount).toBe(all.townCount);
    expect(inGrace.totals).toEqual(all.totals);
  });

  it('as CSV: the same rows, ISO dates and dollars with two decimals', async () => {
    await post(townBillingPage.action, `${STATE}/state/towns/lowell/billing`, { intent: 'record_purchase_order', periodStart: today, periodEnd: addDays(today, 365), number: 'PO-LOW-2027', amount: '4,900' }, stateCookie, { slug: 'lowell' });
    const response = await get(billingCsvLoader as RouteFunction, `${STATE}/state/billing.csv`, stateCookie);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toBe(`attachment; filename="commonwealth-connect-billing-${today}.csv"`);
    const [header, ...lines] = parseCsv((await response.text()).replace(/^\uFEFF/, ''));
    const { rows } = await (await get(billingLoader as RouteFunction, `${STATE}/state/billing`, stateCookie)).json();
    expect(lines.map((l) => l[header!.indexOf('town_slug')])).toEqual(rows.map((r: Row) => r.slug));
    const lowellLine = Object.fromEntries(header!.map((column, i) => [column, lines.find((l) => l[1] === 'lowell')![i]]));
    expect(lowellLine).toEqual({
      as_of: today,
      town_slug: 'lowell',
      town: 'Lowell',
      county: 'Middlesex',
      lifecycle: 'subscribed',
      pays_by: 'purchase_order',
      paid_until: addDays(today, 365),
      renews: 'no',
      overdue_invoices: '0',
      overdue_amount_usd: '0.00',
      revenue_usd: '4900.00',
    });
    const filtered = parseCsv((await (await get(billingCsvLoader as RouteFunction, `${STATE}/state/billing.csv?lifecycle=subscribed`, stateCookie)).text()).replace(/^\uFEFF/, ''));
    expect(filtered.slice(1).map((l) => l[1])).toEqual(['lowell']);
  });

  it('no page writes anything (a GET never changes state)', async () => {
    const before = await orderCount(lowell);
    for (const [, loader, path, params] of PAGES) await get(loader, `${STATE}${path}`, stateCookie, params);
    expect(await orderCount(lowell)).toBe(before);
  });
});
