import { z } from 'zod';
import { codedFormBuilders } from '~/utils/field-errors';
import { API_KEY_SCOPES, QUESTION_TYPES, WEBHOOK_EVENTS, type CategoryQuestion, type QuestionType } from '#db/vocabulary';
import { emailField } from '~/modules/accounts/account-forms';
import { checkKeywords, splitKeywords } from '~/modules/categories/category-match';
import { isUsPhoneNumber } from '~/utils/phone';
import { webhookUrlProblem } from '~/utils/webhook-url';
import { contrastRatio, formatRatio, MIN_TEXT_CONTRAST } from './contrast';

/** One Zod schema per admin form; routes parse with them and word `fieldErrorCodesOf` next to each field. */

/** Every message of these forms, as a path in the errors catalogue (`errors:adminForm.…`): routes word them. */
export const ADMIN_FORM_ERROR_CODES = [
  'adminForm.text.control_characters',
  'adminForm.text.too_long',
  'adminForm.name.required',
  'adminForm.group.required',
  'adminForm.targetDays.required',
  'adminForm.targetDays.not_whole',
  'adminForm.targetDays.out_of_range',
  'adminForm.ackTargetDays.required',
  'adminForm.ackTargetDays.not_whole',
  'adminForm.ackTargetDays.out_of_range',
  'adminForm.ackTargetDays.after_resolution',
  'adminForm.day.invalid',
  'adminForm.closureName.required',
  'adminForm.departmentId.invalid',
  'adminForm.programCategory.required',
  'adminForm.keywords.too_many',
  'adminForm.keywords.too_long',
  'adminForm.keywords.no_letters',
  'adminForm.keywords.repeated',
  'adminForm.label.required',
  'adminForm.type.invalid',
  'adminForm.choices.too_few',
  'adminForm.choices.too_many',
  'adminForm.choices.label_missing',
  'adminForm.choices.label_too_long',
  'adminForm.choices.code_invalid',
  'adminForm.choices.code_duplicate',
  'adminForm.email.too_long',
  'adminForm.departmentEmail.invalid',
  'adminForm.profileEmail.invalid',
  'adminForm.phone.invalid',
  'adminForm.website.invalid',
  'adminForm.accentColor.required',
  'adminForm.accentColor.invalid',
  'adminForm.accentColor.low_contrast',
  'adminForm.role.invalid',
  'adminForm.userId.invalid',
  'adminForm.scopes.required',
  'adminForm.url.invalid',
  'adminForm.url.not_https',
  'adminForm.url.private',
  'adminForm.events.required',
] as const;

type AdminFormErrorCode = (typeof ADMIN_FORM_ERROR_CODES)[number];
const { code, text } = codedFormBuilders<AdminFormErrorCode>('adminForm.text.control_characters');

const requiredText = (required: AdminFormErrorCode, max: number) =>
  text({ required })
    .trim()
    .min(1, required)
    .max(max, code('adminForm.text.too_long'));

const optionalText = (max: number, { multiline = false } = {}) =>
  text({ multiline })
    .trim()
    .max(max, code('adminForm.text.too_long'))
    .optional()
    .transform((v) => v || null);

/** An unticked checkbox is simply absent from the form. */
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === 'true');

/** Lowercase letters, digits and dashes, e.g. "Missed trash pickup" → "missed-trash-pickup"; used for Open311 codes. */
export function codeFrom(text: string, maxLength = 40): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, maxLength)
    .replace(/^-+|-+$/g, '');
}

/**
 * The program category a new category's name suggests: the one whose code equals the code the
 * name would get, else none (the admin then chooses; there is deliberately no default).
 */
export function suggestedProgramCategory(name: string, programCodes: readonly string[]): string {
  const code = codeFrom(name);
  return programCodes.includes(code) ? code : '';
}

export const TARGET_DAYS = { min: 1, max: 60 } as const;
/** A category's acknowledgement target unless its admin sets one: the state's "acknowledged within 2 business days". */
export const DEFAULT_ACK_TARGET_DAYS = 2;

type BusinessDaysCodes = { required: AdminFormErrorCode; notWhole: AdminFormErrorCode; outOfRange: AdminFormErrorCode };

const businessDays = ({ required, notWhole, outOfRange }: BusinessDaysCodes) =>
  z
    .string({ required_error: code(required) })
    .trim()
    .transform((v, ctx) => {
      const n = Number(v);
      if (!v || !Number.isInteger(n)) {
        ctx.addIssue({ code: 'custom', message: code(notWhole) });
        return z.NEVER;
      }
      if (n < TARGET_DAYS.min || n > TARGET_DAYS.max) {
        ctx.addIssue({ code: 'custom', message: code(outOfRange), params: { ...TARGET_DAYS } });
        return z.NEVER;
      }
      return n;
    });

