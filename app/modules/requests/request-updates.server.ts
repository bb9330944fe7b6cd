import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { categories, requestEvents, requestFollowers, serviceRequests, towns, type RequestStatus } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import { requestUpdateEmail } from '~/modules/notifications/request-emails.server';
import { enqueueEmail } from '~/utils/outbox.server';
import { canTransition, closingRequirement, InvalidTransitionError, isClosedStatus, STATUS_LABEL, type StatusActor } from './statuses';

export type RequestLinks = {
  request: (trackingNumber: string) => string;
  staffRequest: (trackingNumber: string) => string;
  unsubscribe: (token: string) => string;
};

async function findRequest(tx: Tx, trackingNumber: string) {
  const [row] = await tx
    .select({ request: serviceRequests, categoryName: categories.name, townName: towns.name })
    .from(serviceRequests)
    .innerJoin(categories, and(eq(categories.townId, serviceRequests.townId), eq(categories.id, serviceRequests.categoryId)))
    .innerJoin(towns, eq(towns.id, serviceRequests.townId))
    .where(eq(serviceRequests.trackingNumber, trackingNumber));
  return row ?? null;
}

/** One email per follower (the reporter included), each with its own unsubscribe link. */
async function notifyFollowers(tx: Tx, found: NonNullable<Awaited<ReturnType<typeof findRequest>>>, update: string, links: RequestLinks) {
  const followers = await tx.select().from(requestFollowers).where(eq(requestFollowers.requestId, found.request.id));
  const ref = { trackingNumber: found.request.trackingNumber, townName: found.townName, categoryName: found.categoryName, url: links.request(found.request.trackingNumber) };
  for (const follower of followers) await enqueueEmail(tx, requestUpdateEmail(follower.email, ref, update, links.unsubscribe(follower.unsubscribeToken)));
}

export type FollowResult = { ok: true; alreadyFollowing: boolean } | { ok: false; reason: 'not_found' };

export async function followRequest(townId: number, trackingNumber: string, follower: { userId: string | null; email: string }): Promise<FollowResult> {
  return withTown(townId, async (tx) => {
    const found = await findRequest(tx, trackingNumber);
    if (!found || found.request.status === 'withdrawn') return { ok: false, reason: 'not_found' };
    const inserted = await tx
      .insert(requestFollowers)
      .values({ townId, id: uuidv7(), requestId: found.request.id, userId: follower.userId, email: follower.email, unsubscribeToken: randomBytes(24).toString('base64url') })
      .onConflictDoNothing()
      .returning({ id: requestFollowers.id });
    return { ok: true, alreadyFollowing: inserted.length === 0 };
  });
}

export async function isFollowing(townId: number, requestId: string, userId: string): Promise<boolean> {
  const rows = await withTown(townId, (tx) =>
    tx.select({ id: requestFollowers.id }).from(requestFollowers).where(and(eq(requestFollowers.requestId, requestId), eq(requestFollowers.userId, userId))),
  );
  return rows.length > 0;
}

export async function unfollowRequest(townId: number, trackingNumber: string, userId: string): Promise<void> {
  await withTown(townId, async (tx) => {
    const found = await findRequest(tx, trackingNumber);
    if (found) await tx.delete(requestFollowers).where(and(eq(requestFollowers.requestId, found.request.id), eq(requestFollowers.userId, userId)));
  });
}

/** The link in every email: works without signing in, and only ever unsubscribes. */
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

export type StatusChange = {
  to: RequestStatus;
  actor: StatusActor;
  actorUserId: string | null;
  reason?: string | null;
  duplicateOfTrackingNumber?: string | null;
  referredTo?: string | null;
  /** Optimistic lock: the version the actor saw; a stale one is refused. */
  expectedVersion?: number;
};

export type StatusChangeResult =
  | { ok: true; status: RequestStatus }
  | { ok: false; reason: 'not_found' | 'not_allowed' | 'stale' | 'missing_reason' | 'missing_original' | 'missing_referral' | 'bad_original'; message: string };

