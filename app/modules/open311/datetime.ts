import { dateTimeFormat } from '~/utils/date-format';

/**
 * GeoReport v2 datetimes: W3C (a subset of ISO 8601) with the offset written out, in the town's own
 * time zone, without fractions of a second: `2026-12-07T09:15:30-05:00`.
 */
export function w3cDateTime(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    // One formatter per zone, reused: building one costs far more than a format, and a page of 1,000 requests formats 3,000 times.
    dateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  // `longOffset` reads "GMT-05:00", or plain "GMT" at UTC.
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName!.slice(3);
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}
