/**
 * Billing: the admin of a town whose service has lapsed (the demo's Chelsea) subscribes by card.
 * Stripe is the msw fake inside the app server (tests/e2e/stripe-double.ts); Checkout is a tiny
 * page this file serves at https://checkout.stripe.com with `route`, whose Pay button sends the
 * signed `checkout.session.completed` webhook Stripe would send, then returns to the success URL.
 *
 * Chelsea's state changes here (lapsed, then subscribed), and the server is shared by every spec:
 * only this file looks at Chelsea, and its tests run in order.
 */
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from '@playwright/test';
import { signedWebhookRequest, stripeEvent, subscriptionIdFor } from '../mocks/stripe';
import { test } from './fixtures';
import { apex, assertAccessible, CHELSEA_CITY_HALL, fileReport, h1, near, open, rawRequest, signIn, town } from './helpers';
import { STRIPE_TEST_ENV } from './server';

test.describe.configure({ mode: 'serial' });

const ADMIN = 'admin.chelsea@demo.test';
const BILLING = () => `${town('chelsea')}/admin/billing`;
/** Where the app sends Stripe's Checkout back to (it builds them from the configuration; the route tests check them). */
const SUCCESS_URL = () => `${BILLING()}?checkout=success`;
const CANCEL_URL = () => `${BILLING()}?checkout=cancelled`;
const CHECKOUT = /^https:\/\/checkout\.stripe\.com\/c\/pay\/(cs_test_[0-9a-f]+)$/;

const lapsedBanner = (page: Page) => page.getByRole('heading', { level: 2, name: /^Chelsea's service stopped on / });

/** The resident's view of Chelsea's report form while the service is lapsed: no form, the town's own contact details instead. */
async function reportFormIsClosed(page: Page): Promise<void> {
  assert.equal(await open(page, `${town('chelsea')}/report`), 200);
  await page.getByRole('heading', { level: 2, name: 'Chelsea is not taking reports here at the moment' }).waitFor();
  // Chelsea has published no phone, email or website, so the notice says that (and 911).
  await page.getByText('Chelsea has not published its contact details here yet. For emergencies call 911.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Send report' }).count(), 0, 'a lapsed town shows the report form');
}

/** The admin's consoles, /staff and /admin, with or without the lapsed banner. */
async function consolesShowBanner(page: Page, shown: boolean): Promise<void> {
  for (const [path, heading] of [
    ['/staff', 'Chelsea staff console'],
    ['/admin', 'Chelsea administration'],
  ] as const) {
    assert.equal(await open(page, `${town('chelsea')}${path}`), 200, path);
    assert.equal(await h1(page), heading);
    if (shown) {
      await lapsedBanner(page).waitFor();
      await page.getByRole('link', { name: 'Subscribe to keep the service running' }).waitFor();
    } else {
      assert.equal(await lapsedBanner(page).count(), 0, `the lapsed banner is still on ${path}`);
      assert.equal(await page.getByRole('link', { name: 'Subscribe to keep the service running' }).count(), 0, `the subscribe link is still on ${path}`);
    }
  }
}

/** Stripe sends the webhook: a signed `checkout.session.completed` for the paid session, to the statewide host. */
async function deliverCheckoutCompleted(sessionId: string): Promise<void> {
  // What Stripe's event carries that this process knows. The app reads the subscription back from
  // Stripe, whose metadata names the town; the fake completes the session as that read arrives.
  const session = {
    id: sessionId,
    object: 'checkout.session',
    mode: 'subscription',
    status: 'complete',
    payment_status: 'paid',
    subscription: subscriptionIdFor(sessionId),
    customer: null,
    client_reference_id: null,
    success_url: SUCCESS_URL(),
    cancel_url: CANCEL_URL(),
  };
  const signed = signedWebhookRequest(`${apex()}/webhooks/stripe`, stripeEvent('checkout.session.completed', session), STRIPE_TEST_ENV.STRIPE_WEBHOOK_SECRET);
  const body = await signed.text();
  const { status, body: answer } = await rawRequest({
    host: 'connect.test',
    path: '/webhooks/stripe',
    method: 'POST',
    headers: { 'Content-Type': signed.headers.get('content-type')!, 'Stripe-Signature': signed.headers.get('stripe-signature')!, 'Content-Length': Buffer.byteLength(body) },
    body,
  });
  assert.equal(status, 200, `the webhook answered ${status}: ${answer}`);
  assert.deepEqual(JSON.parse(answer), { received: true, outcome: 'applied' });
}

/**
 * Stripe Checkout, as far as the journey needs it: /c/pay/<session> is a page with Pay (the webhook,
 * then a 303 to the success URL) and a way back (the cancel URL). Any other Stripe address fails
 * the test: the browser must never reach Stripe for real.
 */
