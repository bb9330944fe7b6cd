/**
 * Stripe for the browser journeys, inside the app server's own process: tests/e2e/server.ts starts
 * the server as `node --import tsx --import ./tests/e2e/stripe-double.ts build/index.js`, and this
 * module answers the `stripe` SDK's HTTP calls with the msw-backed fake the route tests use
 * (tests/mocks/stripe.ts), before the app's first request. The app itself is the production build,
 * unchanged; it only sees test keys.
 *
 * No request reaches Stripe: one for any *.stripe.com host that the fake does not answer fails
 * loudly (in the server log). Everything else (the dev mailbox, the database) passes through.
 *
 * The journey pays the way Stripe's Checkout would: its `checkout.session.completed` event names
 * the subscription `subscriptionIdFor(<session id>)`, and the app's read of that subscription
 * completes the session here (the test process cannot reach this fake's memory).
 */
import { setupServer } from 'msw/node';
import { createFakeStripe } from '../mocks/stripe';

if (!/^sk_test_/.test(process.env.STRIPE_SECRET_KEY ?? '')) {
  throw new Error('stripe-double: refusing to start without a test key (STRIPE_SECRET_KEY=sk_test_…)');
}

const fake = createFakeStripe();
const server = setupServer(...fake.handlers);
server.listen({
  onUnhandledRequest(request, print) {
    const { hostname } = new URL(request.url);
    if (hostname === 'stripe.com' || hostname.endsWith('.stripe.com')) print.error();
  },
});
process.once('exit', () => server.close());
console.log('stripe-double: the Stripe API is faked in this process (tests/mocks/stripe.ts)');
