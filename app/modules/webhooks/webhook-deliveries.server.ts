import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { towns, webhookDeliveries, webhookEndpoints } from '#db/schema';
import { withDelivery, withTown } from '#db/scope';
import type { WebhookDeliveryStatus, WebhookEvent } from '#db/vocabulary';
import { townAdminEmails } from '~/modules/admin/town-admins.server';
import { recordAudit, recordAuditBy } from '~/modules/audit/audit.server';
import { webhookDisabledEmail } from '~/modules/notifications/webhook-emails.server';
import type { TownAdmin } from '~/utils/capabilities.server';
import { enqueueTownEmails } from '~/utils/outbox.server';
import { siteOrigin } from '~/utils/town.server';
import { sendWebhook, type WebhookAttempt, type WebhookEventBody } from '~/utils/webhook-delivery.server';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** After the first attempt: 30 s, 2 min, 10 min, 30 min, then hourly doubling to 8 h, so the last try comes a day later. */
export const WEBHOOK_RETRY_DELAYS_MS = [MINUTE / 2, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 8 * HOUR] as const;
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;
/** An endpoint failing this long, without one success, is disabled and its admins are told. */
export const WEBHOOK_DISABLE_AFTER_MS = 24 * HOUR;
// Long enough for the 10 s timeout; a crashed worker's claim expires and another retries it.
const CLAIM_LEASE_MS = MINUTE;

type Claimed = { townId: number; id: string; endpointId: string; event: WebhookEventBody; attempts: number };

async function claimDueDeliveries(limit: number, now: Date): Promise<Claimed[]> {
  return withDelivery(async (tx) => {
    const due = await tx
      .select({ townId: webhookDeliveries.townId, id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, now)))
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const claimed = await tx
      .update(webhookDeliveries)
      .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS) })
      .where(inArray(webhookDeliveries.id, due.map((d) => d.id)))
      .returning({ townId: webhookDeliveries.townId, id: webhookDeliveries.id, endpointId: webhookDeliveries.endpointId, event: webhookDeliveries.event, attempts: webhookDeliveries.attempts });
    return claimed as Claimed[];
  });
}

/** The claimed deliveries' endpoints as they are now, in one read: a disabled or deleted one is absent, so it gets nothing more, even of what was queued. */
async function enabledEndpointsOf(deliveries: Claimed[]) {
  if (deliveries.length === 0) return new Map<string, { url: string; secret: string }>();
  const rows = await withDelivery((tx) =>
    tx
      .select({ townId: webhookEndpoints.townId, id: webhookEndpoints.id, url: webhookEndpoints.url, secret: webhookEndpoints.secret })
      .from(webhookEndpoints)
      .where(and(inArray(webhookEndpoints.id, [...new Set(deliveries.map((d) => d.endpointId))]), eq(webhookEndpoints.enabled, true))),
  );
  return new Map(rows.map((e) => [`${e.townId}:${e.id}`, { url: e.url, secret: e.secret }]));
}

