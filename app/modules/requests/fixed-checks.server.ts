import { and, asc, eq, gt, lte, notExists, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { requestEvents, requestFixedChecks, requestFollowers, serviceRequests } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import { fixedCheckEmail } from '~/modules/notifications/request-emails.server';
import type { EmailMessage } from '~/utils/email.server';
import { enqueueTownEmails } from '~/utils/outbox.server';
import { listTowns, type TownProfile } from '~/utils/town-profile.server';
import { townLinks } from '~/utils/town.server';
import { reopenWithComment, type ResidentComment } from './reporter-actions.server';
import { checkRequestToken, deleteExpiredRequestTokens, issueRequestToken, useRequestToken, type TokenProblem } from './request-tokens.server';
import { findRequest, requestRef, unsubscribeLinksFor, type FoundRequest, type RequestLinks } from './request-updates.server';
import { reopenWindowEnd } from './statuses';

const DAY_MS = 86_400_000;

/** "Is it fixed?" goes out this many days after the town closes a request as fixed… */
export const FIXED_CHECK_AFTER_DAYS = 3;
/** …and not at all for a close older than this when the job first sees it (it was down for a week). */
export const FIXED_CHECK_LAST_DAY = 10;
/** Closes asked about per town and run; the rest wait for the next hour. */
const BATCH = 200;

const longDay = (date: Date, timeZone: string) => new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'long' }).format(date);

type DueClose = { id: string; trackingNumber: string; closedAt: Date };

