import type { EmailMessage } from '~/utils/email.server';
import { escapeHtml } from './escape-html';


type RequestRef = { trackingNumber: string; townName: string; categoryName: string; url: string };

function compose(to: string, subject: string, paragraphs: string[], request: RequestRef, unsubscribeUrl: string | null): EmailMessage {
  const footer = unsubscribeUrl ? `Stop emails about ${request.trackingNumber}: ${unsubscribeUrl}` : '';
  return {
    to,
    subject,
    text: [...paragraphs, `Follow it here: ${request.url}`, footer, 'Commonwealth Connect'].filter(Boolean).join('\n\n'),
    html: [
      ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
      `<p><a href="${escapeHtml(request.url)}">See ${escapeHtml(request.trackingNumber)}</a></p>`,
      unsubscribeUrl ? `<p><small><a href="${escapeHtml(unsubscribeUrl)}">Stop emails about ${escapeHtml(request.trackingNumber)}</a></small></p>` : '',
      '<p>Commonwealth Connect</p>',
    ].join(''),
  };
}

export function requestReceivedEmail(to: string, request: RequestRef, unsubscribeUrl: string | null): EmailMessage {
  return compose(
    to,
    `We received your report ${request.trackingNumber}`,
    [`Thank you. ${request.townName} received your report (${request.categoryName}). Your tracking number is ${request.trackingNumber}.`],
    request,
    unsubscribeUrl,
  );
}

export function requestUpdateEmail(to: string, request: RequestRef, update: string, unsubscribeUrl: string): EmailMessage {
  return compose(to, `Update on ${request.trackingNumber}: ${update.split('\n')[0]!.slice(0, 80)}`, [`${request.townName}, ${request.categoryName}:`, update], request, unsubscribeUrl);
}

/** To a department's address or an assignee: staff links, no unsubscribe (it is their work queue). */
export function newRequestForStaffEmail(to: string, request: RequestRef, description: string): EmailMessage {
  return compose(to, `New request ${request.trackingNumber}: ${request.categoryName}`, [`A new ${request.categoryName} request arrived in ${request.townName}.`, description.slice(0, 500)], request, null);
}

export function assignedToYouEmail(to: string, request: RequestRef): EmailMessage {
  return compose(to, `Assigned to you: ${request.trackingNumber} (${request.categoryName})`, [`${request.trackingNumber} in ${request.townName} was assigned to you.`], request, null);
}
