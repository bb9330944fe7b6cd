import { addDays, dayIn, weekdaysThrough } from '~/utils/calendar-day';
import { dateTimeFormat } from '~/utils/date-format';
import { holidayDaysIn, holidayOn, isWeekend } from './ma-holidays';

/**
 * A town's working calendar (docs/decisions/0026): days are the town's own (its time zone); a
 * business day is a weekday that is neither a Massachusetts legal holiday (Suffolk County's two
 * included there) nor one of the town's closure days.
 */
export type BusinessCalendar = {
  timeZone: string;
  /** The town's closure days (YYYY-MM-DD) in the span being counted; more do no harm. */
  closedDays: ReadonlySet<string>;
  /** Suffolk County keeps Evacuation Day and Bunker Hill Day (M.G.L. c. 136, § 12). */
  suffolk: boolean;
};

export function businessCalendar(town: { timezone: string; county: string }, closedDays: Iterable<string>): BusinessCalendar {
  return { timeZone: town.timezone, closedDays: new Set(closedDays), suffolk: town.county === 'Suffolk' };
}

export function isBusinessDay(day: string, calendar: BusinessCalendar): boolean {
  return !isWeekend(day) && !holidayOn(day, { suffolk: calendar.suffolk }) && !calendar.closedDays.has(day);
}

/** The `n`th business day after `day` (n ≥ 0; 0 is `day` itself). */
export function businessDayAfter(day: string, n: number, calendar: BusinessCalendar): string {
  let next = day;
  for (let left = n; left > 0; ) {
    next = addDays(next, 1);
    if (isBusinessDay(next, calendar)) left--;
  }
  return next;
}

/**
 * Business days after `from`, up to and including `to` (0 when `to` is not later): the weekdays of
 * the span less those it loses to holidays and closures, so a request years overdue costs no more
 * than one due last week.
 */
export function businessDaysBetween(from: string, to: string, calendar: BusinessCalendar): number {
  const first = addDays(from, 1);
  if (first > to) return 0;
  const lost = new Set<string>();
  const lose = (day: string) => {
    if (day >= first && day <= to && !isWeekend(day)) lost.add(day);
  };
  for (const day of calendar.closedDays) lose(day);
  for (let year = Number(first.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) holidayDaysIn(year, { suffolk: calendar.suffolk }).forEach(lose);
  return weekdaysThrough(to) - weekdaysThrough(from) - lost.size;
}

const wallClock = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds (whole seconds). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  let format = wallClock.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    wallClock.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant `timeZone`'s clock reads `msIntoDay` into `day` (a time a DST change skips lands an hour later). */
export function instantAt(day: string, msIntoDay: number, timeZone: string): Date {
  const guess = Date.parse(`${day}T00:00:00Z`) + msIntoDay;
  const first = guess - zoneOffsetMs(guess, timeZone);
  return new Date(guess - zoneOffsetMs(first, timeZone));
}

/**
 * The moment a target of `days` business days from `from` falls: that many business days later in
 * the town's calendar, at the same time of day on the town's clock (also across a DST change).
 */
export function addBusinessDays(from: Date, days: number, calendar: BusinessCalendar): Date {
  const { timeZone } = calendar;
  const day = dayIn(from, timeZone);
  const msIntoDay = from.getTime() + zoneOffsetMs(from.getTime(), timeZone) - Date.parse(`${day}T00:00:00Z`);
  return instantAt(businessDayAfter(day, days, calendar), msIntoDay, timeZone);
}

/** A request's two targets, from when it was filed (or transferred) and its category's days. */
export function serviceTargets(from: Date, category: { targetDays: number; ackTargetDays: number }, calendar: BusinessCalendar): { dueAt: Date; ackDueAt: Date } {
  return { dueAt: addBusinessDays(from, category.targetDays, calendar), ackDueAt: addBusinessDays(from, category.ackTargetDays, calendar) };
}

export function isOverdue(dueAt: Date | null, open: boolean, now = new Date()): boolean {
  return open && dueAt !== null && dueAt < now;
}

/**
 * What a resident is told of the town's target: the day it is expected by while that is still
 * ahead, that it is taking longer once it has passed, nothing once the request is closed (or has
 * no target). Decided on the server, so the page shows the same whatever the visitor's clock says.
 */
export type ResidentExpectation = { kind: 'expected'; by: string } | { kind: 'late' } | null;

export function residentExpectation(dueAt: Date | null, open: boolean, now = new Date()): ResidentExpectation {
  if (!open || !dueAt) return null;
  return isOverdue(dueAt, open, now) ? { kind: 'late' } : { kind: 'expected', by: dueAt.toISOString() };
}

/** "Fri, Dec 12": the expected day in the town's zone, in the page language's conventions. */
export function formatExpectedDay(by: string | Date, timeZone: string, locale: string): string {
  return dateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(by));
}
