import { count, eq } from 'drizzle-orm';
import { setupServer } from 'msw/node';
import { getDatabase } from '#db/client';
import { auditLog, categories, serviceRequests, stripeEvents, towns, townInvoices, townSubscriptions } from '#db/schema';
import { withBilling, withTown } from '#db/scope';
import { lifecycleOf } from '~/modules/towns/town-lifecycle.server';
import { startSession } from '~/utils/auth.server';
import { findTownBySlug, type TownProfile } from '~/utils/town-profile.server';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import { addDays, dayIn } from '~/utils/calendar-day';
import * as billingPage from '~/routes/admin.billing';
import * as requestPage from '~/routes/requests.$trackingNumber';
import * as staffLayout from '~/routes/staff';
import * as staffQueue from '~/routes/staff._index';
import * as staffBulk from '~/routes/staff.bulk';
import * as staffExport from '~/routes/staff.export[.]csv';
import * as staffRequest from '~/routes/staff.requests.$trackingNumber';
import { action as reportAction, loader as reportLoader } from '~/routes/report';
import { action as webhookAction } from '~/routes/webhooks.stripe';
import { createFakeStripe, invoiceObject, signedWebhookRequest, stripeEvent, subscriptionObject } from '../mocks/stripe';
import { browserRequest, cookieFrom, createUser, requestRow, townBySlug } from '../factories';
import { reportRequest, settle } from '../requests';

const CHELSEA = 'http://chelsea.localhost:3000';
const SECRET = 'whsec_test_billing';
const fake = createFakeStripe();
const server = setupServer(...fake.handlers);

type RouteFunction = (args: never) => Promise<Response>;
let ip = 0;
const call = (fn: RouteFunction, request: Request, params: Record<string, string> = {}) => settle(fn({ request, params, context: { clientIp: `10.8.0.${++ip}` } } as never));
const openBillingPage = (cookie: string | null, search = '') => call(billingPage.loader, browserRequest(`${CHELSEA}/admin/billing${search}`, { cookie }));
const postBilling = (cookie: string | null, intent: string) => call(billingPage.action, browserRequest(`${CHELSEA}/admin/billing`, { cookie, form: { intent } }));
const deliver = (event: ReturnType<typeof stripeEvent>, options?: Parameters<typeof signedWebhookRequest>[3]) =>
  call(webhookAction, signedWebhookRequest(`http://localhost:3000/webhooks/stripe`, event, SECRET, options));

const today = () => dayIn(new Date(), 'America/New_York');
let chelsea: TownProfile;
const cookies: Record<string, string | null> = { anonymous: null };

/** Chelsea's grant ended `daysAgo` days ago, and it has no subscription. */
async function endGrant(daysAgo: number) {
  const end = addDays(today(), -daysAgo);
  await getDatabase().db.update(towns).set({ grantStart: addDays(end, -3 * 365), grantEnd: end, stripeCustomerId: null }).where(eq(towns.slug, 'chelsea'));
  // As the owner: no runtime role may delete billing records.
  await getDatabase().db.delete(townSubscriptions).where(eq(townSubscriptions.townId, chelsea.id));
  await getDatabase().db.delete(townInvoices).where(eq(townInvoices.townId, chelsea.id));
  invalidateTownCaches();
}

const lifecycleNow = async (at = new Date()) => lifecycleOf((await findTownBySlug('chelsea'))!, at);
const audits = async (action: string) => (await withTown(chelsea.id, (tx) => tx.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action))))[0]!.n;

/** The admin subscribes and pays on Checkout; returns what Stripe now holds. */
async function subscribeAndPay() {
  const started = await postBilling(cookies.admin!, 'subscribe');
  expect(started.status).toBe(303);
  const sessionId = new URL(started.headers.get('Location')!).pathname.split('/').pop()!;
  return fake.completeCheckout(sessionId);
}

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  chelsea = await townBySlug('chelsea');
  const somerville = await townBySlug('somerville');
  const people = {
    resident: await createUser(),
    staff: await createUser({ roles: [[chelsea, 'staff']] }),
    admin: await createUser({ roles: [[chelsea, 'admin']] }),
    otherAdmin: await createUser({ roles: [[somerville, 'admin']] }),
    state: await createUser({ stateStaff: true }),
  };
  for (const [name, person] of Object.entries(people)) cookies[name] = cookieFrom(await startSession(person.id, new Request(CHELSEA)));
});
beforeEach(async () => {
  process.env.STRIPE_SECRET_KEY = 'sk_test_billing';
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  fake.setFailing(false);
  await endGrant(100);
});
afterEach(() => {
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_WEBHOOK_SECRET;
  delete process.env.STRIPE_PRICE_ID;
});
afterAll(() => server.close());

