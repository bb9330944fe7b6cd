import type { ActionFunctionArgs } from '@remix-run/node';
import { applyStripeEvent } from '~/modules/billing/stripe-webhooks.server';
import { areStripeWebhooksConfigured, verifyStripeWebhook } from '~/utils/stripe.server';

/*
 * Stripe's webhook endpoint (docs/decisions/0019). The body is read raw, exactly as signed; an
 * event whose signature does not verify changes nothing. A failure to apply answers 500, so
 * Stripe delivers the event again later.
 */
const answer = (status: number, body: Record<string, unknown>) => Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });

export async function loader() {
  return answer(405, { error: 'method_not_allowed' });
}

export async function action({ request }: ActionFunctionArgs) {
  if (!areStripeWebhooksConfigured()) return answer(404, { error: 'billing_not_configured' });
  const event = verifyStripeWebhook(await request.text(), request.headers.get('stripe-signature'));
  if (!event) return answer(400, { error: 'invalid_signature' });
  const outcome = await applyStripeEvent(event);
  return answer(200, { received: true, outcome });
}
