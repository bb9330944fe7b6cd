import type { TFunction } from 'i18next';
import type { FieldErrorCodes, FieldErrors } from '~/utils/field-errors';

/** A module's field error codes in words: each code is its path in the errors catalogue. */
export function wordFieldErrors(t: TFunction, errors: FieldErrorCodes): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([field, { code, values }]) => [field, t(`errors:${code}`, values)]));
}
