import type { TFunction } from 'i18next';
import type { FieldErrorCodes, FieldErrors } from '~/utils/field-errors';

/**
 * A module's field error codes in words: each code is its path in the errors catalogue, under
 * `section` when the module's codes are relative to one (the report core's are, to `report`).
 */
export function wordFieldErrors(t: TFunction, errors: FieldErrorCodes, section?: string): FieldErrors {
  const prefix = section ? `errors:${section}.` : 'errors:';
  return Object.fromEntries(Object.entries(errors).map(([field, { code, values }]) => [field, t(`${prefix}${code}`, values)]));
}
