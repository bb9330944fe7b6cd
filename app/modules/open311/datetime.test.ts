import { w3cDateTime } from './datetime';

describe('w3cDateTime', () => {
  it('writes the instant in the town offset, winter and summer, without fractions', () => {
    expect(w3cDateTime(new Date('2026-01-15T14:05:09.789Z'), 'America/New_York')).toBe('2026-01-15T09:05:09-05:00');
    expect(w3cDateTime(new Date('2026-07-01T03:00:00Z'), 'America/New_York')).toBe('2026-06-30T23:00:00-04:00');
    expect(w3cDateTime(new Date('2026-07-01T03:00:00Z'), 'UTC')).toBe('2026-07-01T03:00:00+00:00');
  });
});
