import { z } from 'zod';
import { codedFormBuilders, fieldErrorCodesOf, type FieldErrorCodes } from '~/utils/field-errors';

/** Every message of the audit log's filters, as a path in the errors catalogue (`errors:auditFilter.…`). */
export const AUDIT_FILTER_ERROR_CODES = [
  'auditFilter.text.control_characters',
  'auditFilter.who.too_long',
  'auditFilter.action.too_long',
  'auditFilter.from.invalid',
  'auditFilter.to.invalid',
  'auditFilter.to.before_from',
  'auditFilter.request.invalid',
] as const;
type AuditFilterErrorCode = (typeof AUDIT_FILTER_ERROR_CODES)[number];
const { code, text } = codedFormBuilders<AuditFilterErrorCode>('auditFilter.text.control_characters');

// Far beyond any real log; keeps a hand-typed page number from becoming a huge OFFSET.
const PAGE_MAX = 10_000;
const TRACKING_NUMBER = /^[A-Z]{2,4}-\d{1,9}$/;

const optional = (schema: z.ZodTypeAny) =>
  text()
    .trim()
    .optional()
    .transform((v) => v || null)
    .pipe(schema.nullable());

const filterFields = z.object({
  /** Part of the actor's email address, any case ("system" finds what no one did by hand). */
  who: optional(z.string().max(254, code('auditFilter.who.too_long'))),
  action: optional(z.string().max(80, code('auditFilter.action.too_long'))),
  /** Days in the town's time zone (the state console's in Massachusetts'), both included. */
  from: optional(z.string().date(code('auditFilter.from.invalid'))),
  to: optional(z.string().date(code('auditFilter.to.invalid'))),
  request: optional(z.string().transform((v) => v.toUpperCase()).pipe(z.string().regex(TRACKING_NUMBER, code('auditFilter.request.invalid')))),
});

export type AuditFilters = { who: string | null; action: string | null; from: string | null; to: string | null; request: string | null };
export const NO_AUDIT_FILTERS: AuditFilters = { who: null, action: null, from: null, to: null, request: null };

/**
 * The audit page's query (a GET form, so it works without JavaScript): the filters that are valid
 * apply, a wrong one is reported and left out, so the page still answers.
 */
export function parseAuditQuery(search: URLSearchParams): { filters: AuditFilters; errors: FieldErrorCodes; page: number } {
  const filters: AuditFilters = { ...NO_AUDIT_FILTERS };
  const errors: FieldErrorCodes = {};
  for (const key of Object.keys(NO_AUDIT_FILTERS) as (keyof AuditFilters)[]) {
    const parsed = filterFields.shape[key].safeParse(search.get(key) ?? undefined);
    if (parsed.success) filters[key] = parsed.data;
    else Object.assign(errors, fieldErrorCodesOf(parsed.error.issues.map((issue) => ({ ...issue, path: [key] }))));
  }
  if (filters.from && filters.to && filters.to < filters.from) {
    errors.to = { code: code('auditFilter.to.before_from') };
    filters.to = null;
  }
  const page = Number(search.get('page') ?? '1');
  return { filters, errors, page: Number.isInteger(page) && page >= 1 && page <= PAGE_MAX ? page : 1 };
}

/** The query string of these filters at `page`, for the pages' links: the filters stay as they are. */
export function auditQuery(filters: AuditFilters, page: number): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `?${text}` : '?';
}
