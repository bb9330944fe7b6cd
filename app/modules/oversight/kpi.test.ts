import { massachusettsHolidays, weekdayOf } from '~/modules/requests/ma-holidays';
import { addBusinessDays, businessCalendar } from '~/modules/requests/service-levels';
import { businessDaysBetween, hoursToAcknowledge, lastCompleteQuarter, lateIfReceivedBy, medianOfCounts, MIN_VOLUME, parsePeriod, periodDays, quartersSince, share, standings } from './kpi';
import { dayIn } from '~/utils/calendar-day';

// 2026-11-16 is a Monday; 2026-11-20 a Friday.
describe('business days between two days', () => {
  it.each([
    ['2026-11-16', '2026-11-16', 0, 'the same day'],
    ['2026-11-16', '2026-11-17', 1, 'Monday to Tuesday'],
    ['2026-11-16', '2026-11-20', 4, 'Monday to Friday'],
    ['2026-11-20', '2026-11-21', 0, 'Friday to Saturday: no weekday passed'],
    ['2026-11-20', '2026-11-22', 0, 'Friday to Sunday'],
    ['2026-11-20', '2026-11-23', 1, 'Friday to Monday'],
    ['2026-11-21', '2026-11-23', 1, 'Saturday to Monday'],
    ['2026-11-22', '2026-11-22', 0, 'Sunday to itself'],
    ['2026-11-16', '2026-11-30', 10, 'two weeks'],
    ['2026-12-31', '2027-01-04', 2, 'over the new year: Friday 1 January, Monday 4 January (holidays are not modelled)'],
    ['2026-11-23', '2026-11-20', 0, 'a later start counts nothing'],
  ])('%s → %s is %i (%s)', (from, to, expected) => {
    expect(businessDaysBetween(from, to)).toBe(expected);
  });

  it('counts weekdays where due dates count business days: the two differ by the weekday holidays in between', () => {
    const tz = 'America/New_York';
    const calendar = businessCalendar({ timezone: tz, county: 'Middlesex' }, []);
    const weekdayHolidays = (from: string, to: string) => massachusettsHolidays(2026).filter((h) => h.day > from && h.day <= to && ![0, 6].includes(weekdayOf(h.day))).length;
    // Every hour of two weeks around the November DST change (Veterans Day falls in the span), 1 to 10 business days ahead.
    for (let t = Date.parse('2026-10-26T00:30:00Z'); t < Date.parse('2026-11-09T00:00:00Z'); t += 3_600_000) {
      const from = new Date(t);
      for (let n = 1; n <= 10; n++) {
        const [start, end] = [dayIn(from, tz), dayIn(addBusinessDays(from, n, calendar), tz)];
        expect(businessDaysBetween(start, end), `${from.toISOString()} + ${n}`).toBe(n + weekdayHolidays(start, end));
      }
    }
  });
});

describe('days in the town’s timezone', () => {
  it('a request at 21:30 on Friday in Boston was received on Friday, though it is Saturday in UTC', () => {
    expect(dayIn(new Date('2026-11-21T02:30:00Z'), 'America/New_York')).toBe('2026-11-20');
  });
});

describe('hours to acknowledge', () => {
  const created = new Date('2026-11-16T14:00:00Z');
  it.each([
    [0, 0],
    [1, 1],
    [3_600_000, 1],
    [3_600_001, 2],
    [90 * 60_000, 2],
    [72 * 3_600_000, 72],
  ])('after %i ms: %i hours (whole hours, rounded up)', (ms, hours) => {
    expect(hoursToAcknowledge(created, new Date(created.getTime() + ms))).toBe(hours);
  });
});

describe('unacknowledged after 2 business days', () => {
  it.each([
    ['2026-11-25', '2026-11-22', 'Wednesday: received Sunday or before (Monday waits until Thursday)'],
    ['2026-11-26', '2026-11-23', 'Thursday: received Monday or before'],
    ['2026-11-24', '2026-11-19', 'Tuesday: received Thursday or before (Friday’s two are Monday and Tuesday)'],
    ['2026-11-23', '2026-11-18', 'Monday: received Wednesday or before'],
    ['2026-11-22', '2026-11-17', 'Sunday: as on Friday, since nothing passes on a weekend'],
    ['2026-11-20', '2026-11-17', 'Friday: received Tuesday or before'],
  ])('on %s, late if received by %s (%s)', (today, lastLateDay) => {
    expect(lateIfReceivedBy(today)).toBe(lastLateDay);
    expect(businessDaysBetween(lastLateDay, today)).toBeGreaterThan(2);
  });
});

