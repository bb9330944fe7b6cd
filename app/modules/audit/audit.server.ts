import { and, asc, desc, eq, gte, ilike, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { auditLog, towns, users } from '#db/schema';
import { withStateOversight, withTown, type Tx } from '#db/scope';
import { recordOversightRead } from '~/modules/oversight/oversight.server';
import type { StateStaff, TownAdmin, TownStaff } from '~/utils/capabilities.server';
import type { AuditFilters } from './audit-filters';

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

export const AUDIT_PAGE_SIZE = 50;

/** `%` and `_` typed into "who" are letters to look for, not patterns. */
const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The filters as conditions. Days are whole days in `timeZone` ("to" included); "system" finds
 * what no person did (the billing jobs, Stripe's webhooks). A request's entries are found by its
 * tracking number, which is what request actions record.
 */
function filterConditions(filters: AuditFilters, timeZone: string): SQL[] {
  const conditions: SQL[] = [];
  if (filters.who) {
    const who = filters.who.toLowerCase() === 'system' ? isNull(auditLog.actorUserId) : ilike(users.email, likeText(filters.who));
    conditions.push(who);
  }
  if (filters.action) conditions.push(eq(auditLog.action, filters.action));
  if (filters.from) conditions.push(gte(auditLog.createdAt, sql`(${filters.from}::date)::timestamp at time zone ${timeZone}`));
  if (filters.to) conditions.push(lt(auditLog.createdAt, sql`(${filters.to}::date + 1)::timestamp at time zone ${timeZone}`));
  if (filters.request) conditions.push(and(eq(auditLog.entityType, 'request'), eq(auditLog.entityId, filters.request))!);
  return conditions;
}

export type AuditPage<Entry> = { entries: Entry[]; hasOlder: boolean; actions: string[] };

/** A page of rows read one too many (`limit(AUDIT_PAGE_SIZE + 1)`), to know whether an older page exists. */
function pageOf<R>(rows: R[]): { rows: R[]; hasOlder: boolean } {
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), hasOlder: rows.length > AUDIT_PAGE_SIZE };
}
const offsetOf = (page: number) => (page - 1) * AUDIT_PAGE_SIZE;

/** The actions recorded (in the scope's towns), for the filter's list. */
async function recordedActions(tx: Tx): Promise<string[]> {
  const rows = await tx.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action));
  return rows.map((r) => r.action);
}

export async function listTownAuditLog(admin: TownAdmin, filters: AuditFilters, page = 1): Promise<AuditPage<AuditLogEntry>> {
  return withTown(admin.town.id, async (tx) => {
    const query = tx
      .select(entryColumns)
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .where(and(...filterConditions(filters, admin.town.timezone)))
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(AUDIT_PAGE_SIZE + 1)
      .offset(offsetOf(page));
    const { rows, hasOlder } = pageOf(await query);
    return { entries: rows, hasOlder, actions: await recordedActions(tx) };
  });
}

export type AuditLogEntry = { id: string; action: string; entityType: string; entityId: string; before: unknown; after: unknown; createdAt: Date; actorEmail: string | null };

/** The state console reads every town's log in Massachusetts' days. */
const STATE_TIME_ZONE = 'America/New_York';

/**
 * State staff see every town's log: a cross-town read, hence `withStateOversight`. It holds
 * people's emails, so the read is recorded (who, which page and filters, which towns) in the same transaction.
 */
export async function listStatewideAuditLog(stateStaff: StateStaff, filters: AuditFilters, page = 1): Promise<AuditPage<AuditLogEntry & { townName: string }>> {
  return withStateOversight(async (tx) => {
    const query = tx
      .select({ ...entryColumns, townId: auditLog.townId, townName: towns.name })
      .from(auditLog)
      .innerJoin(towns, eq(towns.id, auditLog.townId))
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .where(and(...filterConditions(filters, STATE_TIME_ZONE)))
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(AUDIT_PAGE_SIZE + 1)
      .offset(offsetOf(page));
    const { rows, hasOlder } = pageOf(await query);
    const applied = Object.entries(filters).filter(([, value]) => value !== null).map(([key, value]) => `${key}=${value}`);
    await recordOversightRead(tx, stateStaff, { what: `statewide audit log, page ${page}${applied.length > 0 ? ` (${applied.join(', ')})` : ''}`, townIds: [...new Set(rows.map((r) => r.townId))] });
    return { entries: rows.map(({ townId: _townId, ...entry }) => entry), hasOlder, actions: await recordedActions(tx) };
  });
}
