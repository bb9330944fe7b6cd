import type { EmailMessage } from '~/utils/email.server';
import { escapeHtml } from './escape-html';
import { recipientT } from './recipient-t';

/** An invitation to a town's staff; the link carries the one-time token. */
export function invitationEmail(
  to: string,
  invitation: { townName: string; role: 'staff' | 'admin'; link: string; invitedBy: string; validDays: number },
): EmailMessage {
  const t = recipientT();
  const values = { to, townName: invitation.townName, invitedBy: invitation.invitedBy, validDays: invitation.validDays };
  const intro = t(invitation.role === 'admin' ? 'invitation.intro_admin' : 'invitation.intro_staff', values);
  const how = t('invitation.how', values);
  const outro = t('invitation.outro', values);
  const [linkText, signature] = [t('invitation.link'), t('signature')];
  return {
    to,
    subject: t('invitation.subject', values),
    text: `${intro}\n\n${how}\n\n${linkText}: ${invitation.link}\n\n${outro}\n\n${signature}`,
    html: [intro, how].map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
      `<p><a href="${escapeHtml(invitation.link)}">${escapeHtml(linkText)}</a></p><p>${escapeHtml(outro)}</p><p>${escapeHtml(signature)}</p>`,
  };
}
