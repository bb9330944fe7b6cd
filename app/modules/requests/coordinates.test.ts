import { readCoordinate } from './coordinates';

describe('reading a typed coordinate', () => {
  it.each([
    ['42.3876', 42.3876],
    ['42,3876', 42.3876],
    ['-71,0995', -71.0995],
    ['  -71.0995 ', -71.0995],
    ['\u221271.0995', -71.0995],
    ['42.3876°', 42.3876],
    ['+42', 42],
    ['.5', 0.5],
    [',5', 0.5],
    ['42.', 42],
  ])('reads %j as %d', (text, value) => {
    expect(readCoordinate(text)).toEqual({ ok: true, value });
  });

  it.each(['42,3876, -71,0995', '42,3876,-71,0995', '42.3876, -71.0995', '42.3876,-71.0995', '42.3876 -71.0995', '42.3876; -71.0995', '42, 71', '42.3876° -71.0995°'])(
    'refuses the pair %j in one field instead of reading half of it',
    (text) => {
      expect(readCoordinate(text)).toEqual({ ok: false, reason: 'two_numbers' });
    },
  );

  it.each(['north', '0x2A', '1e2', 'Infinity', '42.38.76', '-', '42 N'])('refuses %j as not a number', (text) => {
    expect(readCoordinate(text)).toEqual({ ok: false, reason: 'not_a_number' });
  });

  it.each(['42,38,76', '42,3876.5'])('reads no number from %j, whatever the separators meant', (text) => {
    expect(readCoordinate(text)).toMatchObject({ ok: false });
  });

  it('leaves an empty field empty', () => {
    expect(readCoordinate('')).toBeNull();
    expect(readCoordinate('   ')).toBeNull();
  });
});
