import { lookup } from 'node:dns/promises';
import { Webhook } from 'standardwebhooks';
import { getEnv } from './env.server';
import { bareHost, isPrivateAddress, webhookUrlProblem } from './webhook-url';

/** What a town's systems receive: Standard Webhooks' `type`, `timestamp` and `data`, plus the event's id. */
export type WebhookEventBody = { id: string; type: string; timestamp: string; data: unknown };

/** The outcome of one attempt: `status` is the receiver's HTTP status, null when none came. */
export type WebhookAttempt = { delivered: boolean; status: number | null; error: string | null };

const TIMEOUT_MS = 10_000;

/**
 * The Standard Webhooks headers (https://www.standardwebhooks.com): `webhook-id` stays the same on
 * every retry and redelivery, so receivers deduplicate on it; the signature covers id, time and body.
 */
export function standardWebhookHeaders(secret: string, eventId: string, body: string, at: Date): Record<string, string> {
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(eventId, at, body),
  };
}

/** Null when the destination may be called; checked at send time too, because DNS can change after saving. */
async function destinationProblem(url: URL): Promise<string | null> {
  if (getEnv().WEBHOOK_LOCAL_RECEIVERS) return null;
  const host = bareHost(url.hostname);
  const addresses = isPrivateAddress(host) ? [{ address: host }] : await lookup(host, { all: true });
  return addresses.some((a) => isPrivateAddress(a.address)) ? `Refused: ${url.hostname} resolves to a private address` : null;
}

/**
 * POSTs one signed event. Never throws: every outcome is an attempt to record. Redirects are never
 * followed (a 3xx is a failure), and a receiver gets 10 seconds.
 */
export async function sendWebhook(destination: { url: string; secret: string }, event: WebhookEventBody, now: Date): Promise<WebhookAttempt> {
  const problem = webhookUrlProblem(destination.url, getEnv().WEBHOOK_LOCAL_RECEIVERS);
  if (problem) return { delivered: false, status: null, error: `Refused: the endpoint's URL is ${problem}` };
  try {
    const url = new URL(destination.url);
    const refused = await destinationProblem(url);
    if (refused) return { delivered: false, status: null, error: refused };
    const body = JSON.stringify(event);
    const response = await fetch(url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { 'Content-Type': 'application/json', ...standardWebhookHeaders(destination.secret, event.id, body, now) },
    });
    // The answer's body is not needed; releasing it frees the connection (not awaited: some stacks never settle it).
    void response.body?.cancel().catch(() => undefined);
    const delivered = response.status >= 200 && response.status < 300;
    return { delivered, status: response.status, error: delivered ? null : `The endpoint answered ${response.status}` };
  } catch (error) {
    return { delivered: false, status: null, error: error instanceof Error ? error.message : String(error) };
  }
}
