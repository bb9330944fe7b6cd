import type { EmailMessage } from '~/utils/email.server';
import { escapeHtml } from './escape-html';


function linkEmail(to: string, subject: string, intro: string, linkText: string, link: string, outro: string): EmailMessage {
  return {
    to,
    subject,
    text: `${intro}\n\n${linkText}: ${link}\n\n${outro}\n\nCommonwealth Connect`,
    html: `<p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(linkText)}</a></p><p>${escapeHtml(outro)}</p><p>Commonwealth Connect</p>`,
  };
}

export function verificationEmail(to: string, link: string): EmailMessage {
  return linkEmail(
    to,
    'Confirm your email for Commonwealth Connect',
    'Welcome to Commonwealth Connect. Please confirm that this is your email address.',
    'Confirm my email',
    link,
    'The link works once and expires in 48 hours. If you did not sign up, ignore this email.',
  );
}

export function passwordResetEmail(to: string, link: string): EmailMessage {
  return linkEmail(
    to,
    'Reset your Commonwealth Connect password',
    'Someone asked to reset the password of the Commonwealth Connect account for this email address.',
    'Choose a new password',
    link,
    'The link works once and expires in 1 hour. If you did not ask for this, ignore this email; your password stays the same.',
  );
}

export function finishSignUpEmail(to: string, link: string): EmailMessage {
  return linkEmail(
    to,
    'Finish creating your Commonwealth Connect account',
    'Welcome to Commonwealth Connect. Use this link to confirm your email address and finish creating your account.',
    'Create my account',
    link,
    'The link works once and expires in 48 hours. If you did not sign up, ignore this email and no account will be created.',
  );
}

/** Sent instead of a sign-up link when the address already has an account, so the sign-up page can answer the same either way. */
export function accountExistsEmail(to: string, links: { signIn: string; resetPassword: string }): EmailMessage {
  return linkEmail(
    to,
    'You already have a Commonwealth Connect account',
    'Someone (probably you) tried to create a Commonwealth Connect account with this email address, which already has one.',
    'Sign in',
    links.signIn,
    `Forgot your password? Choose a new one: ${links.resetPassword}. If this was not you, ignore this email; nothing has changed.`,
  );
}