describe('a lapsed town', () => {
  it('takes no new reports, says so with its contact details, and keeps its existing pages', async () => {
    expect((await lifecycleNow()).state).toBe('lapsed');
    const form = await (await call(reportLoader, browserRequest(`${CHELSEA}/report`))).json();
    expect(form.closedBecause).toBe('lapsed');
    expect(form.town.contact).toBeDefined();
    const refused = await call(reportAction, reportRequest(CHELSEA, { category: 'other', description: 'Pothole', lat: '42.3918', lng: '-71.0328', locationSource: 'map' }));
    expect(refused.status).toBe(422);
    expect((await refused.json()).errors.location).toMatch(/Chelsea, whose Commonwealth Connect service has paused/);
  });

  it('keeps every request public and readable by staff, with the full export, and refuses changes', async () => {
    const [category] = await withTown(chelsea.id, (tx) => tx.select({ id: categories.id }).from(categories).limit(1));
    const row = requestRow(chelsea, category!.id, { createdAt: new Date(Date.now() - 86_400_000), description: 'Filed before the lapse' });
    await withTown(chelsea.id, (tx) => tx.insert(serviceRequests).values(row));
    const publicPage = await call(requestPage.loader, browserRequest(`${CHELSEA}/requests/${row.trackingNumber}`), { trackingNumber: row.trackingNumber });
    expect(publicPage.status).toBe(200);
    const queue = await call(staffQueue.loader, browserRequest(`${CHELSEA}/staff`, { cookie: cookies.staff }));
    expect(queue.status).toBe(200);
    const csv = await call(staffExport.loader, browserRequest(`${CHELSEA}/staff/export.csv`, { cookie: cookies.staff }));
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain(row.trackingNumber);
    const layout = await (await call(staffLayout.loader, browserRequest(`${CHELSEA}/staff`, { cookie: cookies.staff }))).json();
    expect(layout.lifecycle.state).toBe('lapsed');

    const acknowledge = await call(
      staffRequest.action,
      browserRequest(`${CHELSEA}/staff/requests/${row.trackingNumber}`, { cookie: cookies.staff, form: { intent: 'acknowledge', expectedVersion: '1' } }),
      { trackingNumber: row.trackingNumber },
    );
    expect(acknowledge.status).toBe(403);
    expect(await acknowledge.text()).toMatch(/Chelsea's service has lapsed/);
    const bulk = await call(staffBulk.action, browserRequest(`${CHELSEA}/staff/bulk`, { cookie: cookies.staff, form: [['operation', 'acknowledge'], ['trackingNumbers', row.trackingNumber]] }));
    expect(bulk.status).toBe(403);
    const [unchanged] = await withTown(chelsea.id, (tx) => tx.select({ status: serviceRequests.status }).from(serviceRequests).where(eq(serviceRequests.id, row.id)));
    expect(unchanged!.status).toBe('submitted');
  });
});

describe('subscribing by card', () => {
  it('creates the town’s Stripe customer once, opens Checkout, and the webhook makes the town subscribed at once', async () => {
    const page = await (await openBillingPage(cookies.admin!)).json();
    expect(page.billing).toMatchObject({ online: true, canSubscribe: true, canManage: false, yearlyPriceCents: 490_000 });
    expect(page.billing.lifecycle.state).toBe('lapsed');

    const { session, subscription } = await subscribeAndPay();
    const customerCalls = fake.calls.filter((c) => c.path === '/customers');
    expect(customerCalls).toHaveLength(1);
    expect(customerCalls[0]!.idempotencyKey).toBe(`town-${chelsea.id}-customer`);
    const checkout = fake.calls.filter((c) => c.path === '/checkout/sessions').at(-1)!.form;
    expect(checkout).toMatchObject({ mode: 'subscription', client_reference_id: String(chelsea.id), success_url: `${CHELSEA}/admin/billing?checkout=success` });
    expect(checkout.line_items).toEqual({ '0': { quantity: '1', price_data: { currency: 'usd', unit_amount: '490000', recurring: { interval: 'year' }, product_data: { name: 'Commonwealth Connect: Chelsea' } } } });
    // Ended grant: Stripe charges at once, no trial.
    expect((checkout.subscription_data as Record<string, unknown>).trial_end).toBeUndefined();

    // Back from Checkout before the webhook: the page says the payment is being confirmed.
    const [stored] = await getDatabase().db.select({ customer: towns.stripeCustomerId }).from(towns).where(eq(towns.id, chelsea.id));
    expect(stored!.customer).toBe(session.customer);

    const response = await deliver(stripeEvent('checkout.session.completed', session));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: 'applied' });
    expect(await lifecycleNow()).toMatchObject({ state: 'subscribed', renews: true });
    expect(await audits('billing.subscription_started')).toBeGreaterThan(0);

    const back = await (await openBillingPage(cookies.admin!, '?checkout=success')).json();
    expect(back.billing).toMatchObject({ canSubscribe: false, canManage: true, card: { status: 'active' } });
    expect(back.billing.lifecycle.state).toBe('subscribed');

    // Reports are taken again.
    const filed = await call(reportAction, reportRequest(CHELSEA, { category: 'other', description: 'Pothole after subscribing', lat: '42.3918', lng: '-71.0328', locationSource: 'map' }));
    expect(filed.status).toBe(302);
    expect(subscription.metadata).toEqual({ town_id: String(chelsea.id), town_slug: 'chelsea' });
  });

  it('lets a town still in its grant subscribe with a trial that runs to the grant’s end', async () => {
    await getDatabase().db.update(towns).set({ grantEnd: addDays(today(), 20) }).where(eq(towns.id, chelsea.id));
    invalidateTownCaches();
    await postBilling(cookies.admin!, 'subscribe');
    const checkout = fake.calls.filter((c) => c.path === '/checkout/sessions').at(-1)!.form;
    const trialEnd = Number((checkout.subscription_data as Record<string, string>).trial_end);
    expect(new Date(trialEnd * 1000).toISOString().slice(0, 10)).toBe(addDays(today(), 20));
  });

  it('charges the configured Stripe Price when STRIPE_PRICE_ID is set', async () => {
    process.env.STRIPE_PRICE_ID = 'price_test_program';
    const local = createFakeStripe({ prices: { price_test_program: 520_000 } });
    server.use(...local.handlers);
    const page = await (await openBillingPage(cookies.admin!)).json();
    expect(page.billing.yearlyPriceCents).toBe(520_000);
    await postBilling(cookies.admin!, 'subscribe');
    expect(local.calls.find((c) => c.path === '/checkout/sessions')!.form.line_items).toEqual({ '0': { price: 'price_test_program', quantity: '1' } });
    server.resetHandlers();
  });

  it('opens the Customer Portal for a town that has a customer, and refuses to subscribe twice', async () => {
    const { session } = await subscribeAndPay();
    await deliver(stripeEvent('checkout.session.completed', session));
    const portal = await postBilling(cookies.admin!, 'manage');
    expect(portal.status).toBe(303);
    expect(portal.headers.get('Location')).toMatch(/^https:\/\/billing\.stripe\.com\//);
    expect(fake.calls.at(-1)!.form).toEqual({ customer: session.customer, return_url: `${CHELSEA}/admin/billing` });
    const again = await postBilling(cookies.admin!, 'subscribe');
    expect(again.status).toBe(409);
    expect((await again.json()).formError).toMatch(/already has a card subscription/);
  });

  it('heals a missed webhook when the admin opens the billing page', async () => {
    await subscribeAndPay();
    expect((await lifecycleNow()).state).toBe('lapsed');
    const page = await (await openBillingPage(cookies.admin!, '?checkout=success')).json();
    expect(page.billing.lifecycle.state).toBe('subscribed');
    expect((await lifecycleNow()).state).toBe('subscribed');
  });

  it('shows what was stored when Stripe cannot be reached, and says so', async () => {
    const { session } = await subscribeAndPay();
    await deliver(stripeEvent('checkout.session.completed', session));
    fake.setFailing(true);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const page = await (await openBillingPage(cookies.admin!)).json();
    expect(page.billing).toMatchObject({ stripeUnreachable: true, card: { status: 'active' } });
    const refused = await postBilling(cookies.admin!, 'manage');
    expect(refused.status).toBe(502);
    expect((await refused.json()).formError).toMatch(/Stripe could not be reached/);
    error.mockRestore();
  });
});

