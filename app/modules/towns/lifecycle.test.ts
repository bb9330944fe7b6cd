import { GRACE_DAYS, localDate, reportIntake, townLifecycle, type TownLifecycleFacts } from './lifecycle';

const live: TownLifecycleFacts = { timezone: 'America/New_York', grantStart: '2024-03-01', grantEnd: '2027-03-01', liveSince: '2024-03-01T05:00:00Z', leftProgramAt: null };
const at = (iso: string) => new Date(iso);

describe('townLifecycle', () => {
  it('is onboarding until the town goes live, whatever the grant dates say', () => {
    expect(townLifecycle({ ...live, liveSince: null }, at('2026-06-01T12:00:00Z'))).toEqual({ state: 'onboarding', daysLeft: null });
    expect(townLifecycle({ ...live, liveSince: '2026-06-02T00:00:00Z' }, at('2026-06-01T12:00:00Z')).state).toBe('onboarding');
  });

  it('is in grant more than 90 days before the end, and ending within them', () => {
    // 2026-12-01 is 90 days before 2027-03-01.
    expect(townLifecycle(live, at('2026-11-30T17:00:00Z'))).toEqual({ state: 'in_grant', daysLeft: 91 });
    expect(townLifecycle(live, at('2026-12-01T17:00:00Z'))).toEqual({ state: 'grant_ending', daysLeft: 90 });
    expect(townLifecycle(live, at('2027-02-28T17:00:00Z'))).toEqual({ state: 'grant_ending', daysLeft: 1 });
  });

  it('enters grace on the end date and lapses GRACE_DAYS later, by the town’s own calendar', () => {
    // 04:30 UTC on 1 March is still 28 February in Massachusetts.
    expect(townLifecycle(live, at('2027-03-01T04:30:00Z'))).toEqual({ state: 'grant_ending', daysLeft: 1 });
    expect(townLifecycle(live, at('2027-03-01T05:30:00Z'))).toEqual({ state: 'grace', daysLeft: GRACE_DAYS });
    // 2027-04-29 is day 59 after the end; 2027-04-30 is day 60.
    expect(townLifecycle(live, at('2027-04-29T16:00:00Z'))).toEqual({ state: 'grace', daysLeft: 1 });
    expect(townLifecycle(live, at('2027-04-30T16:00:00Z'))).toEqual({ state: 'lapsed', daysLeft: null });
  });

  it('counts across a leap day', () => {
    const leap = { ...live, grantStart: '2025-02-28', grantEnd: '2028-02-28' };
    expect(townLifecycle(leap, at('2028-02-27T17:00:00Z')).daysLeft).toBe(1);
    expect(townLifecycle(leap, at('2028-02-29T17:00:00Z'))).toEqual({ state: 'grace', daysLeft: GRACE_DAYS - 1 });
  });

  it('is left once the town has left the program, from that moment', () => {
    const leaving = { ...live, leftProgramAt: '2026-06-01T15:00:00Z' };
    expect(townLifecycle(leaving, at('2026-06-01T14:59:59Z')).state).toBe('in_grant');
    expect(townLifecycle(leaving, at('2026-06-01T15:00:00Z')).state).toBe('left');
  });
});

describe('reportIntake', () => {
  it('is open while live, closed while onboarding or after leaving', () => {
    const now = at('2026-06-01T12:00:00Z');
    expect(reportIntake(live, now)).toEqual({ open: true });
    expect(reportIntake({ ...live, liveSince: null }, now)).toEqual({ open: false, reason: 'onboarding' });
    expect(reportIntake({ ...live, leftProgramAt: '2026-05-01T00:00:00Z' }, now)).toEqual({ open: false, reason: 'left' });
  });
});

describe('localDate', () => {
  it('is the calendar day in the given time zone', () => {
    expect(localDate(at('2026-01-01T03:00:00Z'), 'America/New_York')).toBe('2025-12-31');
    expect(localDate(at('2026-01-01T03:00:00Z'), 'UTC')).toBe('2026-01-01');
  });
});
