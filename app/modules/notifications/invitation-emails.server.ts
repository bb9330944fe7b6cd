import type { EmailMessage } from '~/utils/email.server';
import { escapeHtml } from './escape-html';


/** An invitation to a town's staff; the link carries the one-time token. */
export function invitationEmail(
  to: string,
  invitation: { townName: string; role: 'staff' | 'admin'; link: string; invitedBy: string; validDays: number },
): EmailMessage {
  const roleText = invitation.role === 'admin' ? 'an administrator' : 'a staff member';
  const intro = `${invitation.invitedBy} invited you to join ${invitation.townName} on Commonwealth Connect as ${roleText}.`;
  const how = `Open the link, then sign in with this email address (${to}) or create an account with it. One account works in every participating town.`;
  const outro = `The link works once and expires in ${invitation.validDays} days. If you did not expect this, ignore this email.`;
  return {
    to,
    subject: `Join ${invitation.townName} on Commonwealth Connect`,
    text: `${intro}\n\n${how}\n\nAccept the invitation: ${invitation.link}\n\n${outro}\n\nCommonwealth Connect`,
    html: [intro, how].map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
      `<p><a href="${escapeHtml(invitation.link)}">Accept the invitation</a></p><p>${escapeHtml(outro)}</p><p>Commonwealth Connect</p>`,
  };
}
