import { canTransition, closingRequirement, isOpenStatus, REOPENED_STATUS, reporterOptions, withinReopenWindow } from './statuses';

describe('request statuses', () => {
  it('lets staff work a request and reopen a closed one', () => {
    expect(canTransition('submitted', 'acknowledged', 'staff')).toBe(true);
    expect(canTransition('in_progress', 'fixed', 'staff')).toBe(true);
    expect(canTransition('fixed', 'in_progress', 'staff')).toBe(true);
  });
  it('refuses transitions that make no sense', () => {
    expect(canTransition('fixed', 'duplicate', 'staff')).toBe(false);
    expect(canTransition('withdrawn', 'in_progress', 'staff')).toBe(false);
    expect(canTransition('submitted', 'withdrawn', 'staff')).toBe(false);
  });
  it('lets the reporter withdraw only before acknowledgement', () => {
    expect(canTransition('submitted', 'withdrawn', 'reporter')).toBe(true);
    expect(canTransition('acknowledged', 'withdrawn', 'reporter')).toBe(false);
    expect(canTransition('submitted', 'fixed', 'reporter')).toBe(false);
  });
  it('lets the reporter reopen the town\'s verdict, and a follower only a fix, back into the open queue', () => {
    expect(isOpenStatus(REOPENED_STATUS)).toBe(true);
    expect(canTransition('fixed', REOPENED_STATUS, 'reporter')).toBe(true);
    expect(canTransition('not_fixed', REOPENED_STATUS, 'reporter')).toBe(true);
    expect(canTransition('duplicate', REOPENED_STATUS, 'reporter')).toBe(false);
    expect(canTransition('referred', REOPENED_STATUS, 'reporter')).toBe(false);
    expect(canTransition('fixed', REOPENED_STATUS, 'follower')).toBe(true);
    expect(canTransition('not_fixed', REOPENED_STATUS, 'follower')).toBe(false);
    expect(canTransition('submitted', 'withdrawn', 'follower')).toBe(false);
    expect(canTransition('in_progress', REOPENED_STATUS, 'reporter')).toBe(false);
  });
  it('keeps the reopen window open for 30 days after the close, to the millisecond', () => {
    const closedAt = new Date('2027-03-01T15:00:00Z');
    expect(withinReopenWindow(closedAt, new Date('2027-03-30T15:00:00Z'))).toBe(true);
    expect(withinReopenWindow(closedAt, new Date('2027-03-31T14:59:59.999Z'))).toBe(true);
    expect(withinReopenWindow(closedAt, new Date('2027-03-31T15:00:00Z'))).toBe(false);
    expect(withinReopenWindow(null, closedAt)).toBe(false);
  });
  it('offers the reporter the forms that fit the status', () => {
    const now = new Date('2027-03-10T12:00:00Z');
    expect(reporterOptions({ status: 'submitted', closedAt: null }, now)).toEqual({ withdraw: true, comment: true, reopen: false, reopenUntil: null });
    expect(reporterOptions({ status: 'acknowledged', closedAt: null }, now)).toMatchObject({ withdraw: false, comment: true, reopen: false });
    expect(reporterOptions({ status: 'fixed', closedAt: new Date('2027-03-01T12:00:00Z') }, now)).toEqual({
      withdraw: false,
      comment: false,
      reopen: true,
      reopenUntil: new Date('2027-03-31T12:00:00Z'),
    });
    expect(reporterOptions({ status: 'withdrawn', closedAt: now }, now)).toEqual({ withdraw: false, comment: false, reopen: false, reopenUntil: null });
  });
  it('knows what closing needs', () => {
    expect(closingRequirement('not_fixed')).toBe('reason');
    expect(closingRequirement('duplicate')).toBe('original');
    expect(closingRequirement('fixed')).toBeNull();
    expect(isOpenStatus('in_progress')).toBe(true);
    expect(isOpenStatus('referred')).toBe(false);
  });
});
