import { fieldErrorCodesOf } from '~/utils/field-errors';
import { MAX_PURCHASE_ORDER_CENTS, parseDollarsToCents, purchaseOrderActionForm } from './purchase-order-form';

describe('amounts in dollars as people type them', () => {
  it.each([
    ['4900', 490_000],
    ['4,900.00', 490_000],
    ['$4,900', 490_000],
    ['$ 4,900.5', 490_050],
    [' 4900.05 ', 490_005],
    ['0.01', 1],
    ['1,234,567.89', 123_456_789],
    ['10,000,000.00', MAX_PURCHASE_ORDER_CENTS],
    ['0', 0],
  ])('%j is %i cents', (typed, cents) => {
    expect(parseDollarsToCents(typed)).toBe(cents);
  });

  it.each(['', 'four thousand', '4.900,00', '49,00', '4,9000', '1.234', '-4900', '4900$', '$$4900', '4900.', '.50', '4 900', '1e6'])('%j is not an amount', (typed) => {
    expect(parseDollarsToCents(typed)).toBeNull();
  });

  it('a number with more digits than any amount taken is too large, not rounded', () => {
    expect(parseDollarsToCents('99999999999999999999')).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('the purchase-order forms', () => {
  const record = (overrides: Record<string, string> = {}) => ({
    intent: 'record_purchase_order',
    periodStart: '2027-07-01',
    periodEnd: '2028-07-01',
    number: '  PO-2027-0042 ',
    amount: '$4,900',
    ...overrides,
  });
  const errorsOf = (values: Record<string, string>) => {
    const parsed = purchaseOrderActionForm.safeParse(values);
    return parsed.success ? {} : fieldErrorCodesOf(parsed.error.issues);
  };

  it('records an order: trimmed number, whole cents', () => {
    expect(purchaseOrderActionForm.parse(record())).toEqual({
      intent: 'record_purchase_order',
      periodStart: '2027-07-01',
      periodEnd: '2028-07-01',
      number: 'PO-2027-0042',
      amount: 490_000,
    });
  });

  it.each([
    ['no start', { periodStart: '' }, 'periodStart', 'purchaseOrder.periodStart.required'],
    ['a start that is no date', { periodStart: '2027-02-30' }, 'periodStart', 'purchaseOrder.periodStart.invalid'],
    ['a start in year 0', { periodStart: '0000-01-01' }, 'periodStart', 'purchaseOrder.periodStart.invalid'],
    ['no end', { periodEnd: ' ' }, 'periodEnd', 'purchaseOrder.periodEnd.required'],
    ['an end written another way', { periodEnd: '07/01/2028' }, 'periodEnd', 'purchaseOrder.periodEnd.invalid'],
    ['an end before the start', { periodEnd: '2027-06-30' }, 'periodEnd', 'purchaseOrder.periodEnd.not_after_start'],
    ['an end on the start', { periodEnd: '2027-07-01' }, 'periodEnd', 'purchaseOrder.periodEnd.not_after_start'],
    ['no number', { number: '   ' }, 'number', 'purchaseOrder.number.required'],
    ['a number too long', { number: 'P'.repeat(61) }, 'number', 'purchaseOrder.text.too_long'],
    ['a number with a control character', { number: 'PO\u000742' }, 'number', 'purchaseOrder.text.control_characters'],
    ['no amount', { amount: '' }, 'amount', 'purchaseOrder.amount.required'],
    ['an amount that is no number', { amount: 'a lot' }, 'amount', 'purchaseOrder.amount.invalid'],
    ['a negative amount', { amount: '-10' }, 'amount', 'purchaseOrder.amount.invalid'],
    ['nothing to pay', { amount: '$0.00' }, 'amount', 'purchaseOrder.amount.not_positive'],
    ['more than ten million dollars', { amount: '10,000,000.01' }, 'amount', 'purchaseOrder.amount.too_large'],
    ['far more than ten million dollars', { amount: '99999999999999999999' }, 'amount', 'purchaseOrder.amount.too_large'],
  ])('refuses %s', (_what, overrides, field, code) => {
    expect(errorsOf(record(overrides))[field]).toMatchObject({ code });
  });

  it('says the limit of a number that is too long', () => {
    expect(errorsOf(record({ number: 'P'.repeat(61) })).number).toEqual({ code: 'purchaseOrder.text.too_long', values: { max: 60 } });
  });

  it('reports every wrong field at once', () => {
    expect(Object.keys(errorsOf(record({ periodStart: 'x', number: '', amount: 'y' }))).sort()).toEqual(['amount', 'number', 'periodStart']);
  });

  it('voids an order with a reason', () => {
    const order = '0192f000-0000-7000-8000-0000000000b0';
    expect(purchaseOrderActionForm.parse({ intent: 'void_purchase_order', order, reason: ' Entered twice ' })).toEqual({ intent: 'void_purchase_order', order, reason: 'Entered twice' });
    expect(errorsOf({ intent: 'void_purchase_order', order, reason: '  ' }).reason).toEqual({ code: 'purchaseOrder.reason.required', values: { min: 1 } });
    expect(errorsOf({ intent: 'void_purchase_order', order: 'not-an-id', reason: 'x' }).order).toMatchObject({ code: 'purchaseOrder.order.invalid' });
  });

  it('refuses an action the page does not offer', () => {
    expect(errorsOf({ intent: 'delete_everything' }).intent).toEqual({ code: 'purchaseOrder.intent.invalid' });
    expect(errorsOf({}).intent).toEqual({ code: 'purchaseOrder.intent.invalid' });
  });
});
