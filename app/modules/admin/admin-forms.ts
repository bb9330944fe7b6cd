import { z } from 'zod';
import { QUESTION_TYPES, type CategoryQuestion, type QuestionType } from '#db/vocabulary';
import { emailField } from '~/modules/accounts/account-forms';
import { formText } from '~/utils/control-characters';
import { contrastRatio, formatRatio, MIN_TEXT_CONTRAST } from './contrast';

/** One Zod schema per admin form; routes parse with them and word `fieldErrorCodesOf` next to each field. */

/** Every message of these forms, as a path in the errors catalogue (`errors:adminForm.…`): routes word them. */
export const ADMIN_FORM_ERROR_CODES = ['adminForm.role.invalid', 'adminForm.userId.invalid'] as const;

type AdminFormErrorCode = (typeof ADMIN_FORM_ERROR_CODES)[number];
const code = (value: AdminFormErrorCode) => value;

const requiredText = (what: string, max: number) =>
  formText({ required_error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `Use at most ${max} characters`);

const optionalText = (max: number, { multiline = false } = {}) =>
  formText({ multiline })
    .trim()
    .max(max, `Use at most ${max} characters`)
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

export const TARGET_DAYS = { min: 1, max: 60 } as const;

const targetDays = z
  .string({ required_error: 'Enter a target in business days' })
  .trim()
  .transform((v, ctx) => {
    const n = Number(v);
    if (!v || !Number.isInteger(n)) {
      ctx.addIssue({ code: 'custom', message: 'Enter a whole number of business days' });
      return z.NEVER;
    }
    if (n < TARGET_DAYS.min || n > TARGET_DAYS.max) {
      ctx.addIssue({ code: 'custom', message: `The target must be between ${TARGET_DAYS.min} and ${TARGET_DAYS.max} business days` });
      return z.NEVER;
    }
    return n;
  });

export const categoryForm = z.object({
  name: requiredText('a name', 80),
  group: requiredText('a group, such as “Streets & sidewalks”', 60),
  description: formText({ multiline: true })
    .trim()
    .max(500, 'Use at most 500 characters')
    .optional()
    .transform((v) => v ?? ''),
  targetDays,
  departmentId: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .pipe(z.string().uuid('Choose a department from the list').nullable()),
});
export type CategoryInput = z.infer<typeof categoryForm>;

export const QUESTION_TYPE_LABEL: Record<QuestionType, string> = {
  text: 'Text',
  number: 'Number',
  datetime: 'Date and time',
  single: 'One choice from a list',
  multi: 'Several choices from a list',
};
export const CHOICES_LIMIT = { min: 2, max: 30 } as const;
const CHOICE_CODE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** One choice per line: "Label", or "code | Label" to keep the stored code when a label is reworded. */
function parseChoices(text: string): { choices: { value: string; label: string }[] } | { message: string } {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length < CHOICES_LIMIT.min) return { message: `List at least ${CHOICES_LIMIT.min} choices, one per line` };
  if (lines.length > CHOICES_LIMIT.max) return { message: `List at most ${CHOICES_LIMIT.max} choices` };
  const choices: { value: string; label: string }[] = [];
  for (const line of lines) {
    const bar = line.indexOf('|');
    const label = (bar === -1 ? line : line.slice(bar + 1)).trim();
    const value = bar === -1 ? codeFrom(label) : line.slice(0, bar).trim();
    if (!label) return { message: `Give the choice “${line}” a label after the bar` };
    if (label.length > 100) return { message: 'Keep each choice under 100 characters' };
    if (!CHOICE_CODE.test(value)) return { message: `The code “${value || line}” may use only lowercase letters, digits, dashes and underscores` };
    if (choices.some((c) => c.value === value)) return { message: `Two choices have the code “${value}”; give each choice a different label or code` };
    choices.push({ value, label });
  }
  return { choices };
}

export const questionForm = z
  .object({
    label: requiredText('the question', 200),
    type: z.enum(QUESTION_TYPES, { errorMap: () => ({ message: 'Choose what kind of answer it takes' }) }),
    required: checkbox,
    public: checkbox,
    choices: formText({ multiline: true }).optional().default(''),
  })
  .transform(({ choices, ...question }, ctx): Omit<CategoryQuestion, 'code'> => {
    if (question.type !== 'single' && question.type !== 'multi') return question;
    const parsed = parseChoices(choices);
    if ('message' in parsed) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: parsed.message });
      return z.NEVER;
    }
    return { ...question, choices: parsed.choices };
  });
export type QuestionInput = z.infer<typeof questionForm>;

export const departmentForm = z.object({
  name: requiredText('a name', 80),
  email: formText()
    .trim()
    .max(254, 'That email address is too long')
    .optional()
    .transform((v) => v?.toLowerCase() || null)
    .pipe(z.string().email('Enter an email address like streets@example.gov').nullable()),
});
export type DepartmentInput = z.infer<typeof departmentForm>;

const role = z.enum(['staff', 'admin'], { errorMap: () => ({ message: code('adminForm.role.invalid') }) });

export const invitationForm = z.object({ email: emailField, role });

export const memberRoleForm = z.object({ userId: z.string().uuid(code('adminForm.userId.invalid')), role });

// US numbers: 10 digits (an optional leading 1), punctuation as people write it, an optional extension.
const PHONE = /^\+?[0-9().\-\s]+(\s*(x|ext\.?)\s*[0-9]{1,6})?$/i;

export const profileForm = z.object({
  phone: optionalText(40).refine((v) => {
    if (v === null) return true;
    const digits = v.replace(/(x|ext\.?).*$/i, '').replace(/\D/g, '');
    return PHONE.test(v) && (digits.length === 10 || (digits.length === 11 && digits.startsWith('1')));
  }, 'Enter a 10-digit phone number, like 617-555-0100'),
  email: formText()
    .trim()
    .max(254, 'That email address is too long')
    .optional()
    .transform((v) => v?.toLowerCase() || null)
    .pipe(z.string().email('Enter an email address like 311@example.gov').nullable()),
  // Only http(s): the site links to it, and a javascript: URL must never become a link.
  website: optionalText(200).refine((v) => {
    if (v === null) return true;
    try {
      const url = new URL(v);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
    } catch {
      return false;
    }
  }, 'Enter the full address, starting with https://'),
  accentColor: z
    .string({ required_error: 'Enter a colour like #1a4480' })
    .trim()
    .toLowerCase()
    .regex(/^#[0-9a-f]{6}$/, 'Enter a colour as # and six hexadecimal digits, like #1a4480')
    .superRefine((colour, ctx) => {
      const ratio = contrastRatio(colour, '#ffffff');
      if (ratio < MIN_TEXT_CONTRAST) {
        ctx.addIssue({
          code: 'custom',
          message: `White text on ${colour} has a contrast ratio of ${formatRatio(ratio)}; it needs at least ${MIN_TEXT_CONTRAST}:1. Choose a darker colour.`,
        });
      }
    }),
  welcomeMessage: optionalText(500, { multiline: true }),
  bannerMessage: optionalText(300, { multiline: true }),
  removeLogo: checkbox,
});
export type ProfileInput = z.infer<typeof profileForm>;