const targetDays = businessDays({ required: 'adminForm.targetDays.required', notWhole: 'adminForm.targetDays.not_whole', outOfRange: 'adminForm.targetDays.out_of_range' });
const ackTargetDays = businessDays({ required: 'adminForm.ackTargetDays.required', notWhole: 'adminForm.ackTargetDays.not_whole', outOfRange: 'adminForm.ackTargetDays.out_of_range' });

/** Limits the forms' hints and `maxLength` show, so a hint never promises what validation refuses. */
export const CATEGORY_DESCRIPTION_MAX = 500;
export const PROFILE_MESSAGE_MAX = { welcomeMessage: 500, bannerMessage: 300 } as const;

export const categoryForm = z.object({
  name: requiredText('adminForm.name.required', 80),
  group: requiredText('adminForm.group.required', 60),
  description: text({ multiline: true })
    .trim()
    .max(CATEGORY_DESCRIPTION_MAX, code('adminForm.text.too_long'))
    .optional()
    .transform((v) => v ?? ''),
  targetDays,
  // The new-category form leaves it to the default; the category's page sets it.
  ackTargetDays: z.string().optional().default(String(DEFAULT_ACK_TARGET_DAYS)).pipe(ackTargetDays),
  departmentId: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .pipe(z.string().uuid(code('adminForm.departmentId.invalid')).nullable()),
  // Required with no default: counting a category under the wrong program category would skew the
  // program's comparison of towns, so an admin chooses it (the module checks that it exists).
  programCategory: requiredText('adminForm.programCategory.required', 40),
}).superRefine((v, ctx) => {
  if (v.ackTargetDays > v.targetDays) ctx.addIssue({ code: 'custom', path: ['ackTargetDays'], message: code('adminForm.ackTargetDays.after_resolution') });
});
export type CategoryInput = z.infer<typeof categoryForm>;

/** The words residents might type for a category: one per line or separated by commas. */
export const categoryKeywordsForm = z.object({
  keywords: text({ multiline: true })
    .optional()
    .transform((value, ctx) => {
      const checked = checkKeywords(splitKeywords(value ?? ''));
      if ('keywords' in checked) return checked.keywords;
      const { code: problem, ...values } = checked.problem;
      ctx.addIssue({ code: 'custom', message: code(`adminForm.keywords.${problem}`), params: values });
      return z.NEVER;
    }),
});

export const QUESTION_TYPE_LABEL: Record<QuestionType, string> = {
  text: 'Text',
  number: 'Number',
  datetime: 'Date and time',
  single: 'One choice from a list',
  multi: 'Several choices from a list',
};
export const CHOICES_LIMIT = { min: 2, max: 30 } as const;
/** A choice's stored value (its answer in requests). */
export const CHOICE_CODE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

type ChoicesError = { code: AdminFormErrorCode; values?: Record<string, string | number> };

/** One choice per line: "Label", or "code | Label" to keep the stored code when a label is reworded. */
function parseChoices(text: string): { choices: { value: string; label: string }[] } | { error: ChoicesError } {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length < CHOICES_LIMIT.min) return { error: { code: 'adminForm.choices.too_few', values: { min: CHOICES_LIMIT.min } } };
  if (lines.length > CHOICES_LIMIT.max) return { error: { code: 'adminForm.choices.too_many', values: { max: CHOICES_LIMIT.max } } };
  const choices: { value: string; label: string }[] = [];
  for (const line of lines) {
    const bar = line.indexOf('|');
    const label = (bar === -1 ? line : line.slice(bar + 1)).trim();
    const value = bar === -1 ? codeFrom(label) : line.slice(0, bar).trim();
    if (!label) return { error: { code: 'adminForm.choices.label_missing', values: { line } } };
    if (label.length > 100) return { error: { code: 'adminForm.choices.label_too_long' } };
    if (!CHOICE_CODE.test(value)) return { error: { code: 'adminForm.choices.code_invalid', values: { code: value || line } } };
    if (choices.some((c) => c.value === value)) return { error: { code: 'adminForm.choices.code_duplicate', values: { code: value } } };
    choices.push({ value, label });
  }
  return { choices };
}

export const questionForm = z
  .object({
    label: requiredText('adminForm.label.required', 200),
    type: z.enum(QUESTION_TYPES, { errorMap: () => ({ message: code('adminForm.type.invalid') }) }),
    required: checkbox,
    public: checkbox,
    choices: text({ multiline: true }).optional().default(''),
  })
  .transform(({ choices, ...question }, ctx): Omit<CategoryQuestion, 'code'> => {
    if (question.type !== 'single' && question.type !== 'multi') return question;
    const parsed = parseChoices(choices);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: parsed.error.code, params: parsed.error.values });
      return z.NEVER;
    }
    return { ...question, choices: parsed.choices };
  });
