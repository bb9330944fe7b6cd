import { contrastRatio, formatRatio } from './contrast';

describe('contrastRatio', () => {
  it.each([
    ['#000000', 21],
    ['#ffffff', 1],
    ['#767676', 4.54],
    ['#777777', 4.48],
    ['#1a4480', 9.62],
  ])('white on %s is %f:1', (colour, ratio) => {
    expect(contrastRatio(colour, '#ffffff')).toBeCloseTo(ratio, 2);
  });

  it('rounds down when formatting, so a refused colour never reads as 4.50:1', () => {
    expect(formatRatio(4.4999)).toBe('4.49:1');
  });
});
