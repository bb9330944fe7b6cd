import { canTransition, closingRequirement, isOpenStatus } from './statuses';

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
  it('knows what closing needs', () => {
    expect(closingRequirement('not_fixed')).toBe('reason');
    expect(closingRequirement('duplicate')).toBe('original');
    expect(closingRequirement('fixed')).toBeNull();
    expect(isOpenStatus('in_progress')).toBe(true);
    expect(isOpenStatus('referred')).toBe(false);
  });
});
