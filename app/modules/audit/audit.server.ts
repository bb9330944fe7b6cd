import { desc, eq } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { auditLog, towns, users } from '#db/schema';
import { withStateOversight, withTown, type Tx } from '#db/scope';
import { recordOversightRead } from '~/modules/oversight/oversight.server';
import type { StateStaff, TownAdmin, TownStaff } from '~/utils/capabilities.server';

export type AuditEntry = {
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

/** Written in the same transaction as the change it describes, so the log cannot miss one. */
export async function recordAudit(tx: Tx, townId: number, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    townId,
    id: uuidv7(),
    actorUserId: entry.actorUserId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

/** The entry for something a town's staff member (or admin) did there. */
export function recordAuditBy(tx: Tx, staff: TownStaff, entry: Omit<AuditEntry, 'actorUserId'>): Promise<void> {
  return recordAudit(tx, staff.town.id, { ...entry, actorUserId: staff.user.id });
}

const entryColumns = {
  id: auditLog.id,
  action: auditLog.action,
  entityType: auditLog.entityType,
  entityId: auditLog.entityId,
  before: auditLog.before,
  after: auditLog.after,
  createdAt: auditLog.createdAt,
  actorEmail: users.email,
};

export async function listTownAuditLog(admin: TownAdmin, { page = 1, pageSize = 50 } = {}) {
  return withTown(admin.town.id, (tx) =>
    tx
      .select(entryColumns)
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
  );
}

/**
 * State staff see every town's log: a cross-town read, hence `withStateOversight`. It holds
 * people's emails, so the read is recorded (who, which page, which towns) in the same transaction.
 */
export async function listStatewideAuditLog(stateStaff: StateStaff, { page = 1, pageSize = 50 } = {}) {
  return withStateOversight(async (tx) => {
    const rows = await tx
      .select({ ...entryColumns, townId: auditLog.townId, townName: towns.name })
      .from(auditLog)
      .innerJoin(towns, eq(towns.id, auditLog.townId))
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    await recordOversightRead(tx, stateStaff, { what: `statewide audit log, page ${page}`, townIds: rows.map((r) => r.townId) });
    return rows.map(({ townId: _townId, ...entry }) => entry);
  });
}
