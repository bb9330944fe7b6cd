import { addDays, dayNumber } from '~/utils/calendar-day';

/**
 * Massachusetts legal holidays, computed by rule for any year (docs/decisions/0026).
 *
 * Source: M.G.L. c. 4, § 7, clause Eighteenth ("Legal holiday"): January first, June nineteenth
 * (Juneteenth Independence Day, added by St. 2020, c. 253, first kept in 2021), July fourth, November
 * eleventh and Christmas Day, "or the day following when any of said days occurs on Sunday", and the
 * third Monday in January (Martin Luther King Jr. Day), the third Monday in February (Washington's
 * Birthday), the third Monday in April (Patriots' Day), the last Monday in May (Memorial Day), the
 * first Monday in September (Labor Day), the second Monday in October (Columbus Day / Indigenous
 * Peoples' Day) and Thanksgiving Day (the fourth Thursday in November by proclamation).
 * A holiday on a Saturday is not moved: state offices open on the Friday before (the Trial Court's
 * published holiday lists note the same), so no Friday is taken off.
 * M.G.L. c. 136, § 12 also closes public offices in Suffolk County on Evacuation Day (March 17) and
 * Bunker Hill Day (June 17), with the same Sunday rule: counted for towns in Suffolk County only.
 */

export const MA_HOLIDAY_NAMES = [
  'newYearsDay',
  'martinLutherKingDay',
  'washingtonsBirthday',
  'evacuationDay',
  'patriotsDay',
  'memorialDay',
  'bunkerHillDay',
  'juneteenth',
  'independenceDay',
  'laborDay',
  'columbusDay',
  'veteransDay',
  'thanksgiving',
  'christmasDay',
] as const;
export type MaHolidayName = (typeof MA_HOLIDAY_NAMES)[number];

export type Holiday = { name: MaHolidayName; /** The day offices close (YYYY-MM-DD). */ day: string; /** Kept the day after because it fell on a Sunday. */ observed: boolean };

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
export const weekdayOf = (day: string) => (((dayNumber(day) + 4) % 7) + 7) % 7;

export const isWeekend = (day: string) => [0, 6].includes(weekdayOf(day));

const iso = (year: number, month: number, date: number) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;

/** The `n`th `weekday` (0 = Sunday) of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  if (n > 0) {
    const first = iso(year, month, 1);
    return addDays(first, ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1));
  }
  const last = addDays(month === 12 ? iso(year + 1, 1, 1) : iso(year, month + 1, 1), -1);
  return addDays(last, -((weekdayOf(last) - weekday + 7) % 7));
}

/** A fixed-date holiday, kept on the Monday when it falls on a Sunday. */
function fixed(name: MaHolidayName, year: number, month: number, date: number): Holiday {
  const day = iso(year, month, date);
  return weekdayOf(day) === 0 ? { name, day: addDays(day, 1), observed: true } : { name, day, observed: false };
}

const MONDAY = 1;
const THURSDAY = 4;

/** The year's legal holidays as offices keep them, in date order; `suffolk` adds the county's two. */
export function massachusettsHolidays(year: number, { suffolk = false } = {}): Holiday[] {
  const rule = (name: MaHolidayName, day: string): Holiday => ({ name, day, observed: false });
  const holidays: Holiday[] = [
    fixed('newYearsDay', year, 1, 1),
    rule('martinLutherKingDay', nthWeekday(year, 1, MONDAY, 3)),
    rule('washingtonsBirthday', nthWeekday(year, 2, MONDAY, 3)),
    rule('patriotsDay', nthWeekday(year, 4, MONDAY, 3)),
    rule('memorialDay', nthWeekday(year, 5, MONDAY, -1)),
    ...(year >= 2021 ? [fixed('juneteenth', year, 6, 19)] : []),
    fixed('independenceDay', year, 7, 4),
    rule('laborDay', nthWeekday(year, 9, MONDAY, 1)),
    rule('columbusDay', nthWeekday(year, 10, MONDAY, 2)),
    fixed('veteransDay', year, 11, 11),
    rule('thanksgiving', nthWeekday(year, 11, THURSDAY, 4)),
    fixed('christmasDay', year, 12, 25),
  ];
  if (suffolk) holidays.push(fixed('evacuationDay', year, 3, 17), fixed('bunkerHillDay', year, 6, 17));
  return holidays.sort((a, b) => a.day.localeCompare(b.day));
}

const byYear = new Map<string, ReadonlyMap<string, Holiday>>();

function holidaysByDay(year: number, suffolk: boolean): ReadonlyMap<string, Holiday> {
  const key = `${year}${suffolk ? 's' : ''}`;
  let days = byYear.get(key);
  if (!days) {
    days = new Map(massachusettsHolidays(year, { suffolk }).map((h) => [h.day, h]));
    byYear.set(key, days);
  }
  return days;
}

/** The legal holiday kept on `day`, if any. */
export function holidayOn(day: string, { suffolk = false } = {}): Holiday | undefined {
  return holidaysByDay(Number(day.slice(0, 4)), suffolk).get(day);
}

/** The days in `year` on which holidayOn finds a holiday. */
export function holidayDaysIn(year: number, { suffolk = false } = {}): string[] {
  const prefix = `${String(year).padStart(4, '0')}-`;
  return [...holidaysByDay(year, suffolk).keys()].filter((day) => day.startsWith(prefix));
}
