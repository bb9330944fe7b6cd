import { z } from 'zod';
import { formText } from '~/utils/control-characters';

// A short list of the passwords guessed first; length does the rest of the work.
const COMMON_PASSWORDS = new Set([
  'password', 'password1', 'password123', '1234567890', '12345678910', 'qwertyuiop', 'iloveyou123',
  'letmein123', 'welcome123', 'football123', 'baseball123', 'passw0rd123', 'administrator', 'changeme123',
  'commonwealth', 'massachusetts', 'qwerty12345', 'abc1234567', '1q2w3e4r5t', 'sunshine123',
]);

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export const emailField = formText({ required_error: 'Enter your email address' })
  .trim()
  .min(1, 'Enter your email address')
  .max(254, 'That email address is too long')
  .email('Enter an email address like name@example.com')
  .transform((e) => e.toLowerCase());

// A password keeps any tab or line break it was pasted with; other control characters are refused.
export const newPasswordField = formText({ multiline: true, required_error: 'Choose a password' })
  .min(1, 'Choose a password')
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`)
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), 'That password is too common; choose another')
  .refine((p) => new Set(p).size >= 4, 'Use a less repetitive password');

export const signUpForm = z
  .object({
    email: emailField,
    displayName: formText().trim().max(80, 'Use at most 80 characters').optional().transform((v) => v || null),
    password: newPasswordField,
  })
  .refine((f) => !f.password.toLowerCase().includes(f.email.split('@')[0]!), {
    path: ['password'],
    message: 'Your password must not contain your email address',
  });

export const signInForm = z.object({
  email: emailField,
  password: formText({ multiline: true, required_error: 'Enter your password' }).min(1, 'Enter your password').max(PASSWORD_MAX * 4),
});

export const passwordResetRequestForm = z.object({ email: emailField });

export const passwordResetForm = z.object({
  token: formText().min(1, 'This reset link is incomplete'),
  password: newPasswordField,
});
