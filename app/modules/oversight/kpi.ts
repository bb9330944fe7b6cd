import { addDays, weekdaysThrough } from '~/utils/calendar-day';
/**
 * The state console's figures, defined (docs/decisions/0017). Every figure is a count or a median of
 * whole units, so the daily rollup (`request_daily_stats`) gives them exactly:
 *
 * - a request belongs to the day it was received, in the town's timezone, and to its category;
 * - time to acknowledge: whole hours from receipt to the first staff action, rounded up;
 * - business days from one day to another: the weekdays after the first, up to and including the
 *   second (closed the day it came in: 0; received Friday, closed Monday: 1). The rollup does not
 *   model holidays or closure days yet, though due dates do (`addBusinessDays`, docs/decisions/0026):
 *   "closed within target" follows the due dates, the two business-day figures count weekdays;
 * - time to close: business days from the received day to the day it was closed (fixed, not fixed,
 *   duplicate or referred; a withdrawn request is not closed by the town);
 * - closed within target: closed no later than its due time (`due_at`, the category's target when it
 *   was filed, as the staff queue's "overdue" has it), of the closed ones;
 * - unacknowledged after 2 business days: of the requests received, those acknowledged after the
 *   second business day after the received day, closed or withdrawn unacknowledged after it, or still
 *   unacknowledged now that it has passed;
 * - backlog: requests open now; their age in whole calendar days since the received day.
 *
 * The database states the same per-request rules once, in `request_daily_stat_measures` (migration
 * 0019); request-stats.server.test.ts holds the two equal.
 */

/** Every participating town is in Massachusetts: periods ("the last 30 days", a quarter) are days here. */
export const PROGRAM_TIME_ZONE = 'America/New_York';

/** A figure resting on fewer requests than this is shown, but not ranked or coloured. */
export const MIN_VOLUME = 30;

/** The acknowledgement rule: by the end of this many business days after the day a request came in. */
export const ACKNOWLEDGE_WITHIN_BUSINESS_DAYS = 2;

export const TREND_WEEKS = 26;

/** Weekdays after `from`, up to and including `to`; 0 when `to` is not later. weekdaysThrough counts as the database's function does. */
export function businessDaysBetween(from: string, to: string): number {
  return Math.max(0, weekdaysThrough(to) - weekdaysThrough(from));
}

/** Whole hours from receipt to acknowledgement, rounded up. */
export function hoursToAcknowledge(createdAt: Date, acknowledgedAt: Date): number {
  return Math.max(0, Math.ceil((acknowledgedAt.getTime() - createdAt.getTime()) / 3_600_000));
}

/**
 * The latest received day whose still-unacknowledged requests are late on `today`: more than
 * ACKNOWLEDGE_WITHIN_BUSINESS_DAYS business days have passed since it.
 */
export function lateIfReceivedBy(today: string): string {
  let day = addDays(today, -1);
  while (businessDaysBetween(day, today) <= ACKNOWLEDGE_WITHIN_BUSINESS_DAYS) day = addDays(day, -1);
  return day;
}

/**
 * The exact median of whole values given as counts, in ascending order of value: the middle value,
 * or the mean of the two middle ones when the count is even. Null when there are none.
 */
export function medianOfCounts(counts: readonly { value: number; n: number }[]): number | null {
  const total = counts.reduce((sum, c) => sum + c.n, 0);
  if (total === 0) return null;
  // 1-based positions of the middle values: the same one when the total is odd.
  const [lower, upper] = [Math.ceil(total / 2), Math.floor(total / 2) + 1];
  let seen = 0;
  let lowerValue: number | null = null;
  for (const { value, n } of counts) {
    seen += n;
    if (lowerValue === null && seen >= lower) lowerValue = value;
    if (seen >= upper) return (lowerValue! + value) / 2;
  }
  throw new Error('unreachable: the counts add up to their total');
}

// Periods

export const ROLLING_PERIODS = [30, 90, 365] as const;
export type RollingDays = (typeof ROLLING_PERIODS)[number];
export const DEFAULT_PERIOD = '90d';

/** The received days a figure covers: the last N days (today included) or a calendar quarter. */
export type Period = { kind: 'rolling'; days: RollingDays } | { kind: 'quarter'; year: number; quarter: 1 | 2 | 3 | 4 };

const QUARTER = /^(\d{4})-Q([1-4])$/;

