import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { requestFollowers, serviceRequests } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import { followConfirmationEmail } from '~/modules/notifications/request-emails.server';
import type { Resident } from '~/utils/capabilities.server';
import { enqueueTownEmail } from '~/utils/outbox.server';
import { hitRateLimit, type RateLimitRule } from '~/utils/rate-limit.server';
import { checkRequestToken, issueRequestToken, REQUEST_TOKEN_LIFETIME_MS, useRequestToken, type TokenProblem } from './request-tokens.server';
import { findRequest, requestRef, type FoundRequest, type RequestLinks } from './request-updates.server';

/** Confirmation emails one address (or one client) may be sent, so the form cannot be used to flood an inbox. */
export const FOLLOW_RATE_LIMITS = {
  perEmail: { limit: 5, windowSeconds: 60 * 60 },
  perIp: { limit: 30, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>;

/** Adds a follower in the caller's transaction; false when the address already follows (any case). */
export async function addFollower(tx: Tx, found: FoundRequest, follower: { userId: string | null; email: string }): Promise<boolean> {
  const inserted = await tx
    .insert(requestFollowers)
    .values({ townId: found.request.townId, id: uuidv7(), requestId: found.request.id, userId: follower.userId, email: follower.email, unsubscribeToken: randomBytes(24).toString('base64url') })
    .onConflictDoNothing()
    .returning({ id: requestFollowers.id });
  return inserted.length > 0;
}

/** Whether `email` follows the request, whatever its case. */
export async function emailFollows(tx: Tx, requestId: string, email: string): Promise<boolean> {
  const rows = await tx
    .select({ id: requestFollowers.id })
    .from(requestFollowers)
    .where(and(eq(requestFollowers.requestId, requestId), eq(sql`lower(${requestFollowers.email})`, email.toLowerCase())));
  return rows.length > 0;
}

export async function removeFollowerByEmail(tx: Tx, requestId: string, email: string): Promise<void> {
  await tx.delete(requestFollowers).where(and(eq(requestFollowers.requestId, requestId), eq(sql`lower(${requestFollowers.email})`, email.toLowerCase())));
}

export type FollowResult = { ok: true; alreadyFollowing: boolean } | { ok: false; reason: 'not_found' };

/**
 * Follows at once, for an address already proven: a signed-in account's confirmed email, a
 * confirmed follow link, the demo seed's people. Anyone else goes through `askToFollow`.
 */
export async function followRequest(townId: number, trackingNumber: string, follower: { userId: string | null; email: string }): Promise<FollowResult> {
  return withTown(townId, async (tx) => {
    const found = await findRequest(tx, trackingNumber);
    if (!found || found.request.status === 'withdrawn') return { ok: false, reason: 'not_found' };
    return { ok: true, alreadyFollowing: !(await addFollower(tx, found, follower)) };
  });
}

export async function isFollowing(townId: number, requestId: string, userId: string): Promise<boolean> {
  const rows = await withTown(townId, (tx) =>
    tx.select({ id: requestFollowers.id }).from(requestFollowers).where(and(eq(requestFollowers.requestId, requestId), eq(requestFollowers.userId, userId))),
  );
  return rows.length > 0;
}

export async function unfollowRequest(resident: Resident, townId: number, trackingNumber: string): Promise<void> {
  await withTown(townId, async (tx) => {
    const found = await findRequest(tx, trackingNumber);
    if (found) await tx.delete(requestFollowers).where(and(eq(requestFollowers.requestId, found.request.id), eq(requestFollowers.userId, resident.user.id)));
  });
}

export type AskToFollowResult = { ok: true } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * Following by email: the address gets a link that confirms it, and follows only when that link is
 * used, so nobody can subscribe someone else. The answer is the same whether or not it already
 * follows (no one learns who follows what), and a follower already on the list gets no email.
 */
export async function askToFollow(townId: number, trackingNumber: string, request: { email: string; ip: string }, links: RequestLinks, now = new Date()): Promise<AskToFollowResult> {
  for (const [key, rule] of [
    [`follow:ip:${request.ip}`, FOLLOW_RATE_LIMITS.perIp],
    [`follow:email:${request.email.toLowerCase()}`, FOLLOW_RATE_LIMITS.perEmail],
  ] as const) {
    const state = await hitRateLimit(key, rule, now);
    if (state.limited) return { ok: false, reason: 'rate_limited', retryAfterSeconds: state.retryAfterSeconds };
  }
  return withTown(townId, async (tx) => {
    const found = await findRequest(tx, trackingNumber);
    if (!found || found.request.status === 'withdrawn') return { ok: false, reason: 'not_found' };
    if (await emailFollows(tx, found.request.id, request.email)) return { ok: true };
    const token = await issueRequestToken(tx, {
      townId,
      requestId: found.request.id,
      purpose: 'follow',
      email: request.email,
      expiresAt: new Date(now.getTime() + REQUEST_TOKEN_LIFETIME_MS.follow),
    });
    const ref = requestRef(found, links.request(found.request.trackingNumber));
    await enqueueTownEmail(tx, townId, followConfirmationEmail(request.email, ref, links.confirmFollow(token)));
    return { ok: true };
  });
}

export type FollowLinkResult = { ok: true; trackingNumber: string; email: string } | { ok: false; reason: TokenProblem };

async function followLinkTarget(tx: Tx, token: string, now: Date) {
  const checked = await checkRequestToken(tx, token, 'follow', now);
  if (!checked.ok) return checked;
  const [request] = await tx
    .select({ trackingNumber: serviceRequests.trackingNumber, status: serviceRequests.status })
    .from(serviceRequests)
    .where(eq(serviceRequests.id, checked.token.requestId));
  // A request withdrawn since the link was sent has nothing left to follow.
  if (!request || request.status === 'withdrawn') return { ok: false, reason: 'invalid' } as const;
  return { ok: true, token: checked.token, trackingNumber: request.trackingNumber } as const;
}

/** What a follow link is for, before its button is pressed (opening it changes nothing). */
export async function inspectFollowLink(townId: number, token: string, now = new Date()): Promise<FollowLinkResult> {
  return withTown(townId, async (tx) => {
    const target = await followLinkTarget(tx, token, now);
    return target.ok ? { ok: true, trackingNumber: target.trackingNumber, email: target.token.email } : target;
  });
}

/** The confirmation click: the link is used up and its address follows the request. */
export async function confirmFollow(townId: number, token: string, now = new Date()): Promise<FollowLinkResult> {
  return withTown(townId, async (tx) => {
    const target = await followLinkTarget(tx, token, now);
    if (!target.ok) return target;
    if (!(await useRequestToken(tx, target.token.id, now))) return { ok: false, reason: 'used' };
    const found = await findRequest(tx, target.trackingNumber);
    await addFollower(tx, found!, { userId: null, email: target.token.email });
    return { ok: true, trackingNumber: target.trackingNumber, email: target.token.email };
  });
}

/** Which request an unsubscribe link is about, before its button is pressed. */
export async function inspectUnsubscribeLink(townId: number, token: string): Promise<{ trackingNumber: string } | null> {
  return withTown(townId, async (tx) => {
    const [row] = await tx
      .select({ trackingNumber: serviceRequests.trackingNumber })
      .from(requestFollowers)
      .innerJoin(serviceRequests, and(eq(serviceRequests.townId, requestFollowers.townId), eq(serviceRequests.id, requestFollowers.requestId)))
      .where(eq(requestFollowers.unsubscribeToken, token));
    return row ?? null;
  });
}

/** The link in every email (and its one-click POST): works without signing in, and only ever unsubscribes. */
export async function unsubscribeByToken(townId: number, token: string): Promise<{ trackingNumber: string } | null> {
  return withTown(townId, async (tx) => {
    const [row] = await tx
      .delete(requestFollowers)
      .where(eq(requestFollowers.unsubscribeToken, token))
      .returning({ requestId: requestFollowers.requestId });
    if (!row) return null;
    const [request] = await tx.select({ trackingNumber: serviceRequests.trackingNumber }).from(serviceRequests).where(eq(serviceRequests.id, row.requestId));
    return request ?? null;
  });
}
