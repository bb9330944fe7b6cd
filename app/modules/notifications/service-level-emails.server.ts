import type { EmailMessage } from '~/utils/email.server';
import { escapeHtml } from './escape-html';
import { recipientT } from './recipient-t';

/** One request as staff emails name it: where it is, and the staff console's page for it. */
export type StaffRequestRef = { trackingNumber: string; categoryName: string; townName: string; place: string; staffUrl: string; due: string };

type Block = { heading?: string; lines: { text: string; url?: string }[] };

/** Plain text and the same in HTML, every value escaped; links on their own line in the text part. */
function staffEmail(to: string, subject: string, blocks: Block[], footer: { text: string; url: string }): EmailMessage {
  const t = recipientT();
  const text = blocks
    .map((b) => [b.heading, ...b.lines.map((l) => (l.url ? `${l.text}\n  ${l.url}` : l.text))].filter(Boolean).join('\n'))
    .concat(`${footer.text}: ${footer.url}`, t('signature'))
    .join('\n\n');
  const html = blocks
    .map((b) => {
      const heading = b.heading ? `<h2>${escapeHtml(b.heading)}</h2>` : '';
      const lines = b.lines.map((l) => (l.url ? `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.text)}</a></li>` : `<li>${escapeHtml(l.text)}</li>`)).join('');
      return `${heading}<ul>${lines}</ul>`;
    })
    .concat(`<p><small><a href="${escapeHtml(footer.url)}">${escapeHtml(footer.text)}</a></small></p>`, `<p>${escapeHtml(t('signature'))}</p>`)
    .join('');
  return { to, subject, text, html };
}

/** A request passed its resolution target while still open: to its assignee, else its department's address, else the town's admins. */
export function overdueEmail(to: string, request: StaffRequestRef, queueUrl: string): EmailMessage {
  const t = recipientT();
  return staffEmail(
    to,
    t('serviceLevels.overdue.subject', request),
    [{ lines: [{ text: t('serviceLevels.overdue.body', request) }, { text: t('serviceLevels.where', request) }, { text: t('serviceLevels.open', request), url: request.staffUrl }] }],
    { text: t('serviceLevels.overdue.queue'), url: queueUrl },
  );
}

export type DigestSection = { kind: 'overdue' | 'dueToday' | 'dueNext'; day: string; requests: StaffRequestRef[]; more: number };

/** The morning list of what is due and overdue among a staff member's requests; the footer says where to turn it off. */
export function dueDigestEmail(to: string, town: { name: string; day: string }, sections: DigestSection[], links: { queue: string; settings: string }): EmailMessage {
  const t = recipientT();
  const count = sections.reduce((n, s) => n + s.requests.length + s.more, 0);
  const blocks: Block[] = [{ lines: [{ text: t('serviceLevels.digest.intro', { townName: town.name, day: town.day, count }) }] }];
  for (const section of sections.filter((s) => s.requests.length > 0)) {
    blocks.push({
      heading: t(`serviceLevels.digest.${section.kind}`, { count: section.requests.length + section.more, day: section.day }),
      lines: [
        ...section.requests.map((r) => ({ text: t('serviceLevels.digest.line', r), url: r.staffUrl })),
        ...(section.more > 0 ? [{ text: t('serviceLevels.digest.more', { count: section.more }), url: links.queue }] : []),
      ],
    });
  }
  return staffEmail(to, t('serviceLevels.digest.subject', { townName: town.name, count }), blocks, { text: t('serviceLevels.digest.optOut'), url: links.settings });
}
