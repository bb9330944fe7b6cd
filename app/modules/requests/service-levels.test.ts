import { addBusinessDays, isOverdue } from './service-levels';

describe('service levels', () => {
  const tz = 'America/New_York';
  it('skips the weekend in the town’s timezone', () => {
    // Friday 2026-11-20, 10:00 in Boston.
    const friday = new Date('2026-11-20T15:00:00Z');
    expect(addBusinessDays(friday, 1, tz).toISOString()).toBe('2026-11-23T15:00:00.000Z');
    expect(addBusinessDays(friday, 5, tz).toISOString()).toBe('2026-11-27T15:00:00.000Z');
  });
  it('counts by the town’s calendar, not UTC', () => {
    // Friday 21:30 in Boston is already Saturday in UTC.
    const fridayEvening = new Date('2026-11-21T02:30:00Z');
    expect(addBusinessDays(fridayEvening, 1, tz).toISOString()).toBe('2026-11-24T02:30:00.000Z');
  });
  it('only open requests are overdue', () => {
    const past = new Date('2026-01-01');
    expect(isOverdue(past, true)).toBe(true);
    expect(isOverdue(past, false)).toBe(false);
    expect(isOverdue(null, true)).toBe(false);
  });
});