describe('after subscribing', () => {
  it('stays subscribed while Stripe retries a failed payment, and goes to grace, then lapse, when the retries end', async () => {
    const { session, subscription } = await subscribeAndPay();
    await deliver(stripeEvent('checkout.session.completed', session));
    const failedInvoice = invoiceObject({ subscription, status: 'open' });
    expect(await (await deliver(stripeEvent('invoice.payment_failed', failedInvoice))).json()).toMatchObject({ outcome: 'applied' });
    const [invoice] = await withTown(chelsea.id, (tx) => tx.select().from(townInvoices));
    expect(invoice).toMatchObject({ status: 'open', amountPaidCents: 0 });
    expect(invoice!.lastPaymentFailedAt).not.toBeNull();

    const pastDue = fake.updateSubscription(subscription.id, { status: 'past_due' });
    await deliver(stripeEvent('customer.subscription.updated', pastDue));
    expect(await lifecycleNow()).toMatchObject({ state: 'subscribed', renews: false });

    const unpaid = fake.updateSubscription(subscription.id, { status: 'unpaid' });
    await deliver(stripeEvent('customer.subscription.updated', unpaid));
    const grace = await lifecycleNow();
    expect(grace).toMatchObject({ state: 'grace', serviceEnded: today(), daysLeft: 60 });
    expect((await lifecycleNow(new Date(Date.now() + 61 * 86_400_000))).state).toBe('lapsed');
  });

  it('goes to grace when cancelled, then lapses; paying again restores it at once', async () => {
    const { session, subscription } = await subscribeAndPay();
    await deliver(stripeEvent('checkout.session.completed', session));
    const ended = Math.floor(Date.now() / 1000);
    await deliver(stripeEvent('customer.subscription.deleted', fake.updateSubscription(subscription.id, { status: 'canceled', endedAt: ended, canceledAt: ended })));
    expect((await lifecycleNow()).state).toBe('grace');
    expect((await lifecycleNow(new Date(Date.now() + 60 * 86_400_000 + 3_600_000))).state).toBe('lapsed');
    expect(await audits('billing.subscription_changed')).toBeGreaterThan(0);
    // The banner's link leads back here; a new subscription brings the town back.
    const again = await subscribeAndPay();
    await deliver(stripeEvent('checkout.session.completed', again.session));
    expect((await lifecycleNow()).state).toBe('subscribed');
  });

  it('records paid invoices as program revenue', async () => {
    const { session, subscription } = await subscribeAndPay();
    await deliver(stripeEvent('checkout.session.completed', session));
    await deliver(stripeEvent('invoice.paid', invoiceObject({ subscription, status: 'paid' })));
    const [invoice] = await withTown(chelsea.id, (tx) => tx.select().from(townInvoices));
    expect(invoice).toMatchObject({ status: 'paid', amountPaidCents: 490_000, currency: 'usd' });
    expect(await audits('billing.invoice_paid')).toBeGreaterThan(0);
  });
});

