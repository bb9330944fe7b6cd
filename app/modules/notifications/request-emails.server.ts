import type { EmailMessage } from '~/utils/email.server';
import { escapeHtml } from './escape-html';
import { recipientT } from './recipient-t';

type RequestRef = { trackingNumber: string; townName: string; categoryName: string; url: string };

function compose(to: string, subject: string, paragraphs: string[], request: RequestRef, unsubscribeUrl: string | null): EmailMessage {
  const t = recipientT();
  const stop = t('request.stop', { trackingNumber: request.trackingNumber });
  const footer = unsubscribeUrl ? `${stop}: ${unsubscribeUrl}` : '';
  return {
    to,
    subject,
    text: [...paragraphs, t('request.follow', { url: request.url }), footer, t('signature')].filter(Boolean).join('\n\n'),
    html: [
      ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
      `<p><a href="${escapeHtml(request.url)}">${escapeHtml(t('request.see', { trackingNumber: request.trackingNumber }))}</a></p>`,
      unsubscribeUrl ? `<p><small><a href="${escapeHtml(unsubscribeUrl)}">${escapeHtml(stop)}</a></small></p>` : '',
      `<p>${escapeHtml(t('signature'))}</p>`,
    ].join(''),
  };
}

export function requestReceivedEmail(to: string, request: RequestRef, unsubscribeUrl: string | null): EmailMessage {
  const t = recipientT();
  return compose(to, t('request.received.subject', request), [t('request.received.body', request)], request, unsubscribeUrl);
}

export function requestUpdateEmail(to: string, request: RequestRef, update: string, unsubscribeUrl: string): EmailMessage {
  const t = recipientT();
  const subject = t('request.update.subject', { trackingNumber: request.trackingNumber, headline: update.split('\n')[0]!.slice(0, 80) });
  return compose(to, subject, [t('request.update.heading', request), update], request, unsubscribeUrl);
}

/** To a department's address or an assignee: staff links, no unsubscribe (it is their work queue). */
export function newRequestForStaffEmail(to: string, request: RequestRef, description: string): EmailMessage {
  const t = recipientT();
  return compose(to, t('request.newForStaff.subject', request), [t('request.newForStaff.body', request), description.slice(0, 500)], request, null);
}

export function assignedToYouEmail(to: string, request: RequestRef): EmailMessage {
  const t = recipientT();
  return compose(to, t('request.assigned.subject', request), [t('request.assigned.body', request)], request, null);
}
