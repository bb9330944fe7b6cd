import { dateTimeFormat } from './date-format';

describe('dateTimeFormat', () => {
  it('hands back one formatter per locale and options, and formats as Intl does', () => {
    const options = { timeZone: 'America/New_York', weekday: 'short' } as const;
    const first = dateTimeFormat('en-US', options);
    expect(dateTimeFormat('en-US', { ...options })).toBe(first);
    expect(dateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short' })).not.toBe(first);
    const moment = new Date('2026-12-01T03:00:00Z');
    expect(first.format(moment)).toBe(new Intl.DateTimeFormat('en-US', options).format(moment));
    expect(first.format(moment)).toBe('Mon');
  });
});
