import type { LifecycleNoticeKind } from '#db/vocabulary';
import type { EmailMessage } from '~/utils/email.server';
import { escapeHtml } from './escape-html';
import { recipientT } from './recipient-t';

export type LifecycleNoticeFacts = { townName: string; end: string; stops: string; price: string; link: string; forState: boolean };

/** A reminder before the paid service ends, or the news of grace or lapse, to a town admin or state staff. */
export function lifecycleNoticeEmail(to: string, kind: LifecycleNoticeKind, facts: LifecycleNoticeFacts): EmailMessage {
  const t = recipientT();
  const body = t(`lifecycleNotice.body.${kind}`, facts);
  const linkText = t(facts.forState ? 'lifecycleNotice.stateLink' : 'lifecycleNotice.townLink');
  const signature = t('signature');
  return {
    to,
    subject: t(`lifecycleNotice.subject.${kind}`, facts),
    text: `${body}\n\n${linkText}: ${facts.link}\n\n${signature}`,
    html: `<p>${escapeHtml(body)}</p><p><a href="${escapeHtml(facts.link)}">${escapeHtml(linkText)}</a></p><p>${escapeHtml(signature)}</p>`,
  };
}
