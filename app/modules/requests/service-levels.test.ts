import { holidayOn, massachusettsHolidays } from './ma-holidays';
import { addDays } from '~/utils/calendar-day';
import { addBusinessDays, businessCalendar, businessDaysBetween, type BusinessCalendar, formatExpectedDay, isBusinessDay, isOverdue, residentExpectation, serviceTargets } from './service-levels';

const boston = businessCalendar({ timezone: 'America/New_York', county: 'Middlesex' }, []);
const days = (year: number, options?: { suffolk?: boolean }) => Object.fromEntries(massachusettsHolidays(year, options).map((h) => [h.name, h.day]));

describe('Massachusetts legal holidays (M.G.L. c. 4, § 7, cl. 18)', () => {
  it('puts each rule on its day in 2026', () => {
    expect(days(2026)).toEqual({
      newYearsDay: '2026-01-01',
      martinLutherKingDay: '2026-01-19', // third Monday in January
      washingtonsBirthday: '2026-02-16', // third Monday in February
      patriotsDay: '2026-04-20', // third Monday in April
      memorialDay: '2026-05-25', // last Monday in May (May 31 is a Sunday)
      juneteenth: '2026-06-19',
      independenceDay: '2026-07-04', // a Saturday: not moved to Friday
      laborDay: '2026-09-07', // first Monday in September
      columbusDay: '2026-10-12', // second Monday in October
      veteransDay: '2026-11-11',
      thanksgiving: '2026-11-26', // fourth Thursday in November
      christmasDay: '2026-12-25',
    });
  });

  it('keeps the Monday after a fixed-date holiday that falls on a Sunday, and never the Friday before a Saturday one', () => {
    expect(holidayOn('2023-01-02')).toEqual({ name: 'newYearsDay', day: '2023-01-02', observed: true });
    expect(holidayOn('2022-06-20')).toMatchObject({ name: 'juneteenth', observed: true });
    expect(holidayOn('2021-07-05')).toMatchObject({ name: 'independenceDay', observed: true });
    expect(holidayOn('2029-11-12')).toMatchObject({ name: 'veteransDay', observed: true });
    expect(holidayOn('2022-12-26')).toMatchObject({ name: 'christmasDay', observed: true });
    expect(holidayOn('2023-01-01')).toBeUndefined();
    // Saturday holidays: the Friday before stays a working day.
    expect(holidayOn('2021-12-31')).toBeUndefined();
    expect(holidayOn('2026-07-03')).toBeUndefined();
    expect(holidayOn('2027-12-24')).toBeUndefined();
  });

  it('finds the Monday rules in other years (Patriots’ Day 2025 was 21 April, Memorial Day 2027 is 31 May)', () => {
    expect(days(2025).patriotsDay).toBe('2025-04-21');
    expect(days(2027).memorialDay).toBe('2027-05-31');
    expect(days(2024).thanksgiving).toBe('2024-11-28');
    expect(days(2024).columbusDay).toBe('2024-10-14');
  });

  it('counts Juneteenth from 2021, when it became a legal holiday', () => {
    expect(days(2020).juneteenth).toBeUndefined();
    expect(days(2021).juneteenth).toBe('2021-06-19');
  });

  it('adds Evacuation Day and Bunker Hill Day in Suffolk County only, with the Sunday rule', () => {
    expect(days(2026, { suffolk: true })).toMatchObject({ evacuationDay: '2026-03-17', bunkerHillDay: '2026-06-17' });
    expect(days(2026).evacuationDay).toBeUndefined();
    expect(days(2024, { suffolk: true }).evacuationDay).toBe('2024-03-18'); // 17 March 2024 was a Sunday
  });
});

