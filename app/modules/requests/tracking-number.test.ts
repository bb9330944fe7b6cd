import { formatTrackingNumber, parseTrackingNumber } from './tracking-number';

describe('tracking numbers', () => {
  it('formats town code and number', () => {
    expect(formatTrackingNumber('som', 1042)).toBe('SOM-1042');
  });
  it.each([
    ['SOM-1042', { townCode: 'SOM', number: 1042 }],
    [' som 1042 ', { townCode: 'SOM', number: 1042 }],
    ['nbd1001', { townCode: 'NBD', number: 1001 }],
  ])('reads %j', (input, expected) => {
    expect(parseTrackingNumber(input)).toEqual(expected);
  });
  it.each(['', 'SOM-', '1042', 'SOM-0', 'S-1', "SOM-1'; drop table x", 'SOMERVILLE-1'])('rejects %j', (input) => {
    expect(parseTrackingNumber(input)).toBeNull();
  });
});
