import { randomBytes } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import Stripe from 'stripe';

/*
 * Stripe's API as the `stripe` SDK sees it, with just enough state for billing: customers,
 * Checkout Sessions, subscriptions, portal sessions and prices. msw answers the SDK's real HTTP
 * calls, so the SDK's own code (encoding, retries, idempotency keys, error types) runs.
 */
const API = 'https://api.stripe.com/v1';
const id = (prefix: string) => `${prefix}_test_${randomBytes(8).toString('hex')}`;
const now = () => Math.floor(Date.now() / 1000);
const YEAR = 365 * 86_400;

export type StripeCall = { method: string; path: string; form: Record<string, unknown>; idempotencyKey: string | null };

/** Stripe's form encoding (`a[b][0][c]=d`) back into objects and arrays. */
function decodeForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return root;
}

export function subscriptionObject(fields: {
  id?: string;
  customer: string;
  metadata?: Record<string, string>;
  status?: Stripe.Subscription.Status;
  periodStart?: number;
  periodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  endedAt?: number | null;
  canceledAt?: number | null;
}): Stripe.Subscription {
  const start = fields.periodStart ?? now();
  return {
    id: fields.id ?? id('sub'),
    object: 'subscription',
    customer: fields.customer,
    metadata: fields.metadata ?? {},
    status: fields.status ?? 'active',
    start_date: start,
    cancel_at_period_end: fields.cancelAtPeriodEnd ?? false,
    canceled_at: fields.canceledAt ?? null,
    ended_at: fields.endedAt ?? null,
    items: { object: 'list', data: [{ id: id('si'), object: 'subscription_item', current_period_start: start, current_period_end: fields.periodEnd ?? start + YEAR }], has_more: false, url: '/v1/subscription_items' },
  } as unknown as Stripe.Subscription;
}

export function invoiceObject(fields: { subscription: Stripe.Subscription; status: 'paid' | 'open'; amount?: number; paidAt?: number }): Stripe.Invoice {
  const amount = fields.amount ?? 490_000;
  return {
    id: id('in'),
    object: 'invoice',
    customer: fields.subscription.customer,
    status: fields.status,
    amount_due: amount,
    amount_paid: fields.status === 'paid' ? amount : 0,
    currency: 'usd',
    hosted_invoice_url: 'https://invoice.stripe.com/i/test',
    status_transitions: { paid_at: fields.status === 'paid' ? (fields.paidAt ?? now()) : null },
    parent: { type: 'subscription_details', quote_details: null, subscription_details: { subscription: fields.subscription.id, metadata: fields.subscription.metadata } },
  } as unknown as Stripe.Invoice;
}

const PAID_SESSION_PREFIX = 'sub_for_';

/**
 * The id of the subscription that paying Checkout Session `sessionId` creates. Retrieving it from
 * the fake completes that session first, so a process that cannot call `completeCheckout` (the
 * browser journeys, whose app server holds the fake) pays by naming it in its
 * `checkout.session.completed` event.
 */
export const subscriptionIdFor = (sessionId: string) => `${PAID_SESSION_PREFIX}${sessionId}`;

export type FakeStripe = ReturnType<typeof createFakeStripe>;

