import { randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { towns, webhookDeliveries, webhookEndpoints } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { WebhookEvent } from '#db/vocabulary';
import type { WebhookEndpointInput } from '~/modules/admin/admin-forms';
import { recordAuditBy } from '~/modules/audit/audit.server';
import { requestsDocument } from '~/modules/open311/documents';
import { open311RequestIn } from '~/modules/open311/requests.server';
import type { TownAdmin } from '~/utils/capabilities.server';
import { siteOrigin } from '~/utils/town.server';
import type { WebhookEventBody } from '~/utils/webhook-delivery.server';

export type WebhookEndpointSummary = { id: string; url: string; events: WebhookEvent[]; enabled: boolean; failingSince: Date | null; autoDisabledAt: Date | null; createdAt: Date };

/** The town's endpoints, newest first; the secret is never listed. */
export function listWebhookEndpoints(admin: TownAdmin): Promise<WebhookEndpointSummary[]> {
  return withTown(admin.town.id, (tx) =>
    tx
      .select({
        id: webhookEndpoints.id,
        url: webhookEndpoints.url,
        events: webhookEndpoints.events,
        enabled: webhookEndpoints.enabled,
        failingSince: webhookEndpoints.failingSince,
        autoDisabledAt: webhookEndpoints.autoDisabledAt,
        createdAt: webhookEndpoints.createdAt,
      })
      .from(webhookEndpoints)
      .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id)),
  );
}

/** Creates an endpoint and returns its signing secret, the only time anyone sees it. */
export async function createWebhookEndpoint(admin: TownAdmin, input: WebhookEndpointInput): Promise<{ id: string; secret: string }> {
  // Standard Webhooks' form: `whsec_` and the key in base64, which their verifiers decode.
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const id = uuidv7();
  await withTown(admin.town.id, async (tx) => {
    await tx.insert(webhookEndpoints).values({ townId: admin.town.id, id, url: input.url, events: input.events, secret, createdByUserId: admin.user.id });
    await recordAuditBy(tx, admin, { action: 'webhook.created', entityType: 'webhook_endpoint', entityId: id, after: { url: input.url, events: input.events } });
  });
  return { id, secret };
}

/** null: no such endpoint in the town. Enabling starts its failure record afresh. */
export function setWebhookEndpointEnabled(admin: TownAdmin, id: string, enabled: boolean): Promise<{ url: string } | null> {
  return withTown(admin.town.id, async (tx) => {
    const changes = enabled ? { enabled, failingSince: null, autoDisabledAt: null } : { enabled };
    const [row] = await tx.update(webhookEndpoints).set(changes).where(eq(webhookEndpoints.id, id)).returning({ url: webhookEndpoints.url });
    if (!row) return null;
    await recordAuditBy(tx, admin, { action: enabled ? 'webhook.enabled' : 'webhook.disabled', entityType: 'webhook_endpoint', entityId: id, after: { url: row.url } });
    return row;
  });
}

/** null: no such endpoint in the town. Its deliveries go with it. */
export function deleteWebhookEndpoint(admin: TownAdmin, id: string): Promise<{ url: string } | null> {
  return withTown(admin.town.id, async (tx) => {
    const [row] = await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning({ url: webhookEndpoints.url, events: webhookEndpoints.events });
    if (!row) return null;
    await recordAuditBy(tx, admin, { action: 'webhook.deleted', entityType: 'webhook_endpoint', entityId: id, before: { url: row.url, events: row.events } });
    return { url: row.url };
  });
}

/** What an event adds to the request's public document: the assignment, the reply, where it went, when it was due. */
export type WebhookEventDetail = Record<string, unknown>;

/**
 * One delivery per enabled endpoint of the town that wants `type`, in the caller's transaction: a
 * rolled-back change sends nothing. The payload is the request's public Open311 document, so a
 * withdrawn report (gone from every public view) is not announced.
 */
export async function enqueueRequestWebhooks(tx: Tx, townId: number, type: WebhookEvent, requestId: string, detail: WebhookEventDetail = {}, now = new Date()): Promise<void> {
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.enabled, true), sql`${type} = any(${webhookEndpoints.events})`));
  if (endpoints.length === 0) return;
  const request = await open311RequestIn(tx, requestId);
  if (!request) return;
  const [town] = await tx.select({ slug: towns.slug, timezone: towns.timezone }).from(towns).where(eq(towns.id, townId));
  const [serviceRequest] = requestsDocument([request], { timeZone: town!.timezone, origin: siteOrigin(town!.slug) }).body as object[];
  const event: WebhookEventBody = { id: uuidv7(), type, timestamp: now.toISOString(), data: { service_request: serviceRequest, ...detail } };
  await tx.insert(webhookDeliveries).values(endpoints.map((e) => ({ townId, id: uuidv7(), endpointId: e.id, eventId: event.id, eventType: type, event, nextAttemptAt: now })));
}