describe('exact medians from counts', () => {
  it.each([
    [[], null, 'nothing'],
    [[{ value: 7, n: 1 }], 7, 'one value'],
    [[{ value: 0, n: 1 }, { value: 3, n: 1 }, { value: 60, n: 1 }, { value: 64, n: 1 }], 31.5, 'an even count: the mean of the middle two (0, 3, 60, 64)'],
    [[{ value: 0, n: 2 }, { value: 2, n: 1 }, { value: 4, n: 2 }], 2, 'an odd count: the middle one (0, 0, 2, 4, 4)'],
    [[{ value: 1, n: 2 }, { value: 9, n: 2 }], 5, 'the middle two straddle two values (1, 1, 9, 9)'],
    [[{ value: 1, n: 3 }, { value: 9, n: 1 }], 1, 'the middle two share a value (1, 1, 1, 9)'],
    [[{ value: 2, n: 1000 }, { value: 5, n: 1001 }], 5, 'large counts: position 1001 of 2001'],
  ] as [{ value: number; n: number }[], number | null, string][])('%j → %s (%s)', (counts, median) => {
    expect(medianOfCounts(counts)).toBe(median);
  });
});

describe('periods', () => {
  it('reads the rolling windows and quarters, and nothing else', () => {
    expect(parsePeriod('30d')).toEqual({ kind: 'rolling', days: 30 });
    expect(parsePeriod('2026-Q4')).toEqual({ kind: 'quarter', year: 2026, quarter: 4 });
    for (const bad of ['31d', '2026-Q5', 'Q4', '2026-q4', '', '90']) expect(parsePeriod(bad), bad).toBeNull();
  });

  it('gives each its days: the last N days include today; a quarter is its three months', () => {
    expect(periodDays({ kind: 'rolling', days: 30 }, '2026-12-10')).toEqual({ from: '2026-11-11', to: '2026-12-10' });
    expect(periodDays({ kind: 'rolling', days: 365 }, '2026-12-10')).toEqual({ from: '2025-12-11', to: '2026-12-10' });
    expect(periodDays({ kind: 'quarter', year: 2026, quarter: 4 }, '2026-12-10')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(periodDays({ kind: 'quarter', year: 2024, quarter: 1 }, '2026-12-10')).toEqual({ from: '2024-01-01', to: '2024-03-31' });
  });

  it('defaults a report to the last complete quarter, and lists the quarters newest first', () => {
    expect(lastCompleteQuarter('2026-12-10')).toEqual({ kind: 'quarter', year: 2026, quarter: 3 });
    expect(lastCompleteQuarter('2027-02-01')).toEqual({ kind: 'quarter', year: 2026, quarter: 4 });
    expect(quartersSince('2026-02-15', '2026-12-10').map((q) => `${q.year}-Q${q.quarter}`)).toEqual(['2026-Q4', '2026-Q3', '2026-Q2', '2026-Q1']);
  });
});

describe('fair comparison', () => {
  const figure = (key: string, value: number | null, volume = MIN_VOLUME) => ({ key, value, volume });

  it(`ranks only figures resting on at least ${MIN_VOLUME} requests`, () => {
    const result = standings([figure('a', 5), figure('b', 1, MIN_VOLUME - 1), figure('c', 9), figure('d', null, 500)], 'lower');
    expect([...result.keys()].sort()).toEqual(['a', 'c']);
    expect(result.get('a')).toEqual({ rank: 1, of: 2, cue: null });
    expect(result.get('c')).toEqual({ rank: 2, of: 2, cue: null });
  });

  it('colours the best and the worst quarter once there are four towns to compare, ties sharing a rank', () => {
    const result = standings([figure('a', 10), figure('b', 20), figure('c', 20), figure('d', 40), figure('e', 50)], 'lower');
    expect(Object.fromEntries([...result].map(([k, s]) => [k, `${s.rank}/${s.of} ${s.cue}`]))).toEqual({
      a: '1/5 leading',
      b: '2/5 leading',
      c: '2/5 leading',
      d: '4/5 trailing',
      e: '5/5 trailing',
    });
  });

  it('ranks shares higher-is-better when asked', () => {
    const result = standings([figure('a', 90), figure('b', 50), figure('c', 70), figure('d', 60)], 'higher');
    expect(result.get('a')).toEqual({ rank: 1, of: 4, cue: 'leading' });
    expect(result.get('b')).toEqual({ rank: 4, of: 4, cue: 'trailing' });
  });

  it('a share of nothing is no share', () => {
    expect(share(0, 0)).toBeNull();
    expect(share(1, 4)).toBe(25);
  });
});
