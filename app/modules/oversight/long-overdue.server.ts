import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { selectRows } from '#db/rows';
import { categories, departments, serviceRequests, townClosureDays } from '#db/schema';
import type { Tx } from '#db/scope';
import { businessCalendar, businessDaysBetween, instantAt, isBusinessDay, type BusinessCalendar } from '~/modules/requests/service-levels';
import { OPEN_STATUSES } from '~/modules/requests/statuses';
import { addDays, dayIn } from '~/utils/calendar-day';

/**
 * Requests far past their target, flagged to state staff (docs/decisions/0026): open, and at least
 * this many of the town's business days past the day they were due (holidays and the town's
 * closures not counted). The console counts them per town; a town's drill-down lists them.
 */
export const LONG_OVERDUE_BUSINESS_DAYS = 10;
/** Requests listed on a town's drill-down, the longest overdue first. */
export const LONG_OVERDUE_LIST_MAX = 100;

type TownCalendarFacts = { id: number; timezone: string; county: string };

/**
 * The instant before which a due time is LONG_OVERDUE_BUSINESS_DAYS business days past: the start
 * of the town's day that many business days back from today (today counted when it is one), so
 * `businessDaysBetween(dueDay, today) >= LONG_OVERDUE_BUSINESS_DAYS` exactly when `dueAt` is earlier.
 */
export function longOverdueCutoff(now: Date, calendar: BusinessCalendar, businessDays = LONG_OVERDUE_BUSINESS_DAYS): Date {
  let day = dayIn(now, calendar.timeZone);
  for (let counted = 0; ; day = addDays(day, -1)) {
    if (isBusinessDay(day, calendar) && ++counted === businessDays) break;
  }
  return instantAt(day, 0, calendar.timeZone);
}

/** How far back closures matter: more than enough calendar days to hold the threshold's business days. */
const CLOSURE_LOOKBACK_DAYS = LONG_OVERDUE_BUSINESS_DAYS * 3 + 30;

/** Each town's calendar with its recent closure days, read under the oversight role. */
async function calendars(tx: Tx, towns: readonly TownCalendarFacts[], now: Date): Promise<Map<number, BusinessCalendar>> {
  const since = addDays(dayIn(now, 'America/New_York'), -CLOSURE_LOOKBACK_DAYS);
  const ids = towns.map((t) => t.id);
  const closures = ids.length === 0 ? [] : await tx.select({ townId: townClosureDays.townId, day: townClosureDays.day }).from(townClosureDays).where(and(inArray(townClosureDays.townId, ids), gte(townClosureDays.day, since)));
  return new Map(towns.map((t) => [t.id, businessCalendar(t, closures.filter((c) => c.townId === t.id).map((c) => c.day))]));
}

/** Per town, how many of its requests are long overdue now (towns with none are absent). Counts only: nothing personal. */
export async function selectLongOverdueCounts(tx: Tx, towns: readonly TownCalendarFacts[], now: Date): Promise<Map<number, number>> {
  if (towns.length === 0) return new Map();
  const byTown = await calendars(tx, towns, now);
  // One range of the (town_id, due_at) index of open requests per town, each with its own cutoff.
  const cutoffs = sql.join(
    towns.map((t) => sql`(${t.id}::integer, ${longOverdueCutoff(now, byTown.get(t.id)!).toISOString()}::timestamptz)`),
    sql`, `,
  );
  const rows = await selectRows<{ townId: number; n: number }>(
    tx,
    sql`select r.town_id as "townId", count(*)::integer as n
          from (values ${cutoffs}) as c(town_id, cutoff)
          join service_requests r on r.town_id = c.town_id and r.due_at < c.cutoff
         where r.status in (${sql.join(OPEN_STATUSES.map((status) => sql`${status}`), sql`, `)})
         group by r.town_id`,
  );
  return new Map(rows.map((r) => [r.townId, r.n]));
}

export type LongOverdueRequest = { trackingNumber: string; categoryName: string; departmentName: string | null; status: string; dueAt: string; businessDaysOverdue: number; assigned: boolean };

/**
 * One town's long-overdue requests, the longest overdue first: tracking numbers, categories and
 * departments, whether someone is assigned; no address, description, reporter or assignee. The
 * drill-down records its read all the same (the tracking numbers lead to residents' reports).
 */
export async function selectLongOverdueRequests(tx: Tx, town: TownCalendarFacts, now: Date): Promise<{ total: number; requests: LongOverdueRequest[] }> {
  const calendar = (await calendars(tx, [town], now)).get(town.id)!;
  const cutoff = longOverdueCutoff(now, calendar);
  const r = serviceRequests;
  const where = and(eq(r.townId, town.id), inArray(r.status, [...OPEN_STATUSES]), lt(r.dueAt, cutoff));
  // One after another: they share the transaction's connection.
  const rows = await tx
    .select({ trackingNumber: r.trackingNumber, categoryName: categories.name, departmentName: departments.name, status: r.status, dueAt: r.dueAt, assigneeUserId: r.assigneeUserId })
    .from(r)
    .innerJoin(categories, and(eq(categories.townId, r.townId), eq(categories.id, r.categoryId)))
    .leftJoin(departments, and(eq(departments.townId, r.townId), eq(departments.id, r.departmentId)))
    .where(where)
    .orderBy(asc(r.dueAt))
    .limit(LONG_OVERDUE_LIST_MAX);
  const [total] = await tx.select({ n: sql<number>`count(*)::integer` }).from(r).where(where);
  const today = dayIn(now, town.timezone);
  return {
    total: total?.n ?? 0,
    requests: rows.map((row) => ({
      trackingNumber: row.trackingNumber,
      categoryName: row.categoryName,
      departmentName: row.departmentName,
      status: row.status,
      dueAt: row.dueAt!.toISOString(),
      businessDaysOverdue: businessDaysBetween(dayIn(row.dueAt!, town.timezone), today, calendar),
      assigned: row.assigneeUserId !== null,
    })),
  };
}
