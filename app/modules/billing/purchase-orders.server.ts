import { and, eq, isNull, sql } from 'drizzle-orm';
import { isUuid, uuidv7 } from '#db/ids';
import { townSubscriptions } from '#db/schema';
import { enterTown, withProgramAdministration, type Tx } from '#db/scope';
import { recordAudit } from '~/modules/audit/audit.server';
import type { StateStaff } from '~/utils/capabilities.server';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import type { TownProfile } from '~/utils/town-profile.server';
import type { PurchaseOrderInput } from './purchase-order-form';

/*
 * Purchase orders (docs/decisions/0019): a town that pays by invoice or purchase order has state
 * staff record the order as a subscription of source `purchase_order`. The lifecycle reads it from
 * the town profiles like a card subscription, so the town is `subscribed` for the order's period
 * with nothing else to switch. `app_program` may insert such rows and set only their end (the
 * policy keeps it away from card subscriptions); the audit entry is written as the town, in the
 * same transaction.
 */

/** A day's local midnight in the town's time zone, computed by PostgreSQL (DST included). */
const townMidnight = (day: string, town: TownProfile) => sql`${day}::timestamp at time zone ${town.timezone}`;

/** Continues the program's transaction as the town, to write the entry in the town's own audit log. */
async function auditOrder(tx: Tx, stateStaff: StateStaff, town: TownProfile, id: string, entry: { action: string; before?: unknown; after: unknown }): Promise<void> {
  await enterTown(tx, town.id);
  await recordAudit(tx, town.id, { actorUserId: stateStaff.user.id, entityType: 'purchase_order', entityId: id, ...entry });
}

/** Records the order; the town counts as subscribed from `periodStart` up to (not including) `periodEnd`. */
export async function recordPurchaseOrder(stateStaff: StateStaff, town: TownProfile, input: PurchaseOrderInput): Promise<{ id: string }> {
  const id = uuidv7();
  await withProgramAdministration(async (tx) => {
    await tx.insert(townSubscriptions).values({
      townId: town.id,
      id,
      source: 'purchase_order',
      status: 'active',
      periodStart: townMidnight(input.periodStart, town),
      periodEnd: townMidnight(input.periodEnd, town),
      purchaseOrderNumber: input.number,
      amountCents: input.amountCents,
      recordedBy: stateStaff.user.id,
    });
    await auditOrder(tx, stateStaff, town, id, {
      action: 'billing.purchase_order_recorded',
      after: { number: input.number, periodStart: input.periodStart, periodEnd: input.periodEnd, timezone: town.timezone, amountCents: input.amountCents },
    });
  });
  invalidateTownCaches();
  return { id };
}

export type VoidPurchaseOrderResult = { ok: true } | { ok: false; code: 'not_found' | 'already_voided' };

/**
 * Voids an order: the service it paid for stops now (its `ended_at`), and the lifecycle moves on to
 * grace or lapse as if the period had ended today. An order already voided is left as it is.
 */
export async function voidPurchaseOrder(stateStaff: StateStaff, town: TownProfile, id: string, reason: string, now = new Date()): Promise<VoidPurchaseOrderResult> {
  if (!isUuid(id)) return { ok: false, code: 'not_found' };
  const result = await withProgramAdministration(async (tx): Promise<VoidPurchaseOrderResult> => {
    const thisOrder = and(eq(townSubscriptions.townId, town.id), eq(townSubscriptions.id, id), eq(townSubscriptions.source, 'purchase_order'));
    const [voided] = await tx
      .update(townSubscriptions)
      .set({ endedAt: now, updatedAt: now })
      .where(and(thisOrder, isNull(townSubscriptions.endedAt)))
      .returning({ number: townSubscriptions.purchaseOrderNumber });
    if (!voided) {
      const [order] = await tx.select({ id: townSubscriptions.id }).from(townSubscriptions).where(thisOrder);
      return { ok: false, code: order ? 'already_voided' : 'not_found' };
    }
    await auditOrder(tx, stateStaff, town, id, {
      action: 'billing.purchase_order_voided',
      before: { number: voided.number, endedAt: null },
      after: { number: voided.number, endedAt: now.toISOString(), reason },
    });
    return { ok: true };
  });
  if (result.ok) invalidateTownCaches();
  return result;
}