describe('the webhook endpoint', () => {
  it('applies a replayed event once', async () => {
    const { session } = await subscribeAndPay();
    const event = stripeEvent('checkout.session.completed', session);
    const started = await audits('billing.subscription_started');
    expect(await (await deliver(event)).json()).toMatchObject({ outcome: 'applied' });
    expect(await (await deliver(event)).json()).toMatchObject({ outcome: 'duplicate' });
    expect(await audits('billing.subscription_started')).toBe(started + 1);
    expect(await withBilling((tx) => tx.select().from(stripeEvents).where(eq(stripeEvents.id, event.id)))).toHaveLength(1);
  });

  it('never lets an older event undo a newer one', async () => {
    const { session, subscription } = await subscribeAndPay();
    await deliver(stripeEvent('checkout.session.completed', session));
    const ended = Math.floor(Date.now() / 1000);
    const cancelled = fake.updateSubscription(subscription.id, { status: 'canceled', endedAt: ended, canceledAt: ended });
    await deliver(stripeEvent('customer.subscription.deleted', cancelled, ended + 10));
    // An "active" update created before the cancellation arrives late.
    const late = await deliver(stripeEvent('customer.subscription.updated', { ...cancelled, status: 'active', ended_at: null }, ended - 3600));
    expect(await late.json()).toMatchObject({ outcome: 'stale' });
    expect((await lifecycleNow()).state).toBe('grace');
  });

  it('refuses a forged or altered signature with 400 and changes nothing', async () => {
    const { session } = await subscribeAndPay();
    const event = stripeEvent('checkout.session.completed', session);
    const forged = await call(webhookAction, signedWebhookRequest('http://localhost:3000/webhooks/stripe', event, 'whsec_someone_else'));
    expect(forged.status).toBe(400);
    const altered = await deliver(event, { tamper: (payload) => payload.replace(String(chelsea.id), '1') });
    expect(altered.status).toBe(400);
    const unsigned = await call(webhookAction, new Request('http://localhost:3000/webhooks/stripe', { method: 'POST', body: JSON.stringify(event) }));
    expect(unsigned.status).toBe(400);
    expect((await lifecycleNow()).state).toBe('lapsed');
    expect(await withBilling((tx) => tx.select().from(stripeEvents).where(eq(stripeEvents.id, event.id)))).toHaveLength(0);
  });

  it('records an event for a town it does not know, and changes nothing', async () => {
    const stranger = subscriptionObject({ customer: 'cus_test_stranger', metadata: { town_id: '999999' } });
    const response = await deliver(stripeEvent('customer.subscription.created', stranger));
    expect(await response.json()).toMatchObject({ outcome: 'unknown_town' });
    expect(await withBilling((tx) => tx.select().from(townSubscriptions).where(eq(townSubscriptions.stripeSubscriptionId, stranger.id)))).toHaveLength(0);
  });

  it('is not there when billing is not configured', async () => {
    delete process.env.STRIPE_WEBHOOK_SECRET;
    const response = await deliver(stripeEvent('customer.subscription.created', subscriptionObject({ customer: 'cus_x' })));
    expect(response.status).toBe(404);
  });
});

