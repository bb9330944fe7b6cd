import type { z } from 'zod';
import { formText } from './control-characters';

/**
 * What is wrong with one field, as a code and the values its wording needs. Modules return these;
 * the UI words them from the errors catalogue (app/i18n/en/errors.ts).
 */
export type FieldError = { code: string; values?: Record<string, string | number> };
export type FieldErrorCodes = Record<string, FieldError>;

/** The first Zod issue for each field, keyed by the field's name ('form' for the form as a whole). */
export function firstIssuePerField(issues: readonly z.ZodIssue[]): Record<string, z.ZodIssue> {
  const first: Record<string, z.ZodIssue> = {};
  for (const issue of issues) first[String(issue.path[0] ?? 'form')] ??= issue;
  return first;
}

/** For schemas whose messages are codes: a limit (or a custom issue's params) travels with it, so the wording can say it. */
export function fieldErrorCodesOf(issues: readonly z.ZodIssue[]): FieldErrorCodes {
  const errors: FieldErrorCodes = {};
  for (const [field, issue] of Object.entries(firstIssuePerField(issues))) {
    if (issue.code === 'too_big') errors[field] = { code: issue.message, values: { max: Number(issue.maximum) } };
    else if (issue.code === 'too_small') errors[field] = { code: issue.message, values: { min: Number(issue.minimum) } };
    else if (issue.code === 'custom' && issue.params) errors[field] = { code: issue.message, values: issue.params };
    else errors[field] = { code: issue.message };
  }
  return errors;
}

/** One worded message per field, for forms that render errors next to each input. */
export type FieldErrors = Partial<Record<string, string>>;

/**
 * The Zod builders of a form whose messages are one group's codes: `code` makes the type checker
 * refuse a message outside the group, `text` is formText with the group's control-character code.
 */
export function codedFormBuilders<Code extends string>(controlCharactersCode: Code) {
  const code = (value: Code) => value;
  const text = (options: { multiline?: boolean; required?: Code } = {}) =>
    formText({ multiline: options.multiline, required_error: options.required, controlCharactersMessage: controlCharactersCode });
  return { code, text };
}
