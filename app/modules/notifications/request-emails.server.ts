import type { EmailMessage } from '~/utils/email.server';
import { escapeHtml } from './escape-html';
import { recipientT } from './recipient-t';
import { STAFF_LOCATION_ANCHOR } from './staff-location';

type RequestRef = { trackingNumber: string; townName: string; categoryName: string; url: string };

/** A follower's ways out: the page that asks first, and the one-click POST mail providers make (RFC 8058). */
export type UnsubscribeLinks = { page: string; oneClick: string };

type Action = { label: string; url: string };

type Parts = {
  paragraphs: string[];
  /** Links the email is for ("Yes, it's fixed"), each on its own line. */
  actions?: Action[];
  /** A withdrawn request's page is gone, so its emails do not link to it. */
  linkToRequest?: boolean;
  unsubscribe: UnsubscribeLinks | null;
};

/**
 * The one shape of every email about a request. With unsubscribe links it carries List-Unsubscribe
 * and List-Unsubscribe-Post, so the recipient's mail app offers "Unsubscribe" and POSTs it itself.
 */
function compose(to: string, subject: string, request: RequestRef, { paragraphs, actions = [], linkToRequest = true, unsubscribe }: Parts): EmailMessage {
  const t = recipientT();
  const stop = t('request.stop', { trackingNumber: request.trackingNumber });
  return {
    to,
    subject,
    text: [
      ...paragraphs,
      ...actions.map((a) => `${a.label}: ${a.url}`),
      linkToRequest ? t('request.follow', { url: request.url }) : '',
      unsubscribe ? `${stop}: ${unsubscribe.page}` : '',
      t('signature'),
    ]
      .filter(Boolean)
      .join('\n\n'),
    html: [
      ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
      ...actions.map((a) => `<p><a href="${escapeHtml(a.url)}"><strong>${escapeHtml(a.label)}</strong></a></p>`),
      linkToRequest ? `<p><a href="${escapeHtml(request.url)}">${escapeHtml(t('request.see', { trackingNumber: request.trackingNumber }))}</a></p>` : '',
      unsubscribe ? `<p><small><a href="${escapeHtml(unsubscribe.page)}">${escapeHtml(stop)}</a></small></p>` : '',
      `<p>${escapeHtml(t('signature'))}</p>`,
    ].join(''),
    headers: unsubscribe ? { 'List-Unsubscribe': `<${unsubscribe.oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : undefined,
  };
}

/** `manage`: the email-only reporter's private link to withdraw, follow or comment without an account. */
export function requestReceivedEmail(to: string, request: RequestRef, unsubscribe: UnsubscribeLinks | null, manage: { url: string; validDays: number } | null): EmailMessage {
  const t = recipientT();
  const paragraphs = [t('request.received.body', request)];
  if (manage) paragraphs.push(t('request.received.manage', { days: manage.validDays }));
  const actions = manage ? [{ label: t('request.received.manageLink', request), url: manage.url }] : [];
  return compose(to, t('request.received.subject', request), request, { paragraphs, actions, unsubscribe });
}

export function requestUpdateEmail(to: string, request: RequestRef, update: string, unsubscribe: UnsubscribeLinks): EmailMessage {
  const t = recipientT();
  const subject = t('request.update.subject', { trackingNumber: request.trackingNumber, headline: update.split('\n')[0]!.slice(0, 80) });
  return compose(to, subject, request, { paragraphs: [t('request.update.heading', request), update], unsubscribe });
}

/** Where the problem is, as staff emails give it. */
export type RequestPlace = { address: string | null; lat: number; lng: number };

/** How a staff email names a request: its `url` is the staff page, and every staff email says where the problem is. */
export type StaffRequestRef = RequestRef & { place: RequestPlace };


/**
 * To staff (a department's address, an assignee, the admins): the location in words and a link to the
 * request page's map, so a crew can head out from the email; staff links, no unsubscribe (it is their work queue).
 */
function composeForStaff(to: string, subject: string, request: StaffRequestRef, paragraphs: string[]): EmailMessage {
  const t = recipientT();
  const { address, lat, lng } = request.place;
  const point = `${lat.toFixed(5)}, ${lng.toFixed(5)}`;
  const where = t('request.staffPlace.where', { place: address ? `${address} (${point})` : point });
  const map = { label: t('request.staffPlace.map'), url: `${request.url}#${STAFF_LOCATION_ANCHOR}` };
  return compose(to, subject, request, { paragraphs: [...paragraphs, where], actions: [map], unsubscribe: null });
}

export function newRequestForStaffEmail(to: string, request: StaffRequestRef, description: string): EmailMessage {
  const t = recipientT();
  return composeForStaff(to, t('request.newForStaff.subject', request), request, [t('request.newForStaff.body', request), description.slice(0, 500)]);
}

export function assignedToYouEmail(to: string, request: StaffRequestRef): EmailMessage {
  const t = recipientT();
  return composeForStaff(to, t('request.assigned.subject', request), request, [t('request.assigned.body', request)]);
}

/** A resident reopened a closed request: to its department (or the town's admins) and its assignee. */
export function reopenedForStaffEmail(to: string, request: StaffRequestRef, comment: string | null): EmailMessage {
  const t = recipientT();
  const paragraphs = [t('request.reopened.body', request), comment ? t('request.reopened.comment', { comment: comment.slice(0, 1000) }) : t('request.reopened.noComment')];
  return composeForStaff(to, t('request.reopened.subject', request), request, paragraphs);
}

/** Another town moved a request here (a corrected location): to the receiving department (or the admins), with the sender's note. */
export function transferredInForStaffEmail(to: string, request: StaffRequestRef, from: { townName: string; trackingNumber: string; sender: string; note: string }, description: string): EmailMessage {
  const t = recipientT();
  const paragraphs = [t('request.transferredIn.body', { ...request, fromTown: from.townName, fromTrackingNumber: from.trackingNumber }), t('request.transferredIn.note', { sender: from.sender, note: from.note.slice(0, 2000) }), description.slice(0, 500)];
  return composeForStaff(to, t('request.transferredIn.subject', { ...request, fromTown: from.townName }), request, paragraphs);
}

/** Following by email starts only from this link, so nobody can subscribe someone else. */
export function followConfirmationEmail(to: string, request: RequestRef, confirmUrl: string): EmailMessage {
  const t = recipientT();
  return compose(to, t('request.confirmFollow.subject', request), request, {
    paragraphs: [t('request.confirmFollow.body', request), t('request.confirmFollow.outro')],
    actions: [{ label: t('request.confirmFollow.link'), url: confirmUrl }],
    unsubscribe: null,
  });
}

export type FixedCheckLinks = { yes: string; no: string; manage: string | null; reopenUntil: string };

/** "Is it fixed?", a few days after the town closed the request as fixed: two answers, each asked again on its page. */
export function fixedCheckEmail(to: string, request: RequestRef, links: FixedCheckLinks, unsubscribe: UnsubscribeLinks): EmailMessage {
  const t = recipientT();
  const actions = [
    { label: t('request.fixedCheck.yes'), url: links.yes },
    { label: t('request.fixedCheck.no'), url: links.no },
    ...(links.manage ? [{ label: t('request.received.manageLink', request), url: links.manage }] : []),
  ];
  return compose(to, t('request.fixedCheck.subject', request), request, {
    paragraphs: [t('request.fixedCheck.body', request), t('request.fixedCheck.until', { until: links.reopenUntil })],
    actions,
    unsubscribe,
  });
}

/** To the reporter, after they withdrew their report. */
export function withdrawnConfirmationEmail(to: string, request: RequestRef, reason: string | null): EmailMessage {
  const t = recipientT();
  const paragraphs = [t('request.withdrawn.body', request)];
  if (reason) paragraphs.push(t('request.withdrawn.reason', { reason }));
  paragraphs.push(t('request.withdrawn.outro'));
  return compose(to, t('request.withdrawn.subject', request), request, { paragraphs, linkToRequest: false, unsubscribe: null });
}
