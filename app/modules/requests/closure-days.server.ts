import { and, asc, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { townClosureDays } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import { recordAuditBy } from '~/modules/audit/audit.server';
import type { ClosureDayInput } from '~/modules/admin/admin-forms';
import { addDays, dayIn } from '~/utils/calendar-day';
import type { TownAdmin } from '~/utils/capabilities.server';
import type { FieldErrorCodes } from '~/utils/field-errors';
import { holidayOn, massachusettsHolidays, isWeekend, type Holiday } from './ma-holidays';
import { businessCalendar, type BusinessCalendar } from './service-levels';

/**
 * A town's closure days (docs/decisions/0026): days its offices close besides the state's legal
 * holidays, which its admin adds and removes. Targets are set when a request is filed (or moved to
 * another category or town), so a closure added later leaves the dates already given alone.
 */

/** Every refusal of a closure day, as a path in the errors catalogue (`errors:closureDay.…`). */
export const CLOSURE_DAY_ERROR_CODES = ['closureDay.taken', 'closureDay.alreadyClosed'] as const;

/**
 * The town's closure days from `fromDay` on, as a subquery to read in the same statement as the
 * category (filing a request adds no statement); `townId` is the outer query's town column.
 */
export function closedDaysFrom(townId: AnyPgColumn, fromDay: string): SQL<string[]> {
  return sql<string[]>`array(select to_char(c.day, 'YYYY-MM-DD') from ${townClosureDays} c where c.town_id = ${townId} and c.day >= ${fromDay}::date order by c.day)`;
}

/** The town's calendar for counting from `from` (a day back, for an instant late in the evening), read in the town's transaction. */
export async function townCalendar(tx: Tx, town: { id: number; timezone: string; county: string }, from: Date): Promise<BusinessCalendar> {
  const rows = await tx
    .select({ day: townClosureDays.day })
    .from(townClosureDays)
    .where(and(eq(townClosureDays.townId, town.id), gte(townClosureDays.day, addDays(dayIn(from, town.timezone), -1))));
  return businessCalendar(town, rows.map((r) => r.day));
}

export type ClosureDay = { day: string; name: string };
export type ClosureCalendar = { closures: ClosureDay[]; holidays: Holiday[]; today: string };

/** Closures shown to the admin: from this many days back (the recent past explains recent targets). */
const SHOWN_PAST_DAYS = 90;

/** The admin's page: the town's closure days, recent and upcoming, and the state holidays of this year and the next. */
export async function listClosureDays(admin: TownAdmin, now = new Date()): Promise<ClosureCalendar> {
  const today = dayIn(now, admin.town.timezone);
  const closures = await withTown(admin.town.id, (tx) =>
    tx
      .select({ day: townClosureDays.day, name: townClosureDays.name })
      .from(townClosureDays)
      .where(gte(townClosureDays.day, addDays(today, -SHOWN_PAST_DAYS)))
      .orderBy(asc(townClosureDays.day)),
  );
  const year = Number(today.slice(0, 4));
  const suffolk = admin.town.county === 'Suffolk';
  const holidays = [...massachusettsHolidays(year, { suffolk }), ...massachusettsHolidays(year + 1, { suffolk })].filter((h) => h.day >= today);
  return { closures, holidays, today };
}

export type ClosureOutcome = { ok: true } | { ok: false; errors: FieldErrorCodes };

export async function addClosureDay(admin: TownAdmin, input: ClosureDayInput): Promise<ClosureOutcome> {
  const suffolk = admin.town.county === 'Suffolk';
  if (isWeekend(input.day) || holidayOn(input.day, { suffolk })) return { ok: false, errors: { day: { code: 'closureDay.alreadyClosed' } } };
  return withTown(admin.town.id, async (tx) => {
    const [added] = await tx
      .insert(townClosureDays)
      .values({ townId: admin.town.id, day: input.day, name: input.name, createdByUserId: admin.user.id })
      .onConflictDoNothing()
      .returning({ day: townClosureDays.day });
    if (!added) return { ok: false, errors: { day: { code: 'closureDay.taken' } } };
    await recordAuditBy(tx, admin, { action: 'closure_day.added', entityType: 'closure_day', entityId: input.day, after: input });
    return { ok: true };
  });
}

/** false: the town has no closure on that day. */
export async function removeClosureDay(admin: TownAdmin, day: string): Promise<boolean> {
  return withTown(admin.town.id, async (tx) => {
    const [removed] = await tx.delete(townClosureDays).where(eq(townClosureDays.day, day)).returning({ day: townClosureDays.day, name: townClosureDays.name });
    if (!removed) return false;
    await recordAuditBy(tx, admin, { action: 'closure_day.removed', entityType: 'closure_day', entityId: day, before: removed });
    return true;
  });
}
