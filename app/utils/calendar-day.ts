/** Calendar days as YYYY-MM-DD strings: a town's day, counted in its own time zone. */
const DAY_MS = 86_400_000;
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of `instant` in `timeZone`. */
export function dayIn(instant: Date, timeZone: string): string {
  let format = dayFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, format);
  }
  return format.format(instant);
}

export const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

export function addDays(day: string, days: number): string {
  return new Date((dayNumber(day) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Weekdays from Monday 1970-01-05 up to and including `day`: the weekdays between two days are a subtraction. */
export function weekdaysThrough(day: string): number {
  const since = dayNumber(day) - dayNumber('1970-01-05');
  const weeks = Math.floor(since / 7);
  return 5 * weeks + Math.min(since - 7 * weeks + 1, 5);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
