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
