import type { EmailMessage } from '~/utils/email.server';
import { dateTimeFormat } from '~/utils/date-format';
import { escapeHtml } from './escape-html';
import { recipientT } from './recipient-t';

export type WebhookDisabledFacts = { townName: string; url: string; since: Date; timeZone: string; link: string };

/** To each town admin: an endpoint failed for a day and the app turned it off. */
export function webhookDisabledEmail(to: string, facts: WebhookDisabledFacts): EmailMessage {
  const t = recipientT();
  const since = dateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'short', timeZone: facts.timeZone }).format(facts.since);
  const body = t('webhookDisabled.body', { url: facts.url, since, townName: facts.townName });
  const linkText = t('webhookDisabled.link');
  const signature = t('signature');
  return {
    to,
    subject: t('webhookDisabled.subject', { townName: facts.townName }),
    text: `${body}\n\n${linkText}: ${facts.link}\n\n${signature}`,
    html: `<p>${escapeHtml(body)}</p><p><a href="${escapeHtml(facts.link)}">${escapeHtml(linkText)}</a></p><p>${escapeHtml(signature)}</p>`,
  };
}