async function serveCheckout(context: BrowserContext): Promise<{ paid: string[]; strays: string[] }> {
  const paid: string[] = [];
  const strays: string[] = [];
  await context.route(/^https:\/\/([a-z0-9-]+\.)*stripe\.com\//, async (route) => {
    strays.push(`${route.request().method()} ${route.request().url()}`);
    await route.abort('blockedbyclient');
  });
  await context.route(/^https:\/\/checkout\.stripe\.com\/c\/pay\//, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const sessionId = CHECKOUT.exec(`${url.origin}${url.pathname}`)?.[1];
    if (!sessionId) return route.fulfill({ status: 404, contentType: 'text/plain', body: 'No such Checkout Session' });
    if (request.method() === 'POST') {
      paid.push(sessionId);
      await deliverCheckoutCompleted(sessionId);
      return route.fulfill({ status: 303, headers: { Location: SUCCESS_URL() } });
    }
    return route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Checkout (test double)</title></head>
  <body>
    <main>
      <h1>Subscribe to Commonwealth Connect</h1>
      <p>Test double of Stripe Checkout for session ${sessionId}.</p>
      <form method="post"><button type="submit">Pay</button></form>
      <p><a href="${CANCEL_URL()}">Back to Chelsea</a></p>
    </main>
  </body>
</html>`,
    });
  });
  return { paid, strays };
}

/** Press Subscribe on the billing page: the app answers with a redirect to Checkout, and the browser lands there. Returns the session id. */
async function subscribe(page: Page): Promise<string> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/admin/billing'),
    page.getByRole('button', { name: 'Subscribe', exact: true }).click(),
  ]);
  // Natively posted, a 303 to Checkout; through Remix's fetch, a 204 carrying the redirect for the client to follow.
  const location = response.status() === 303 ? response.headers().location : response.headers()['x-remix-redirect'];
  assert.ok(response.status() === 303 || response.status() === 204, `Subscribe answered ${response.status()}`);
  assert.match(location ?? '', CHECKOUT, `Subscribe redirected to ${location}`);
  await page.waitForURL(CHECKOUT);
  await page.getByRole('heading', { level: 1, name: 'Subscribe to Commonwealth Connect' }).waitFor();
  return CHECKOUT.exec(page.url())![1]!;
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the lapsed town’s admin posts Subscribe and the 303 takes the browser to Checkout; coming back without paying changes nothing', async ({ page, context }) => {
    const checkout = await serveCheckout(context);
    await reportFormIsClosed(page);

    await signIn(page, town('chelsea'), ADMIN);
    await consolesShowBanner(page, true);
    await page.getByRole('link', { name: 'Subscribe to keep the service running' }).click();
    await page.waitForURL(BILLING());
    await page.getByRole('heading', { level: 1, name: 'Chelsea: billing' }).waitFor();
    await page.getByText('The town has no card subscription.').waitFor();

    // The form's action is the app; the Content-Security-Policy's form-action must let the redirect go on to Stripe.
    await subscribe(page);
    await page.getByRole('link', { name: 'Back to Chelsea' }).click();
    await page.waitForURL(CANCEL_URL());
    await page.getByRole('status').getByText('Checkout was cancelled; nothing was charged.').waitFor();
    await lapsedBanner(page).waitFor();
    await page.getByRole('button', { name: 'Subscribe', exact: true }).waitFor();
    assert.deepEqual(checkout, { paid: [], strays: [] });
  });
});

test('the lapsed town’s admin subscribes on Checkout; the webhook restores the service and the report form', async ({ page, context, newPerson, stamp }) => {
  const resident = await newPerson();
  await reportFormIsClosed(resident);

  const checkout = await serveCheckout(context);
  await signIn(page, town('chelsea'), ADMIN);
  await consolesShowBanner(page, true);
  await page.getByRole('link', { name: 'Subscribe to keep the service running' }).click();
  await page.waitForURL(BILLING());
  await page.getByRole('heading', { level: 1, name: 'Chelsea: billing' }).waitFor();
  await page.getByText(/^Lapsed The service stopped on /).waitFor();
  await assertAccessible(page);

  const sessionId = await subscribe(page);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(SUCCESS_URL());
  assert.deepEqual(checkout, { paid: [sessionId], strays: [] });

  // The webhook came before the browser: the page says the subscription is active, not "being confirmed".
  await page.getByRole('status').getByText('Thank you: your subscription is active.').waitFor();
  await page.getByText(/^Subscribed Renews on /).waitFor();
  await page.getByText(/^Active\. Renews on /).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Subscribe', exact: true }).count(), 0, 'Subscribe is still offered');
  await page.getByRole('button', { name: 'Manage billing' }).waitFor();
  assert.equal(await lapsedBanner(page).count(), 0, 'the lapsed banner is still on the billing page');
  await assertAccessible(page);
  await consolesShowBanner(page, false);

  // The resident's form takes reports again.
  await fileReport(resident, 'chelsea', 'Chelsea', {
    category: 'pothole',
    description: `Pothole on Broadway by City Hall, reported once Chelsea subscribed (${stamp}).`,
    email: `e2e-chelsea-${stamp}@example.com`,
    ...near(CHELSEA_CITY_HALL),
  });
});