describe('business days', () => {
  const tz = 'America/New_York';
  it('skips the weekend in the town’s timezone', () => {
    // Friday 2026-11-20, 10:00 in Boston.
    const friday = new Date('2026-11-20T15:00:00Z');
    expect(addBusinessDays(friday, 1, boston).toISOString()).toBe('2026-11-23T15:00:00.000Z');
    // Monday to Wednesday, then Thanksgiving: the fifth business day is Friday.
    expect(addBusinessDays(friday, 5, boston).toISOString()).toBe('2026-11-30T15:00:00.000Z');
  });

  it('counts by the town’s calendar, not UTC', () => {
    // Friday 21:30 in Boston is already Saturday in UTC.
    const fridayEvening = new Date('2026-11-21T02:30:00Z');
    expect(addBusinessDays(fridayEvening, 1, boston).toISOString()).toBe('2026-11-24T02:30:00.000Z');
    // Sunday evening in Boston is Monday (MLK Day) in UTC: Monday does not count in either case.
    expect(addBusinessDays(new Date('2026-01-19T03:00:00Z'), 1, boston).toISOString()).toBe('2026-01-21T03:00:00.000Z');
    // 06:00 UTC on Saturday is Saturday 01:00 in Boston (next: Monday) but Friday 20:00 in Honolulu (next: Monday there, Tuesday in UTC).
    const honolulu = businessCalendar({ timezone: 'Pacific/Honolulu', county: 'Middlesex' }, []);
    expect(addBusinessDays(new Date('2026-11-21T06:00:00Z'), 1, boston).toISOString()).toBe('2026-11-23T06:00:00.000Z');
    expect(addBusinessDays(new Date('2026-11-21T06:00:00Z'), 1, honolulu).toISOString()).toBe('2026-11-24T06:00:00.000Z');
  });

  it('skips each state holiday, including an observed Monday', () => {
    // Friday before Patriots' Day 2026 (20 April): one business day is Tuesday.
    expect(addBusinessDays(new Date('2026-04-17T14:00:00Z'), 1, boston).toISOString()).toBe('2026-04-21T14:00:00.000Z');
    // Friday 30 December 2022, New Year's Day kept on Monday 2 January 2023.
    expect(addBusinessDays(new Date('2022-12-30T15:00:00Z'), 1, boston).toISOString()).toBe('2023-01-03T15:00:00.000Z');
    for (const holiday of massachusettsHolidays(2026)) if (![0, 6].includes(new Date(`${holiday.day}T12:00:00Z`).getUTCDay())) expect(isBusinessDay(holiday.day, boston), holiday.name).toBe(false);
    // A Saturday holiday's Friday is a working day.
    expect(isBusinessDay('2026-07-03', boston)).toBe(true);
  });

  it('skips the town’s own closure days', () => {
    const closed = businessCalendar({ timezone: tz, county: 'Middlesex' }, ['2026-11-27']);
    // Wednesday before Thanksgiving, with the Friday after closed too: next is Monday.
    expect(addBusinessDays(new Date('2026-11-25T15:00:00Z'), 1, closed).toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(addBusinessDays(new Date('2026-11-25T15:00:00Z'), 1, boston).toISOString()).toBe('2026-11-27T15:00:00.000Z');
  });

  it('keeps the time of day on the town’s clock across a DST weekend', () => {
    // Friday 6 March 2026, 10:00 EST; clocks go forward on Sunday: Monday 10:00 EDT is 14:00 UTC.
    expect(addBusinessDays(new Date('2026-03-06T15:00:00Z'), 1, boston).toISOString()).toBe('2026-03-09T14:00:00.000Z');
    // Friday 30 October 2026, 10:00 EDT; clocks go back on Sunday: Monday 10:00 EST is 15:00 UTC.
    expect(addBusinessDays(new Date('2026-10-30T14:00:00Z'), 1, boston).toISOString()).toBe('2026-11-02T15:00:00.000Z');
  });

  it('counts business days between two days with holidays and closures', () => {
    const closed = businessCalendar({ timezone: tz, county: 'Suffolk' }, ['2026-03-20']);
    // Mon 16 → Mon 23 March: Tue 17 (Evacuation Day, Suffolk) and Fri 20 (closed) do not count.
    expect(businessDaysBetween('2026-03-16', '2026-03-23', closed)).toBe(3);
    expect(businessDaysBetween('2026-03-16', '2026-03-23', boston)).toBe(5);
    expect(businessDaysBetween('2026-03-23', '2026-03-16', boston)).toBe(0);
  });

  it('counts business days as a walk day by day would, over spans from a day to years', () => {
    const walked = (from: string, to: string, calendar: BusinessCalendar) => {
      let count = 0;
      for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isBusinessDay(day, calendar)) count++;
      return count;
    };
    // Closures on weekdays, on a weekend, on a holiday (Christmas 2025, Evacuation Day 2026), one outside every span.
    const closures = ['2025-12-24', '2025-12-25', '2025-12-27', '2026-03-17', '2026-07-06', '2027-01-04', '2040-01-02'];
    const calendars = [boston, businessCalendar({ timezone: 'America/New_York', county: 'Suffolk' }, closures), businessCalendar({ timezone: 'America/New_York', county: 'Worcester' }, closures)];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 400; i++) {
      const from = addDays('2019-01-01', random(3000));
      const to = addDays(from, random(4) === 0 ? random(10) : random(1500));
      for (const calendar of calendars) expect(`${from}→${to}: ${businessDaysBetween(from, to, calendar)}`).toBe(`${from}→${to}: ${walked(from, to, calendar)}`);
    }
    // New Year's Day 2023 fell on a Sunday and was kept on Monday 2 January.
    expect(businessDaysBetween('2022-12-30', '2023-01-03', boston)).toBe(1);
  });

  it('sets both targets from the category', () => {
    const targets = serviceTargets(new Date('2026-11-20T15:00:00Z'), { targetDays: 5, ackTargetDays: 1 }, boston);
    expect(targets).toEqual({ dueAt: new Date('2026-11-30T15:00:00Z'), ackDueAt: new Date('2026-11-23T15:00:00Z') });
  });

  it('only open requests are overdue', () => {
    const past = new Date('2026-01-01');
    expect(isOverdue(past, true)).toBe(true);
    expect(isOverdue(past, false)).toBe(false);
    expect(isOverdue(null, true)).toBe(false);
  });
});

describe('what a resident is told', () => {
  const due = new Date('2026-12-11T20:00:00Z');
  it('an expected day before the target, that it is taking longer after it, nothing once closed', () => {
    expect(residentExpectation(due, true, new Date('2026-12-10T12:00:00Z'))).toEqual({ kind: 'expected', by: due.toISOString() });
    expect(residentExpectation(due, true, new Date('2026-12-11T20:00:01Z'))).toEqual({ kind: 'late' });
    expect(residentExpectation(due, false, new Date('2026-12-10T12:00:00Z'))).toBeNull();
    expect(residentExpectation(null, true)).toBeNull();
  });
  it('names the day in the town’s zone', () => {
    // 20:00 UTC on Friday is Friday afternoon in Boston…
    expect(formatExpectedDay(due, 'America/New_York', 'en-US')).toBe('Fri, Dec 11');
    // …and already Saturday in Tokyo.
    expect(formatExpectedDay('2026-12-11T20:00:00Z', 'Asia/Tokyo', 'en-US')).toBe('Sat, Dec 12');
  });
});
