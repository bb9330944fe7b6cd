import Stripe from 'stripe';
import { getEnv } from './env.server';

/*
 * The Stripe adapter: the one place that knows the secret key. Without STRIPE_SECRET_KEY billing
 * is "not configured" (purchase orders only) and no request leaves the machine.
 */
let cached: { key: string; client: Stripe } | undefined;

export function stripeClient(): Stripe | null {
  const key = getEnv().STRIPE_SECRET_KEY;
  if (!key) return null;
  if (cached?.key !== key) {
    cached = { key, client: new Stripe(key, { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: 'Commonwealth Connect' } }) };
  }
  return cached.client;
}

export type StripeWebhookEvent = Stripe.Event;

/**
 * The event Stripe signed, or null when the signature (STRIPE_WEBHOOK_SECRET) does not verify:
 * a forged, altered or replayed-too-late payload. `rawBody` is the body exactly as received.
 */
export function verifyStripeWebhook(rawBody: string, signature: string | null): Stripe.Event | null {
  const client = stripeClient();
  const secret = getEnv().STRIPE_WEBHOOK_SECRET;
  if (!client || !secret || !signature) return null;
  try {
    return client.webhooks.constructEvent(rawBody, signature, secret);
  } catch {
    return null;
  }
}

export function isStripeConfigured(): boolean {
  return stripeClient() !== null;
}

/** Webhooks need the signing secret as well as the key; without it the endpoint is not there. */
export function areStripeWebhooksConfigured(): boolean {
  return stripeClient() !== null && Boolean(getEnv().STRIPE_WEBHOOK_SECRET);
}

export type { Stripe };
