import { z } from 'zod';
import { codedFormBuilders } from '~/utils/field-errors';

// A short list of the passwords guessed first; length does the rest of the work.
const COMMON_PASSWORDS = new Set([
  'password', 'password1', 'password123', '1234567890', '12345678910', 'qwertyuiop', 'iloveyou123',
  'letmein123', 'welcome123', 'football123', 'baseball123', 'passw0rd123', 'administrator', 'changeme123',
  'commonwealth', 'massachusetts', 'qwerty12345', 'abc1234567', '1q2w3e4r5t', 'sunshine123',
]);

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** Every message of these forms, as a path in the errors catalogue (`errors:account.…`): routes word them. */
export const ACCOUNT_FORM_ERROR_CODES = [
  'account.text.control_characters',
  'account.email.required',
  'account.email.too_long',
  'account.email.invalid',
  'account.displayName.too_long',
  'account.password.required',
  'account.password.too_short',
  'account.password.too_long',
  'account.password.too_common',
  'account.password.too_repetitive',
  'account.password.contains_email',
  'account.signInPassword.required',
  'account.token.required',
] as const;

type AccountFormErrorCode = (typeof ACCOUNT_FORM_ERROR_CODES)[number];
const { code, text } = codedFormBuilders<AccountFormErrorCode>('account.text.control_characters');

export const emailField = text({ required: 'account.email.required' })
  .trim()
  .min(1, code('account.email.required'))
  .max(254, code('account.email.too_long'))
  .email(code('account.email.invalid'))
  .transform((e) => e.toLowerCase());

// A password keeps any tab or line break it was pasted with; other control characters are refused.
export const newPasswordField = text({ multiline: true, required: 'account.password.required' })
  .min(1, code('account.password.required'))
  .min(PASSWORD_MIN, code('account.password.too_short'))
  .max(PASSWORD_MAX, code('account.password.too_long'))
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), code('account.password.too_common'))
  .refine((p) => new Set(p).size >= 4, code('account.password.too_repetitive'));

export const signUpForm = z
  .object({
    email: emailField,
    displayName: text().trim().max(80, code('account.displayName.too_long')).optional().transform((v) => v || null),
    password: newPasswordField,
  })
  .refine((f) => !f.password.toLowerCase().includes(f.email.split('@')[0]!), {
    path: ['password'],
    message: code('account.password.contains_email'),
  });

export const signInForm = z.object({
  email: emailField,
  password: text({ multiline: true, required: 'account.signInPassword.required' })
    .min(1, code('account.signInPassword.required'))
    .max(PASSWORD_MAX * 4, code('account.password.too_long')),
});

export const passwordResetRequestForm = z.object({ email: emailField });

export const passwordResetForm = z.object({
  token: text().min(1, code('account.token.required')),
  password: newPasswordField,
});
