/**
 * How a bulk action's failures travel from /staff/bulk back to the queue: in its URL, as tracking
 * numbers and error codes only (`SOM-1042~staffWork.reason.required`, a refused transition adding
 * the two statuses' codes), never as words, so a crafted link can only name causes the catalogue words.
 */
import { REQUEST_STATUSES, type RequestStatus } from '#db/vocabulary';
import { STATUS_LABEL } from '~/modules/requests/statuses';

/** As many failures as the queue names one by one; the count says how many there were in all. */
export const BULK_FAILURES_SHOWN = 20;

export type BulkFailure = { trackingNumber: string; code: string; transition?: { from: RequestStatus; to: RequestStatus } };

const isStatus = (value: string | undefined): value is RequestStatus => (REQUEST_STATUSES as readonly string[]).includes(value ?? '');
const statusOfLabel = (label: unknown) => REQUEST_STATUSES.find((s) => STATUS_LABEL[s] === label);

/** One failure as its URL value; `values` are the error's (a refused transition names its statuses by label). */
export function encodeBulkFailure(trackingNumber: string, error: { code: string; values?: Record<string, unknown> }): string {
  const from = statusOfLabel(error.values?.from);
  const to = statusOfLabel(error.values?.to);
  return [trackingNumber, error.code, ...(from && to ? [from, to] : [])].join('~');
}

/**
 * The failures a URL names, those that are well formed and whose code is one of `knownCodes`;
 * anything else is dropped.
 */
export function decodeBulkFailures(values: string[], knownCodes: readonly string[]): BulkFailure[] {
  return values.slice(0, BULK_FAILURES_SHOWN).flatMap((value): BulkFailure[] => {
    const [trackingNumber = '', code = '', from, to] = value.split('~');
    if (!/^[A-Z]{2,4}-\d{1,9}$/.test(trackingNumber) || !knownCodes.includes(code)) return [];
    return [{ trackingNumber, code, ...(isStatus(from) && isStatus(to) ? { transition: { from, to } } : {}) }];
  });
}
