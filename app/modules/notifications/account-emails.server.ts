import type { EmailMessage } from '~/utils/email.server';
import { escapeHtml } from './escape-html';
import { recipientT } from './recipient-t';

type LinkEmailKey = 'verification' | 'passwordReset' | 'finishSignUp' | 'accountExists';

/** A subject, an intro, one link and an outro, from the catalogue's `emails:<key>.*`. */
function linkEmail(to: string, key: LinkEmailKey, link: string, values: Record<string, string> = {}): EmailMessage {
  const t = recipientT();
  const [intro, linkText, outro, signature] = [t(`${key}.intro`, values), t(`${key}.link`), t(`${key}.outro`, values), t('signature')];
  return {
    to,
    subject: t(`${key}.subject`),
    text: `${intro}\n\n${linkText}: ${link}\n\n${outro}\n\n${signature}`,
    html: `<p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(linkText)}</a></p><p>${escapeHtml(outro)}</p><p>${escapeHtml(signature)}</p>`,
  };
}

export function verificationEmail(to: string, link: string): EmailMessage {
  return linkEmail(to, 'verification', link);
}

export function passwordResetEmail(to: string, link: string): EmailMessage {
  return linkEmail(to, 'passwordReset', link);
}

export function finishSignUpEmail(to: string, link: string): EmailMessage {
  return linkEmail(to, 'finishSignUp', link);
}

/** Sent instead of a sign-up link when the address already has an account, so the sign-up page can answer the same either way. */
export function accountExistsEmail(to: string, links: { signIn: string; resetPassword: string }): EmailMessage {
  return linkEmail(to, 'accountExists', links.signIn, { resetPassword: links.resetPassword });
}
