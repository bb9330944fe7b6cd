import { randomBytes } from 'node:crypto';
import { and, eq, notInArray, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { categories, requestEvents, requestFollowers, serviceRequests, towns } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { RequestStatus } from '#db/vocabulary';
import { recordAudit } from '~/modules/audit/audit.server';
import { requestUpdateEmail } from '~/modules/notifications/request-emails.server';
import type { Resident, TownStaff } from '~/utils/capabilities.server';
import { enqueueTownEmail } from '~/utils/outbox.server';
import { canTransition, closingRequirement, InvalidTransitionError, isClosedStatus, STATUS_LABEL } from './statuses';

export type RequestLinks = {
  request: (trackingNumber: string) => string;
  staffRequest: (trackingNumber: string) => string;
  unsubscribe: (token: string) => string;
};

export async function findRequest(tx: Tx, trackingNumber: string) {
  const [row] = await tx
    .select({ request: serviceRequests, categoryName: categories.name, townName: towns.name })
    .from(serviceRequests)
    .innerJoin(categories, and(eq(categories.townId, serviceRequests.townId), eq(categories.id, serviceRequests.categoryId)))
    .innerJoin(towns, eq(towns.id, serviceRequests.townId))
    .where(eq(serviceRequests.trackingNumber, trackingNumber));
  return row ?? null;
}

export type FoundRequest = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

/** One email per follower (the reporter included), each with its own unsubscribe link. */
export async function notifyFollowers(tx: Tx, found: FoundRequest, update: string, links: RequestLinks) {
  const followers = await tx.select().from(requestFollowers).where(eq(requestFollowers.requestId, found.request.id));
  const ref = { trackingNumber: found.request.trackingNumber, townName: found.townName, categoryName: found.categoryName, url: links.request(found.request.trackingNumber) };
  for (const follower of followers) await enqueueTownEmail(tx, found.request.townId, requestUpdateEmail(follower.email, ref, update, links.unsubscribe(follower.unsubscribeToken)));
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

export async function unfollowRequest(resident: Resident, townId: number, trackingNumber: string): Promise<void> {
  await withTown(townId, async (tx) => {
    const found = await findRequest(tx, trackingNumber);
    if (found) await tx.delete(requestFollowers).where(and(eq(requestFollowers.requestId, found.request.id), eq(requestFollowers.userId, resident.user.id)));
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

/**
 * Whom a status change is recorded as: derived from a capability (`staffAuthor`, `withdrawRequest`),
 * or for the demo seed's history from the town's demo account, never from a form.
 */
export type StatusAuthor = { kind: 'staff'; userId: string | null } | { kind: 'reporter'; userId: string };

export const staffAuthor = (staff: TownStaff): StatusAuthor => ({ kind: 'staff', userId: staff.user.id });

export type StatusChange = {
  to: RequestStatus;
  author: StatusAuthor;
  reason?: string | null;
  duplicateOfTrackingNumber?: string | null;
  referredTo?: string | null;
  /** Optimistic lock: the version the actor saw; a stale one is refused. */
  expectedVersion?: number;
};

export type StatusChangeResult =
  | { ok: true; status: RequestStatus }
  | { ok: false; reason: 'not_found' | 'not_allowed' | 'stale' | 'missing_reason' | 'missing_original' | 'missing_referral' | 'bad_original'; message: string; transition?: { from: RequestStatus; to: RequestStatus } };

const STALE = { ok: false, reason: 'stale', message: 'Someone else changed this request meanwhile. Reload it and try again.' } as const;

/** A staff member moves a request along its lifecycle: the event, follower emails and audit entry, atomically. */
export async function changeRequestStatus(staff: TownStaff, trackingNumber: string, change: Omit<StatusChange, 'author'>, links: RequestLinks): Promise<StatusChangeResult> {
  return withTown(staff.town.id, (tx) => applyStatusChange(tx, staff.town.id, trackingNumber, { ...change, author: staffAuthor(staff) }, links));
}

/** The reporter takes back their own report; the status machine checks that they reported it. */
export async function withdrawRequest(resident: Resident, townId: number, trackingNumber: string, links: RequestLinks): Promise<StatusChangeResult> {
  return withTown(townId, (tx) => applyStatusChange(tx, townId, trackingNumber, { to: 'withdrawn', author: { kind: 'reporter', userId: resident.user.id } }, links));
}

/**
 * The one status machine, inside the caller's transaction (a transfer refers the source in the
 * same transaction that creates the copy). Staff changes are audited; a duplicate's followers
 * move to the original, so they hear about the work that is actually done.
 */
export async function applyStatusChange(tx: Tx, townId: number, trackingNumber: string, change: StatusChange, links: RequestLinks): Promise<StatusChangeResult> {
  const { author } = change;
  const found = await findRequest(tx, trackingNumber);
  if (!found || (found.request.status === 'withdrawn' && author.kind !== 'staff')) return { ok: false, reason: 'not_found', message: 'There is no such request.' };
  const { request } = found;
  // Checked first, so a second staff member closing at the same time hears "changed meanwhile", not "cannot become".
  if (change.expectedVersion !== undefined && change.expectedVersion !== request.version) return STALE;
  if (author.kind === 'reporter' && request.reporterUserId !== author.userId) {
    return { ok: false, reason: 'not_allowed', message: 'Only the person who reported this request can withdraw it.' };
  }
  if (!canTransition(request.status, change.to, author.kind)) {
    // The statuses travel too, so staff pages can word the refusal from the errors catalogue.
    return { ok: false, reason: 'not_allowed', message: new InvalidTransitionError(request.status, change.to).message, transition: { from: request.status, to: change.to } };
  }
  const requirement = closingRequirement(change.to);
  const reason = change.reason?.trim() || null;
  if (requirement === 'reason' && !reason) return { ok: false, reason: 'missing_reason', message: 'Say why the request is closed without a fix.' };
  if (requirement === 'referral' && !change.referredTo?.trim()) return { ok: false, reason: 'missing_referral', message: 'Say where the request was referred.' };
  const referredTo = requirement === 'referral' ? change.referredTo!.trim() : null;
  let duplicateOfId: string | null = null;
  if (requirement === 'original') {
    if (!change.duplicateOfTrackingNumber) return { ok: false, reason: 'missing_original', message: 'Give the tracking number of the original request.' };
    const original = await findRequest(tx, change.duplicateOfTrackingNumber.trim().toUpperCase());
    if (!original || original.request.id === request.id || original.request.status === 'withdrawn') return { ok: false, reason: 'bad_original', message: 'The original request was not found in this town.' };
    duplicateOfId = original.request.id;
  }
  const updated = await tx
    .update(serviceRequests)
    .set({
      status: change.to,
      statusReason: reason,
      duplicateOfId,
      referredTo,
      closedAt: isClosedStatus(change.to) || change.to === 'withdrawn' ? new Date() : null,
      // Any staff move means the town has seen it; the first one is what response-time figures use.
      acknowledgedAt: author.kind === 'staff' ? sql`coalesce(${serviceRequests.acknowledgedAt}, now())` : undefined,
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
  if (updated.length === 0) return STALE;
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
    actorUserId: author.userId,
  });
  if (isPublic) {
    const detail = reason ? `: ${reason}` : change.referredTo ? `: ${change.referredTo}` : change.duplicateOfTrackingNumber ? ` of ${change.duplicateOfTrackingNumber.toUpperCase()}` : '';
    await notifyFollowers(tx, found, `Status: ${STATUS_LABEL[change.to]}${detail}`, links);
  }
  if (duplicateOfId) await moveFollowers(tx, request.id, duplicateOfId);
  if (author.kind === 'staff') {
    await recordAudit(tx, townId, {
      actorUserId: author.userId,
      action: 'status_changed',
      entityType: 'request',
      entityId: request.trackingNumber,
      before: { status: request.status, statusReason: request.statusReason, referredTo: request.referredTo },
      after: { status: change.to, statusReason: reason, referredTo, duplicateOf: duplicateOfId ? change.duplicateOfTrackingNumber!.trim().toUpperCase() : null },
    });
  }
  return { ok: true, status: change.to };
}

/** Followers of a duplicate now follow the original; whoever already did is simply dropped. */
async function moveFollowers(tx: Tx, fromRequestId: string, toRequestId: string): Promise<void> {
  const alreadyFollowing = tx.select({ email: sql`lower(${requestFollowers.email})` }).from(requestFollowers).where(eq(requestFollowers.requestId, toRequestId));
  await tx
    .update(requestFollowers)
    .set({ requestId: toRequestId })
    .where(and(eq(requestFollowers.requestId, fromRequestId), notInArray(sql`lower(${requestFollowers.email})`, alreadyFollowing)));
  await tx.delete(requestFollowers).where(eq(requestFollowers.requestId, fromRequestId));
}

/**
 * A message from the town to the resident, shown on the request page and emailed to followers, in
 * the caller's transaction: the demo seed's history (staff reply through `postReply`).
 */
export async function postPublicReply(tx: Tx, trackingNumber: string, message: string, authorUserId: string | null, links: RequestLinks): Promise<boolean> {
  const found = await findRequest(tx, trackingNumber);
  if (!found || found.request.status === 'withdrawn') return false;
  await tx.insert(requestEvents).values({ townId: found.request.townId, id: uuidv7(), requestId: found.request.id, kind: 'public_reply', public: true, message, actorUserId: authorUserId });
  await notifyFollowers(tx, found, message, links);
  return true;
}
