/**
 * Conditions that the staff queue and the public list both filter requests by: the day a request
 * came in, in its town's time zone, and words in its text.
 */
import { ilike, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { serviceRequests } from '#db/schema';

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
}

export const calendarDay = z.string().refine(isCalendarDay);

/** Requests that came in from the start of `from` to the end of `to` (both YYYY-MM-DD, both optional), midnight in the town, whatever the server's time zone. */
export function createdOnDays(days: { from?: string; to?: string }, timezone: string): SQL[] {
  const r = serviceRequests;
  const conditions: SQL[] = [];
  if (days.from) conditions.push(sql`${r.createdAt} >= (${days.from}::date::timestamp at time zone ${timezone})`);
  if (days.to) conditions.push(sql`${r.createdAt} < ((${days.to}::date + 1)::timestamp at time zone ${timezone})`);
  return conditions;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The words anywhere in the description, case-insensitively. Under RLS no index serves ILIKE (it is
 * not leakproof, see migration 0028), so the other conditions and the LIMIT bound the rows read.
 */
export function descriptionContains(text: string): SQL {
  return ilike(serviceRequests.description, `%${escapeLike(text)}%`);
}

/** The words anywhere in the description or the address. */
export function textContains(text: string): SQL {
  return or(descriptionContains(text), ilike(serviceRequests.address, `%${escapeLike(text)}%`))!;
}