export type QuestionInput = z.infer<typeof questionForm>;

export const departmentForm = z.object({
  name: requiredText('adminForm.name.required', 80),
  email: text()
    .trim()
    .max(254, code('adminForm.email.too_long'))
    .optional()
    .transform((v) => v?.toLowerCase() || null)
    .pipe(z.string().email(code('adminForm.departmentEmail.invalid')).nullable()),
});
export type DepartmentInput = z.infer<typeof departmentForm>;

const role = z.enum(['staff', 'admin'], { errorMap: () => ({ message: code('adminForm.role.invalid') }) });

export const invitationForm = z.object({ email: emailField, role });

export const memberRoleForm = z.object({ userId: z.string().uuid(code('adminForm.userId.invalid')), role });

/**
 * What the admin chose for a departing (or demoted) member's open requests, sent with the change
 * itself: nothing yet (the page then asks), keep, another person, each request's department, or nobody.
 */
export const openRequestsForm = z
  .object({
    openRequests: z.enum(['keep', 'person', 'department', 'unassigned']).optional().catch(undefined),
    reassignTo: z.string().uuid().optional().catch(undefined),
  });

export const profileForm = z.object({
  phone: optionalText(40).refine((v) => v === null || isUsPhoneNumber(v), code('adminForm.phone.invalid')),
  email: text()
    .trim()
    .max(254, code('adminForm.email.too_long'))
    .optional()
    .transform((v) => v?.toLowerCase() || null)
    .pipe(z.string().email(code('adminForm.profileEmail.invalid')).nullable()),
  // Only http(s): the site links to it, and a javascript: URL must never become a link.
  website: optionalText(200).refine((v) => {
    if (v === null) return true;
    try {
      const url = new URL(v);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
    } catch {
      return false;
    }
  }, code('adminForm.website.invalid')),
  accentColor: z
    .string({ required_error: code('adminForm.accentColor.required') })
    .trim()
    .toLowerCase()
    .regex(/^#[0-9a-f]{6}$/, code('adminForm.accentColor.invalid'))
    .superRefine((colour, ctx) => {
      const ratio = contrastRatio(colour, '#ffffff');
      if (ratio < MIN_TEXT_CONTRAST) {
        ctx.addIssue({
          code: 'custom',
          message: code('adminForm.accentColor.low_contrast'),
          params: { colour, ratio: formatRatio(ratio), minimum: MIN_TEXT_CONTRAST },
        });
      }
    }),
  welcomeMessage: optionalText(PROFILE_MESSAGE_MAX.welcomeMessage, { multiline: true }),
  bannerMessage: optionalText(PROFILE_MESSAGE_MAX.bannerMessage, { multiline: true }),
  removeLogo: checkbox,
});
export type ProfileInput = z.infer<typeof profileForm>;

/** A new Open311 API key: a name to know it by and what it may do (checkboxes named `scopes`). */
export const apiKeyForm = z.object({
  name: requiredText('adminForm.name.required', 80),
  scopes: z.array(z.enum(API_KEY_SCOPES, { errorMap: () => ({ message: code('adminForm.scopes.required') }) })).min(1, code('adminForm.scopes.required')),
});
export type ApiKeyInput = z.infer<typeof apiKeyForm>;

/** `localReceivers` (the development setting) admits http and local receivers; see app/utils/webhook-url.ts. */
export const webhookEndpointForm = (localReceivers: boolean) =>
  z.object({
    url: text({ required: 'adminForm.url.invalid' })
      .trim()
      .max(2000, code('adminForm.text.too_long'))
      .superRefine((url, ctx) => {
        const problem = webhookUrlProblem(url, localReceivers);
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: code(`adminForm.url.${problem}`) });
      }),
    events: z.array(z.enum(WEBHOOK_EVENTS, { errorMap: () => ({ message: code('adminForm.events.required') }) })).min(1, code('adminForm.events.required')),
  });
export type WebhookEndpointInput = z.infer<ReturnType<typeof webhookEndpointForm>>;

/** A day the town's offices close, besides the state's legal holidays (docs/decisions/0026). */
export const closureDayForm = z.object({
  day: z
    .string({ required_error: code('adminForm.day.invalid') })
    .trim()
    .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), code('adminForm.day.invalid')),
  name: requiredText('adminForm.closureName.required', 80),
});
export type ClosureDayInput = z.infer<typeof closureDayForm>;