async function dueCloses(tx: Tx, now: Date): Promise<DueClose[]> {
  const rows = await tx
    .select({ id: serviceRequests.id, trackingNumber: serviceRequests.trackingNumber, closedAt: serviceRequests.closedAt })
    .from(serviceRequests)
    .where(
      and(
        eq(serviceRequests.status, 'fixed'),
        lte(serviceRequests.closedAt, new Date(now.getTime() - FIXED_CHECK_AFTER_DAYS * DAY_MS)),
        gt(serviceRequests.closedAt, new Date(now.getTime() - FIXED_CHECK_LAST_DAY * DAY_MS)),
        notExists(
          tx
            .select({ one: sql`1` })
            .from(requestFixedChecks)
            .where(
              and(
                eq(requestFixedChecks.townId, serviceRequests.townId),
                eq(requestFixedChecks.requestId, serviceRequests.id),
                eq(requestFixedChecks.closedAt, serviceRequests.closedAt),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(serviceRequests.closedAt))
    .limit(BATCH);
  return rows.map((r) => ({ ...r, closedAt: r.closedAt! }));
}

/**
 * Every follower's question about one close, each with answer links of their own that work until
 * the reopen window ends; the email-only reporter also gets a fresh manage link (to reopen with a
 * comment or add one) for as long.
 */
async function questionsFor(tx: Tx, town: TownProfile, found: FoundRequest, followers: (typeof requestFollowers.$inferSelect)[], closedAt: Date, links: RequestLinks): Promise<EmailMessage[]> {
  const { request } = found;
  const expiresAt = reopenWindowEnd(closedAt);
  const ref = requestRef(found, links.request(request.trackingNumber));
  const messages: EmailMessage[] = [];
  for (const follower of followers) {
    const issue = (purpose: 'fixed_check' | 'manage') => issueRequestToken(tx, { townId: town.id, requestId: request.id, purpose, email: follower.email, expiresAt });
    const answer = await issue('fixed_check');
    const isEmailOnlyReporter = !request.reporterUserId && request.reporterEmail?.toLowerCase() === follower.email.toLowerCase();
    const manage = isEmailOnlyReporter ? links.manage(request.trackingNumber, await issue('manage')) : null;
    const answerLinks = {
      yes: links.fixedCheck(request.trackingNumber, answer, 'yes'),
      no: links.fixedCheck(request.trackingNumber, answer, 'no'),
      manage,
      reopenUntil: longDay(expiresAt, town.timezone),
    };
    messages.push(fixedCheckEmail(follower.email, ref, answerLinks, unsubscribeLinksFor(links, follower.unsubscribeToken)));
  }
  return messages;
}

/**
 * One town's due questions, in one transaction: for each close the row is inserted first (its key
 * is the request and the close, so a second process, or a second run, inserts nothing and sends
 * nothing), and only the transaction whose insert created it issues the links and queues the emails.
 */
async function askTown(town: TownProfile, now: Date): Promise<number> {
  return withTown(town.id, async (tx) => {
    await deleteExpiredRequestTokens(tx, now);
    const due = await dueCloses(tx, now);
    const links = townLinks(town.slug);
    let sent = 0;
    for (const close of due) {
      const found = await findRequest(tx, close.trackingNumber);
      if (!found) continue;
      const followers = await tx.select().from(requestFollowers).where(eq(requestFollowers.requestId, close.id));
      const [claimed] = await tx
        .insert(requestFixedChecks)
        .values({ townId: town.id, requestId: close.id, closedAt: close.closedAt, recipients: followers.length })
        .onConflictDoNothing()
        .returning({ requestId: requestFixedChecks.requestId });
      if (!claimed) continue;
      const messages = await questionsFor(tx, town, found, followers, close.closedAt, links);
      await enqueueTownEmails(tx, town.id, messages);
      sent += messages.length;
    }
    return sent;
  });
}

/**
 * The scheduled job (app/background-workers.server.ts): asks the followers of every request closed
 * as fixed a few days ago whether it is, once per close however many processes run it.
 */
export async function askWhetherFixed(now = new Date()): Promise<{ emails: number }> {
  let emails = 0;
  for (const town of await listTowns()) emails += await askTown(town, now);
  return { emails };
}

/** Every refusal of an answer, as a path in the errors catalogue (`errors:fixedCheck.…`). */
export const FIXED_CHECK_ERROR_CODES = ['fixedCheck.link.invalid', 'fixedCheck.link.expired', 'fixedCheck.link.used', 'fixedCheck.notClosed'] as const;
export type FixedCheckErrorCode = (typeof FIXED_CHECK_ERROR_CODES)[number];

export type FixedCheckAnswer = 'yes' | 'no';
export type FixedCheckView = { ok: true; trackingNumber: string; categoryName: string; townName: string; reopenUntil: Date } | { ok: false; code: FixedCheckErrorCode };

const LINK_PROBLEM: Record<TokenProblem, FixedCheckErrorCode> = { invalid: 'fixedCheck.link.invalid', expired: 'fixedCheck.link.expired', used: 'fixedCheck.link.used' };

async function askedAbout(tx: Tx, trackingNumber: string, token: string, now: Date) {
  const checked = await checkRequestToken(tx, token, 'fixed_check', now);
  if (!checked.ok) return { ok: false, code: LINK_PROBLEM[checked.reason] } as const;
  const found = await findRequest(tx, trackingNumber);
  if (!found || found.request.id !== checked.token.requestId) return { ok: false, code: 'fixedCheck.link.invalid' } as const;
  return { ok: true, found, token: checked.token } as const;
}

/** What an answer link is about, before its button is pressed (opening it changes nothing). */
export async function inspectFixedCheck(townId: number, trackingNumber: string, token: string, now = new Date()): Promise<FixedCheckView> {
  return withTown(townId, async (tx) => {
    const asked = await askedAbout(tx, trackingNumber, token, now);
    if (!asked.ok) return asked;
    return { ok: true, trackingNumber: asked.found.request.trackingNumber, categoryName: asked.found.categoryName, townName: asked.found.townName, reopenUntil: asked.token.expiresAt };
  });
}

/** Thrown to roll back an answer whose link another click used first. */
class AnsweredMeanwhile extends Error {}

/**
 * The answer, once per link. "Yes" is noted for the town's staff; "no" reopens the request with the
 * comment, within 30 days of the close and while it is still closed as fixed (else nothing changes
 * and the link still works for a "yes").
 */
export async function answerFixedCheck(
  townId: number,
  trackingNumber: string,
  token: string,
  answer: FixedCheckAnswer,
  comment: ResidentComment,
  links: RequestLinks,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; code: FixedCheckErrorCode }> {
  try {
    return await withTown(townId, async (tx) => {
      const asked = await askedAbout(tx, trackingNumber, token, now);
      if (!asked.ok) return asked;
      const { found } = asked;
      if (answer === 'no') {
        const reopened = await reopenWithComment(tx, found, { kind: 'follower', requestId: found.request.id }, comment, links, now);
        if (!reopened.ok) return { ok: false, code: reopened.reason === 'reopen_window_passed' ? 'fixedCheck.link.expired' : 'fixedCheck.notClosed' };
      } else {
        await tx.insert(requestEvents).values({ townId, id: uuidv7(), requestId: found.request.id, kind: 'fixed_confirmed', public: false, message: comment.text });
      }
      // Used last, so a refused "no" leaves the link working; a second click that lost the race rolls back.
      if (!(await useRequestToken(tx, asked.token.id, now))) throw new AnsweredMeanwhile();
      return { ok: true } as const;
    });
  } catch (error) {
    if (error instanceof AnsweredMeanwhile) return { ok: false, code: 'fixedCheck.link.used' };
    throw error;
  }
}