/** Moves a request along its lifecycle, records the event and emails followers, atomically. */
export async function changeRequestStatus(townId: number, trackingNumber: string, change: StatusChange, links: RequestLinks): Promise<StatusChangeResult> {
  return withTown(townId, async (tx) => {
    const found = await findRequest(tx, trackingNumber);
    if (!found || (found.request.status === 'withdrawn' && change.actor !== 'staff')) return { ok: false, reason: 'not_found', message: 'There is no such request.' };
    const { request } = found;
    if (change.actor === 'reporter' && request.reporterUserId !== change.actorUserId) {
      return { ok: false, reason: 'not_allowed', message: 'Only the person who reported this request can withdraw it.' };
    }
    if (!canTransition(request.status, change.to, change.actor)) {
      return { ok: false, reason: 'not_allowed', message: new InvalidTransitionError(request.status, change.to).message };
    }
    const requirement = closingRequirement(change.to);
    const reason = change.reason?.trim() || null;
    if (requirement === 'reason' && !reason) return { ok: false, reason: 'missing_reason', message: 'Say why the request is closed without a fix.' };
    if (requirement === 'referral' && !change.referredTo?.trim()) return { ok: false, reason: 'missing_referral', message: 'Say where the request was referred.' };
    let duplicateOfId: string | null = null;
    if (requirement === 'original') {
      if (!change.duplicateOfTrackingNumber) return { ok: false, reason: 'missing_original', message: 'Give the tracking number of the original request.' };
      const original = await findRequest(tx, change.duplicateOfTrackingNumber.trim().toUpperCase());
      if (!original || original.request.id === request.id) return { ok: false, reason: 'bad_original', message: 'The original request was not found in this town.' };
      duplicateOfId = original.request.id;
    }
    const updated = await tx
      .update(serviceRequests)
      .set({
        status: change.to,
        statusReason: reason,
        duplicateOfId,
        referredTo: requirement === 'referral' ? change.referredTo!.trim() : null,
        closedAt: isClosedStatus(change.to) || change.to === 'withdrawn' ? new Date() : null,
        updatedAt: new Date(),
        version: sql`${serviceRequests.version} + 1`,
      })
      .where(
        and(
          eq(serviceRequests.id, request.id),
          eq(serviceRequests.version, change.expectedVersion ?? request.version),
        ),
      )
      .returning({ id: serviceRequests.id });
    if (updated.length === 0) return { ok: false, reason: 'stale', message: 'Someone else changed this request meanwhile. Reload it and try again.' };
    const isPublic = change.to !== 'withdrawn';
    await tx.insert(requestEvents).values({
      townId,
      id: uuidv7(),
      requestId: request.id,
      kind: change.to === 'withdrawn' ? 'withdrawn' : 'status_changed',
      public: isPublic,
      fromStatus: request.status,
      toStatus: change.to,
      message: reason ?? (change.referredTo?.trim() || change.duplicateOfTrackingNumber?.trim().toUpperCase() || null),
      actorUserId: change.actorUserId,
    });
    if (isPublic) {
      const detail = reason ? `: ${reason}` : change.referredTo ? `: ${change.referredTo}` : change.duplicateOfTrackingNumber ? ` of ${change.duplicateOfTrackingNumber.toUpperCase()}` : '';
      await notifyFollowers(tx, found, `Status: ${STATUS_LABEL[change.to]}${detail}`, links);
    }
    return { ok: true, status: change.to };
  });
}

/** A message from the town to the resident, shown on the request page and emailed to followers. */
export async function postPublicReply(townId: number, trackingNumber: string, message: string, actorUserId: string | null, links: RequestLinks): Promise<boolean> {
  return withTown(townId, async (tx) => {
    const found = await findRequest(tx, trackingNumber);
    if (!found || found.request.status === 'withdrawn') return false;
    await tx.insert(requestEvents).values({ townId, id: uuidv7(), requestId: found.request.id, kind: 'public_reply', public: true, message, actorUserId });
    await notifyFollowers(tx, found, message, links);
    return true;
  });
}
