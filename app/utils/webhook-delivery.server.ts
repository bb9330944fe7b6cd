import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '#db/schema';
import { withDelivery } from '#db/scope';
import { getEnv } from './env.server';
import { bareHost, isLocalTestHost, isPrivateAddress, webhookUrlProblem } from './webhook-url';

/** What the outbox keeps for one delivery: the endpoint is looked up when it is sent. */
export type WebhookMessage = { endpointId: string; event: { id: string; type: string; created_at: string; data: unknown } };

export const SIGNATURE_HEADER = 'X-Commonwealth-Connect-Signature';
export const EVENT_ID_HEADER = 'X-Commonwealth-Connect-Event-Id';
const TIMEOUT_MS = 10_000;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`: the time is signed, so an old delivery cannot be replayed later. */
export function webhookSignature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Refuses a host that resolves to a private address (checked at send time: DNS can change after saving). */
async function assertPublicDestination(url: URL, demoMode: boolean): Promise<void> {
  if (demoMode && isLocalTestHost(url.hostname)) return;
  const host = bareHost(url.hostname);
  const addresses = isPrivateAddress(host) ? [{ address: host }] : await lookup(host, { all: true });
  if (addresses.some((a) => isPrivateAddress(a.address))) throw new Error(`Refused: ${url.hostname} resolves to a private address`);
}

/**
 * Sends one event to its endpoint; throws on anything but a 2xx so the outbox retries. A disabled or
 * deleted endpoint gets nothing (the message counts as done). Redirects are never followed: a 3xx fails.
 */
export async function deliverWebhook(message: WebhookMessage, now: Date): Promise<void> {
  const [endpoint] = await withDelivery((tx) =>
    tx
      .select({ url: webhookEndpoints.url, secret: webhookEndpoints.secret })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, message.endpointId), eq(webhookEndpoints.enabled, true))),
  );
  if (!endpoint) return;
  const { DEMO_MODE } = getEnv();
  const problem = webhookUrlProblem(endpoint.url, DEMO_MODE);
  if (problem) throw new Error(`Refused: the endpoint's URL is ${problem}`);
  const url = new URL(endpoint.url);
  await assertPublicDestination(url, DEMO_MODE);
  const body = JSON.stringify(message.event);
  const response = await fetch(url, {
    method: 'POST',
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
    headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: webhookSignature(endpoint.secret, body, now), [EVENT_ID_HEADER]: message.event.id },
  });
  if (response.status < 200 || response.status >= 300) throw new Error(`Webhook endpoint answered ${response.status}`);
}
