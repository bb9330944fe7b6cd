import { grantTermStatus } from './grant-term';

describe('grantTermStatus', () => {
  const today = new Date('2026-11-24T15:00:00Z');
  it('is active well before the end', () => {
    expect(grantTermStatus('2026-01-01', '2029-01-01', today)).toEqual({ status: 'active', daysLeft: 769 });
  });
  it('is ending soon within 90 days', () => {
    expect(grantTermStatus('2023-12-24', '2026-12-24', today)).toEqual({ status: 'ending_soon', daysLeft: 30 });
  });
  it('has ended on its end date', () => {
    expect(grantTermStatus('2023-11-24', '2026-11-24', today)).toEqual({ status: 'ended', daysLeft: 0 });
  });
  it('has not started before its start date', () => {
    expect(grantTermStatus('2027-01-01', '2030-01-01', today).status).toBe('not_started');
  });
});
