import type { LifecycleNoticeKind } from '#db/vocabulary';
import type { EmailMessage } from '~/utils/email.server';
import { escapeHtml } from './escape-html';
import { recipientT } from './recipient-t';

/** `count`: days left until the end, as of sending (a reminder caught up late says how many are really left). */
export type LifecycleNoticeFacts = { townName: string; end: string; stops: string; price: string; count: number; link: string; forState: boolean };

/** A reminder before the paid service ends, or the news of grace or lapse, to a town admin or state staff. */
export function lifecycleNoticeEmail(to: string, kind: LifecycleNoticeKind, facts: LifecycleNoticeFacts): EmailMessage {
  const t = recipientT();
  // The four reminders differ only in the days left, which the wording takes from `count`.
  const wording = kind.startsWith('ending_') ? 'ending' : kind;
  const body = t(`lifecycleNotice.body.${wording}`, facts);
  const linkText = t(facts.forState ? 'lifecycleNotice.stateLink' : 'lifecycleNotice.townLink');
  const signature = t('signature');
  return {
    to,
    subject: t(`lifecycleNotice.subject.${wording}`, facts),
    text: `${body}\n\n${linkText}: ${facts.link}\n\n${signature}`,
    html: `<p>${escapeHtml(body)}</p><p><a href="${escapeHtml(facts.link)}">${escapeHtml(linkText)}</a></p><p>${escapeHtml(signature)}</p>`,
  };
}
