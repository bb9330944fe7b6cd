import { dateTimeFormat } from '~/utils/date-format';

/**
 * The moment a request is due: `days` business days after `from`, counted in the town's
 * timezone (weekends skipped; state holidays are not yet counted), at the same time of day.
 */
export function addBusinessDays(from: Date, days: number, timeZone: string): Date {
  const weekdays = dateTimeFormat('en-US', { timeZone, weekday: 'short' });
  const weekday = (d: Date) => weekdays.format(d);
  let due = new Date(from);
  let left = days;
  while (left > 0) {
    due = new Date(due.getTime() + 86_400_000);
    if (!['Sat', 'Sun'].includes(weekday(due))) left--;
  }
  return due;
}

export function isOverdue(dueAt: Date | null, open: boolean, now = new Date()): boolean {
  return open && dueAt !== null && dueAt < now;
}