/** `30d`, `90d`, `365d` or `2026-Q4`; anything else is null. */
export function parsePeriod(value: string): Period | null {
  const rolling = /^(\d+)d$/.exec(value);
  if (rolling) {
    const days = Number(rolling[1]);
    return (ROLLING_PERIODS as readonly number[]).includes(days) ? { kind: 'rolling', days: days as RollingDays } : null;
  }
  const quarter = QUARTER.exec(value);
  if (!quarter) return null;
  return { kind: 'quarter', year: Number(quarter[1]), quarter: Number(quarter[2]) as 1 | 2 | 3 | 4 };
}

export function formatPeriod(period: Period): string {
  return period.kind === 'rolling' ? `${period.days}d` : `${period.year}-Q${period.quarter}`;
}

/** First and last received day of `period` (a quarter's last day may be after today: those days are empty). */
export function periodDays(period: Period, today: string): { from: string; to: string } {
  if (period.kind === 'rolling') return { from: addDays(today, 1 - period.days), to: today };
  const firstMonth = (period.quarter - 1) * 3;
  const from = new Date(Date.UTC(period.year, firstMonth, 1)).toISOString().slice(0, 10);
  const to = new Date(Date.UTC(period.year, firstMonth + 3, 0)).toISOString().slice(0, 10);
  return { from, to };
}

export function quarterOf(day: string): Extract<Period, { kind: 'quarter' }> {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return { kind: 'quarter', year, quarter: (Math.floor((month - 1) / 3) + 1) as 1 | 2 | 3 | 4 };
}

/** The last quarter that has ended by `today`: a grant report's default. */
export function lastCompleteQuarter(today: string): Extract<Period, { kind: 'quarter' }> {
  const current = quarterOf(today);
  return current.quarter === 1 ? { kind: 'quarter', year: current.year - 1, quarter: 4 } : { kind: 'quarter', year: current.year, quarter: (current.quarter - 1) as 1 | 2 | 3 };
}

/** The quarters a report can be asked for: from `first` up to the current one, newest first. */
export function quartersSince(first: string, today: string): Extract<Period, { kind: 'quarter' }>[] {
  const start = quarterOf(first);
  const quarters: Extract<Period, { kind: 'quarter' }>[] = [];
  for (let q = quarterOf(today); q.year > start.year || (q.year === start.year && q.quarter >= start.quarter); ) {
    quarters.push(q);
    q = q.quarter === 1 ? { kind: 'quarter', year: q.year - 1, quarter: 4 } : { kind: 'quarter', year: q.year, quarter: (q.quarter - 1) as 1 | 2 | 3 };
  }
  return quarters;
}

// Fair comparison

/** Which way a figure is better. Counts (requests, backlog size) are not ranked: they measure size, not service. */
export type Better = 'lower' | 'higher';

/** Where a figure stands among the towns compared; null when it rests on too few requests. */
export type Standing = { rank: number; of: number; cue: 'leading' | 'trailing' | null };

/** Colour cues need enough towns for a top and a bottom quarter to mean something. */
const MIN_TOWNS_FOR_CUES = 4;

/**
 * Ranks the figures with at least MIN_VOLUME requests behind them (1 = best; ties share a rank);
 * the best quarter is `leading`, the worst quarter `trailing`. Others get no standing at all.
 */
export function standings<K>(figures: { key: K; value: number | null; volume: number }[], better: Better): Map<K, Standing> {
  const ranked = figures.filter((f): f is { key: K; value: number; volume: number } => f.value !== null && f.volume >= MIN_VOLUME);
  const isBetter = (a: number, b: number) => (better === 'lower' ? a < b : a > b);
  const quarter = Math.ceil(ranked.length / 4);
  const result = new Map<K, Standing>();
  for (const f of ranked) {
    const rank = 1 + ranked.filter((o) => isBetter(o.value, f.value)).length;
    const fromBottom = 1 + ranked.filter((o) => isBetter(f.value, o.value)).length;
    const cue = ranked.length < MIN_TOWNS_FOR_CUES ? null : rank <= quarter ? 'leading' : fromBottom <= quarter ? 'trailing' : null;
    result.set(f.key, { rank, of: ranked.length, cue });
  }
  return result;
}

/** `part` as a percentage of `of`; null when there is nothing to divide. */
export function share(part: number, of: number): number | null {
  return of === 0 ? null : (100 * part) / of;
}
