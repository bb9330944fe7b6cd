import { z } from 'zod';
import { codedFormBuilders } from '~/utils/field-errors';

/** Every message of the purchase-order forms, as a path in the errors catalogue (`errors:purchaseOrder.…`). */
export const PURCHASE_ORDER_ERROR_CODES = [
  'purchaseOrder.text.control_characters',
  'purchaseOrder.text.too_long',
  'purchaseOrder.periodStart.required',
  'purchaseOrder.periodStart.invalid',
  'purchaseOrder.periodEnd.required',
  'purchaseOrder.periodEnd.invalid',
  'purchaseOrder.periodEnd.not_after_start',
  'purchaseOrder.number.required',
  'purchaseOrder.amount.required',
  'purchaseOrder.amount.invalid',
  'purchaseOrder.amount.not_positive',
  'purchaseOrder.amount.too_large',
  'purchaseOrder.reason.required',
  'purchaseOrder.order.invalid',
  'purchaseOrder.intent.invalid',
] as const;

export type PurchaseOrderErrorCode = (typeof PURCHASE_ORDER_ERROR_CODES)[number];
const { code, text } = codedFormBuilders<PurchaseOrderErrorCode>('purchaseOrder.text.control_characters');

/** The largest order the form takes: ten million dollars, in cents (well inside a PostgreSQL integer). */
export const MAX_PURCHASE_ORDER_CENTS = 1_000_000_000;
export const PURCHASE_ORDER_NUMBER_MAX = 60;

/** Years a period may fall in: anything else is a typing slip (and year 0 is no timestamp at all). */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/**
 * Dollars as people type them: "4900", "4,900.00", "$4,900", "$ 4,900.5". Commas only as thousands
 * separators, at most two decimals. Whole cents, computed from the digits (never through a float);
 * null when it is not an amount of dollars at all.
 */
export function parseDollarsToCents(typed: string): number | null {
  const match = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(typed.trim());
  if (!match) return null;
  const dollars = match[1]!.replace(/,/g, '');
  // More digits than any amount we take: refuse before Number() rounds them.
  if (dollars.replace(/^0+/, '').length > 12) return Number.POSITIVE_INFINITY;
  return Number(dollars) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

const day = (required: PurchaseOrderErrorCode, invalid: PurchaseOrderErrorCode) =>
  text({ required })
    .trim()
    .min(1, code(required))
    .pipe(z.string().date(code(invalid)))
    .refine((d) => Number(d.slice(0, 4)) >= FIRST_YEAR && Number(d.slice(0, 4)) <= LAST_YEAR, code(invalid));

const amount = text({ required: 'purchaseOrder.amount.required' })
  .trim()
  .min(1, code('purchaseOrder.amount.required'))
  .transform((typed, ctx) => {
    const cents = parseDollarsToCents(typed);
    const issue = (message: PurchaseOrderErrorCode) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (cents === null) return issue('purchaseOrder.amount.invalid');
    if (cents <= 0) return issue('purchaseOrder.amount.not_positive');
    if (cents > MAX_PURCHASE_ORDER_CENTS) return issue('purchaseOrder.amount.too_large');
    return cents;
  });

/**
 * State staff record a purchase order that pays for a town's service: the days from `periodStart`
 * up to (not including) `periodEnd`, like a grant term, in the town's own time zone.
 */
const recordForm = z.object({
  intent: z.literal('record_purchase_order'),
  periodStart: day('purchaseOrder.periodStart.required', 'purchaseOrder.periodStart.invalid'),
  periodEnd: day('purchaseOrder.periodEnd.required', 'purchaseOrder.periodEnd.invalid'),
  number: text({ required: 'purchaseOrder.number.required' })
    .trim()
    .min(1, code('purchaseOrder.number.required'))
    .max(PURCHASE_ORDER_NUMBER_MAX, code('purchaseOrder.text.too_long')),
  amount,
});

/** Voiding an order stops the service it paid for now; the reason goes into the town's audit log. */
const voidForm = z.object({
  intent: z.literal('void_purchase_order'),
  order: text({ required: 'purchaseOrder.order.invalid' }).uuid(code('purchaseOrder.order.invalid')),
  reason: text({ multiline: true, required: 'purchaseOrder.reason.required' })
    .trim()
    .min(1, code('purchaseOrder.reason.required'))
    .max(500, code('purchaseOrder.text.too_long')),
});

export const purchaseOrderActionForm = z
  .discriminatedUnion('intent', [recordForm, voidForm], { errorMap: () => ({ message: code('purchaseOrder.intent.invalid') }) })
  .superRefine((form, ctx) => {
    // Refinements run on a dirty parse too: compare only two real dates, so a bad start is one error.
    const realDays = form.intent === 'record_purchase_order' && [form.periodStart, form.periodEnd].every((d) => z.string().date().safeParse(d).success);
    if (form.intent === 'record_purchase_order' && realDays && form.periodEnd <= form.periodStart) {
      ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: code('purchaseOrder.periodEnd.not_after_start') });
    }
  });

export type PurchaseOrderAction = z.infer<typeof purchaseOrderActionForm>;
export type PurchaseOrderInput = Omit<Extract<PurchaseOrderAction, { intent: 'record_purchase_order' }>, 'intent' | 'amount'> & { amountCents: number };