/** Records one attempt on the delivery and the endpoint's failure record; true when the endpoint has failed for a day. */
async function recordAttempt(delivery: Claimed, attempt: WebhookAttempt, now: Date): Promise<boolean> {
  const gaveUp = !attempt.delivered && delivery.attempts >= WEBHOOK_MAX_ATTEMPTS;
  const status: WebhookDeliveryStatus = attempt.delivered ? 'delivered' : gaveUp ? 'failed' : 'pending';
  return withDelivery(async (tx) => {
    await tx
      .update(webhookDeliveries)
      .set({
        status,
        lastAttemptAt: now,
        lastResponseStatus: attempt.status,
        lastError: attempt.error,
        deliveredAt: attempt.delivered ? now : null,
        nextAttemptAt: status === 'pending' ? new Date(now.getTime() + WEBHOOK_RETRY_DELAYS_MS[delivery.attempts - 1]!) : now,
      })
      .where(and(eq(webhookDeliveries.townId, delivery.townId), eq(webhookDeliveries.id, delivery.id)));
    const endpoint = and(eq(webhookEndpoints.townId, delivery.townId), eq(webhookEndpoints.id, delivery.endpointId));
    if (attempt.delivered) {
      await tx.update(webhookEndpoints).set({ failingSince: null }).where(endpoint);
      return false;
    }
    const [failing] = await tx
      .update(webhookEndpoints)
      .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now.toISOString()}::timestamptz)` })
      .where(endpoint)
      .returning({ since: webhookEndpoints.failingSince });
    return failing?.since ? now.getTime() - failing.since.getTime() >= WEBHOOK_DISABLE_AFTER_MS : false;
  });
}

/**
 * Disables an endpoint that has failed for a day, inside its town's scope, and tells the town's
 * admins once: only the process whose update still found it enabled sends the email.
 */
async function disableFailingEndpoint(townId: number, endpointId: string, now: Date): Promise<void> {
  await withTown(townId, async (tx) => {
    const [disabled] = await tx
      .update(webhookEndpoints)
      .set({ enabled: false, autoDisabledAt: now })
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.enabled, true)))
      .returning({ url: webhookEndpoints.url, failingSince: webhookEndpoints.failingSince });
    if (!disabled) return;
    await recordAudit(tx, townId, { actorUserId: null, action: 'webhook.auto_disabled', entityType: 'webhook_endpoint', entityId: endpointId, after: { url: disabled.url, failingSince: disabled.failingSince } });
    const [town] = await tx.select({ name: towns.name, slug: towns.slug, timezone: towns.timezone }).from(towns).where(eq(towns.id, townId));
    const link = `${siteOrigin(town!.slug)}/admin/webhooks/${endpointId}`;
    const admins = await townAdminEmails(tx, townId);
    await enqueueTownEmails(
      tx,
      townId,
      admins.map((to) => webhookDisabledEmail(to, { townName: town!.name, url: disabled.url, since: disabled.failingSince ?? now, timeZone: town!.timezone, link })),
    );
  });
}

/**
 * The webhooks' worker (app/background-workers.server.ts): sends what is due, retries failures on
 * WEBHOOK_RETRY_DELAYS_MS for a day, and disables an endpoint that has failed for a day.
 */
export async function deliverDueWebhooks({ limit = 20, now = new Date() } = {}): Promise<{ delivered: number; failed: number; skipped: number }> {
  const counts = { delivered: 0, failed: 0, skipped: 0 };
  const claimed = await claimDueDeliveries(limit, now);
  const endpoints = await enabledEndpointsOf(claimed);
  for (const delivery of claimed) {
    const endpoint = endpoints.get(`${delivery.townId}:${delivery.endpointId}`);
    if (!endpoint) {
      await withDelivery((tx) =>
        tx
          .update(webhookDeliveries)
          .set({ status: 'skipped', lastError: null, nextAttemptAt: now })
          .where(and(eq(webhookDeliveries.townId, delivery.townId), eq(webhookDeliveries.id, delivery.id))),
      );
      counts.skipped++;
      continue;
    }
    const attempt = await sendWebhook(endpoint, delivery.event, now);
    counts[attempt.delivered ? 'delivered' : 'failed']++;
    if (await recordAttempt(delivery, attempt, now)) {
      await disableFailingEndpoint(delivery.townId, delivery.endpointId, now);
      // The rest of this batch sees it as off, as the next batch will.
      endpoints.delete(`${delivery.townId}:${delivery.endpointId}`);
    }
  }
  return counts;
}

export type WebhookDeliveryRow = {
  id: string;
  eventId: string;
  eventType: WebhookEvent;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastAttemptAt: Date | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  redelivery: boolean;
  createdAt: Date;
};

export const DELIVERIES_PER_PAGE = 50;

/** An endpoint and its deliveries, newest first; null when the town has no such endpoint. */
export async function listWebhookDeliveries(admin: TownAdmin, endpointId: string, page: number) {
  return withTown(admin.town.id, async (tx) => {
    const [endpoint] = await tx
      .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, events: webhookEndpoints.events, enabled: webhookEndpoints.enabled, failingSince: webhookEndpoints.failingSince, autoDisabledAt: webhookEndpoints.autoDisabledAt })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, endpointId));
    if (!endpoint) return null;
    const rows = await tx
      .select({
        id: webhookDeliveries.id,
        eventId: webhookDeliveries.eventId,
        eventType: webhookDeliveries.eventType,
        status: webhookDeliveries.status,
        attempts: webhookDeliveries.attempts,
        lastAttemptAt: webhookDeliveries.lastAttemptAt,
        lastResponseStatus: webhookDeliveries.lastResponseStatus,
        lastError: webhookDeliveries.lastError,
        nextAttemptAt: webhookDeliveries.nextAttemptAt,
        redeliveryOfId: webhookDeliveries.redeliveryOfId,
        createdAt: webhookDeliveries.createdAt,
      })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpointId))
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(DELIVERIES_PER_PAGE + 1)
      .offset((page - 1) * DELIVERIES_PER_PAGE);
    const deliveries: WebhookDeliveryRow[] = rows.slice(0, DELIVERIES_PER_PAGE).map(({ redeliveryOfId, nextAttemptAt, ...row }) => ({
      ...row,
      redelivery: redeliveryOfId !== null,
      nextAttemptAt: row.status === 'pending' ? nextAttemptAt : null,
    }));
    return { endpoint, deliveries, hasMore: rows.length > DELIVERIES_PER_PAGE };
  });
}

export type RedeliveryResult = { ok: true; eventType: WebhookEvent } | { ok: false; reason: 'not_found' | 'endpoint_disabled' };

/** Queues the same event (same `webhook-id`) again for its endpoint, by hand; audited. */
export function redeliverWebhook(admin: TownAdmin, deliveryId: string, now = new Date()): Promise<RedeliveryResult> {
  return withTown(admin.town.id, async (tx) => {
    const [original] = await tx
      .select({ endpointId: webhookDeliveries.endpointId, eventId: webhookDeliveries.eventId, eventType: webhookDeliveries.eventType, event: webhookDeliveries.event, enabled: webhookEndpoints.enabled })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, and(eq(webhookEndpoints.townId, webhookDeliveries.townId), eq(webhookEndpoints.id, webhookDeliveries.endpointId)))
      .where(eq(webhookDeliveries.id, deliveryId));
    if (!original) return { ok: false, reason: 'not_found' };
    if (!original.enabled) return { ok: false, reason: 'endpoint_disabled' };
    const id = uuidv7();
    await tx.insert(webhookDeliveries).values({ townId: admin.town.id, id, endpointId: original.endpointId, eventId: original.eventId, eventType: original.eventType, event: original.event, nextAttemptAt: now, redeliveryOfId: deliveryId });
    await recordAuditBy(tx, admin, { action: 'webhook.redelivered', entityType: 'webhook_endpoint', entityId: original.endpointId, after: { eventId: original.eventId, eventType: original.eventType, deliveryId: id } });
    return { ok: true, eventType: original.eventType };
  });
}