export function createFakeStripe(options: { prices?: Record<string, number> } = {}) {
  const customers = new Map<string, Record<string, unknown>>();
  const sessions = new Map<string, Record<string, unknown> & { id: string; customer: string; metadata: Record<string, string> }>();
  const subscriptions = new Map<string, Stripe.Subscription>();
  const calls: StripeCall[] = [];
  /** While set, every API call answers 500 (Stripe down). */
  let failing = false;

  const record = async (request: Request, path: string) => {
    const form = request.method === 'GET' ? Object.fromEntries(new URL(request.url).searchParams) : decodeForm(await request.text());
    calls.push({ method: request.method, path, form, idempotencyKey: request.headers.get('Idempotency-Key') });
    return form;
  };
  const down = () => HttpResponse.json({ error: { type: 'api_error', message: 'Stripe is down' } }, { status: 500 });
  const missing = (what: string) => HttpResponse.json({ error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } }, { status: 404 });

  /** The admin pays on Checkout: the session completes and its subscription exists at Stripe. */
  function completeCheckout(sessionId: string, fields: { status?: Stripe.Subscription.Status; subscriptionId?: string } = {}) {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`no checkout session ${sessionId}`);
    const subscription = subscriptionObject({ id: fields.subscriptionId, customer: session.customer, metadata: session.metadata, status: fields.status ?? 'active' });
    subscriptions.set(subscription.id, subscription);
    const completed = { ...session, status: 'complete', subscription: subscription.id };
    sessions.set(sessionId, completed);
    return { session: completed as unknown as Stripe.Checkout.Session, subscription };
  }

  const handlers = [
    http.post(`${API}/customers`, async ({ request }) => {
      const form = await record(request, '/customers');
      if (failing) return down();
      const customer = { id: id('cus'), object: 'customer', ...form };
      customers.set(customer.id, customer);
      return HttpResponse.json(customer);
    }),
    http.post(`${API}/checkout/sessions`, async ({ request }) => {
      const form = await record(request, '/checkout/sessions');
      if (failing) return down();
      const sessionId = id('cs');
      const session = {
        ...form,
        id: sessionId,
        object: 'checkout.session',
        customer: String(form.customer),
        metadata: (form.metadata ?? {}) as Record<string, string>,
        subscription: null,
        status: 'open',
        url: `https://checkout.stripe.com/c/pay/${sessionId}`,
      };
      sessions.set(sessionId, session);
      return HttpResponse.json(session);
    }),
    http.get(`${API}/subscriptions/:id`, async ({ request, params }) => {
      const subscriptionId = String(params.id);
      await record(request, `/subscriptions/${subscriptionId}`);
      if (failing) return down();
      // The subscription an open session's payment makes (see `subscriptionIdFor`): paying completes the session.
      const sessionId = subscriptionId.startsWith(PAID_SESSION_PREFIX) ? subscriptionId.slice(PAID_SESSION_PREFIX.length) : undefined;
      if (!subscriptions.has(subscriptionId) && sessionId && sessions.get(sessionId)?.status === 'open') completeCheckout(sessionId, { subscriptionId });
      const subscription = subscriptions.get(subscriptionId);
      return subscription ? HttpResponse.json(subscription) : missing('subscription');
    }),
    http.get(`${API}/subscriptions`, async ({ request }) => {
      const form = await record(request, '/subscriptions');
      if (failing) return down();
      const data = [...subscriptions.values()].filter((s) => s.customer === form.customer);
      return HttpResponse.json({ object: 'list', data, has_more: false, url: '/v1/subscriptions' });
    }),
    http.post(`${API}/billing_portal/sessions`, async ({ request }) => {
      const form = await record(request, '/billing_portal/sessions');
      if (failing) return down();
      return HttpResponse.json({ id: id('bps'), object: 'billing_portal.session', customer: form.customer, return_url: form.return_url, url: `https://billing.stripe.com/p/session/${id('ps')}` });
    }),
    http.get(`${API}/prices/:id`, async ({ request, params }) => {
      await record(request, `/prices/${String(params.id)}`);
      const amount = options.prices?.[String(params.id)];
      return amount === undefined ? missing('price') : HttpResponse.json({ id: params.id, object: 'price', unit_amount: amount, currency: 'usd', recurring: { interval: 'year' } });
    }),
  ];

  return {
    handlers,
    calls,
    customers,
    sessions,
    subscriptions,
    setFailing(value: boolean) {
      failing = value;
    },
    completeCheckout,
    /** Changes a subscription at Stripe (a renewal, a failed payment, a cancellation) and returns it. */
    updateSubscription(subscriptionId: string, patch: Parameters<typeof subscriptionObject>[0] extends infer F ? Partial<F> : never) {
      const current = subscriptions.get(subscriptionId);
      if (!current) throw new Error(`no subscription ${subscriptionId}`);
      const item = current.items.data[0]!;
      const next = subscriptionObject({
        id: current.id,
        customer: String(current.customer),
        metadata: current.metadata,
        status: current.status,
        periodStart: item.current_period_start,
        periodEnd: item.current_period_end,
        cancelAtPeriodEnd: current.cancel_at_period_end,
        endedAt: current.ended_at,
        canceledAt: current.canceled_at,
        ...patch,
      });
      subscriptions.set(subscriptionId, next);
      return next;
    },
  };
}

let eventCount = 0;

/** An event as Stripe would send it. `created` (seconds) orders events; it defaults to now. */
export function stripeEvent<T extends Stripe.Event.Type>(type: T, object: unknown, created = now()): Stripe.Event {
  return { id: `evt_test_${++eventCount}_${randomBytes(4).toString('hex')}`, object: 'event', type, created, api_version: Stripe.API_VERSION, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object } } as unknown as Stripe.Event;
}

/** The request Stripe sends to the webhook endpoint, signed with the SDK's test header helper. */
export function signedWebhookRequest(url: string, event: Stripe.Event, secret: string, options: { tamper?: (payload: string) => string } = {}): Request {
  const payload = JSON.stringify(event);
  const header = new Stripe('sk_test_signing').webhooks.generateTestHeaderString({ payload, secret });
  return new Request(url, { method: 'POST', body: options.tamper ? options.tamper(payload) : payload, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': header } });
}