describe('without STRIPE_SECRET_KEY', () => {
  it('says billing is not configured, offers only the purchase-order path, and calls nobody', async () => {
    delete process.env.STRIPE_SECRET_KEY;
    const before = fake.calls.length;
    const page = await (await openBillingPage(cookies.admin!)).json();
    expect(page.billing).toMatchObject({ online: false, canSubscribe: false, canManage: false, yearlyPriceCents: 490_000 });
    const refused = await postBilling(cookies.admin!, 'subscribe');
    expect(refused.status).toBe(409);
    expect((await refused.json()).formError).toMatch(/not configured/);
    expect(fake.calls.length).toBe(before);
  });
});

describe('who may use the billing page', () => {
  it('only the town’s own admins; its staff, other towns’ admins, state staff and residents get 403', async () => {
    const [callsBefore, customersBefore] = [fake.calls.length, await audits('billing.customer_created')];
    const anonymous = await openBillingPage(null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('Location')).toMatch(/\/login/);
    for (const who of ['resident', 'staff', 'otherAdmin', 'state']) {
      expect((await openBillingPage(cookies[who]!)).status, who).toBe(403);
      expect((await postBilling(cookies[who]!, 'subscribe')).status, who).toBe(403);
    }
    expect((await openBillingPage(cookies.admin!)).status).toBe(200);
    expect(fake.calls.length).toBe(callsBefore);
    expect(await audits('billing.customer_created')).toBe(customersBefore);
  });
});
