import { and, eq, notInArray, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { categories, departments, requestEvents, requestFollowers, serviceRequests, towns, users } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { RequestStatus } from '#db/vocabulary';
import { townAdminEmails } from '~/modules/admin/town-admins.server';
import { recordAudit } from '~/modules/audit/audit.server';
import { reopenedForStaffEmail, requestUpdateEmail, withdrawnConfirmationEmail, type StaffRequestRef, type UnsubscribeLinks } from '~/modules/notifications/request-emails.server';
import type { Resident, TownStaff } from '~/utils/capabilities.server';
import { enqueueRequestWebhooks } from '~/modules/webhooks/webhook-endpoints.server';
import { enqueueTownEmail, enqueueTownEmails } from '~/utils/outbox.server';
import { canTransition, closingRequirement, InvalidTransitionError, isClosedStatus, REOPENED_STATUS, STATUS_LABEL, withinReopenWindow, type StatusActor } from './statuses';

/** Absolute links into the request's town for the emails a change sends (`townLinks` makes them). */
export type RequestLinks = {
  request: (trackingNumber: string) => string;
  staffRequest: (trackingNumber: string) => string;
  unsubscribe: (token: string) => string;
  oneClickUnsubscribe: (token: string) => string;
  manage: (trackingNumber: string, token: string) => string;
  confirmFollow: (token: string) => string;
  fixedCheck: (trackingNumber: string, token: string, answer: 'yes' | 'no') => string;
};

/** A follower's own unsubscribe links, from the token only their emails carry. */
export function unsubscribeLinksFor(links: RequestLinks, token: string): UnsubscribeLinks {
  return { page: links.unsubscribe(token), oneClick: links.oneClickUnsubscribe(token) };
}

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

/** How an email names a request, with a link to its public page. */
export function requestRef(found: FoundRequest, url: string) {
  return { trackingNumber: found.request.trackingNumber, townName: found.townName, categoryName: found.categoryName, url };
}

/** How a staff email names a request: its staff page, and where the problem is. */
export function staffRequestRef(found: FoundRequest, links: RequestLinks): StaffRequestRef {
  const { trackingNumber, address, lat, lng } = found.request;
  return { ...requestRef(found, links.staffRequest(trackingNumber)), place: { address, lat, lng } };
}

/** One email per follower (the reporter included), each with its own unsubscribe links. */
export async function notifyFollowers(tx: Tx, found: FoundRequest, update: string, links: RequestLinks) {
  const followers = await tx.select().from(requestFollowers).where(eq(requestFollowers.requestId, found.request.id));
  const ref = requestRef(found, links.request(found.request.trackingNumber));
  await enqueueTownEmails(
    tx,
    found.request.townId,
    followers.map((follower) => requestUpdateEmail(follower.email, ref, update, unsubscribeLinksFor(links, follower.unsubscribeToken))),
  );
}

/**
 * Whom a status change is recorded as: derived from a capability or an emailed link (`staffAuthor`,
 * the reporter's actions), or for the demo seed's history from the town's demo account, never from
 * a form. A signed-in reporter must be the request's reporter; a link holder's link must be for
 * this request: the manage link (`reporter_link`) or an "is it fixed?" answer (`follower`).
 */
export type StatusAuthor =
  | { kind: 'staff'; userId: string | null }
  | { kind: 'reporter'; userId: string }
  | { kind: 'reporter_link'; requestId: string }
  | { kind: 'follower'; requestId: string };

export const staffAuthor = (staff: TownStaff): StatusAuthor => ({ kind: 'staff', userId: staff.user.id });

export type StatusChange = {
  to: RequestStatus;
  author: StatusAuthor;
  reason?: string | null;
  duplicateOfTrackingNumber?: string | null;
  referredTo?: string | null;
  /** Optimistic lock: the version the actor saw; a stale one is refused. */
  expectedVersion?: number;
  /** The clock a resident's reopen window is judged by. */
  now?: Date;
  /** false: the caller tells the followers itself (a transfer does, from the town that now has the request). */
  emailFollowers?: boolean;
};

export type StatusChangeResult =
  /** `eventId`: the timeline event the change wrote (completion photos attach to it). */
  | { ok: true; status: RequestStatus; eventId: string }
  | {
      ok: false;
      reason: 'not_found' | 'not_allowed' | 'stale' | 'missing_reason' | 'missing_original' | 'missing_referral' | 'bad_original' | 'reopen_window_passed';
      message: string;
      transition?: { from: RequestStatus; to: RequestStatus };
    };

const STALE = { ok: false, reason: 'stale', message: 'Someone else changed this request meanwhile. Reload it and try again.' } as const;

/** A staff member moves a request along its lifecycle: the event, follower emails and audit entry, atomically. */
export async function changeRequestStatus(staff: TownStaff, trackingNumber: string, change: Omit<StatusChange, 'author'>, links: RequestLinks): Promise<StatusChangeResult> {
  return withTown(staff.town.id, (tx) => applyStatusChange(tx, staff.town.id, trackingNumber, { ...change, author: staffAuthor(staff) }, links));
}

/** The signed-in reporter takes back their own report; the status machine checks that they reported it. */
export async function withdrawRequest(resident: Resident, townId: number, trackingNumber: string, links: RequestLinks, reason: string | null = null): Promise<StatusChangeResult> {
  return withTown(townId, (tx) => applyStatusChange(tx, townId, trackingNumber, { to: 'withdrawn', reason, author: { kind: 'reporter', userId: resident.user.id } }, links));
}

const ACTOR: Record<StatusAuthor['kind'], StatusActor> = { staff: 'staff', reporter: 'reporter', reporter_link: 'reporter', follower: 'follower' };

/** Whether the author may act on this request at all: staff on any of their town's, a resident on the one they are the reporter or link holder of. */
function authorCovers(author: StatusAuthor, request: { id: string; reporterUserId: string | null }): boolean {
  switch (author.kind) {
    case 'staff':
      return true;
    case 'reporter':
      return request.reporterUserId === author.userId;
    case 'reporter_link':
    case 'follower':
      return request.id === author.requestId;
  }
}

const actorUserId = (author: StatusAuthor) => (author.kind === 'staff' || author.kind === 'reporter' ? author.userId : null);

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
  if (!authorCovers(author, request)) {
    return { ok: false, reason: 'not_allowed', message: 'Only the person who reported this request can change it.' };
  }
  if (!canTransition(request.status, change.to, ACTOR[author.kind])) {
    // The statuses travel too, so staff pages can word the refusal from the errors catalogue.
    return { ok: false, reason: 'not_allowed', message: new InvalidTransitionError(request.status, change.to).message, transition: { from: request.status, to: change.to } };
  }
  const reopening = author.kind !== 'staff' && change.to === REOPENED_STATUS;
  if (reopening && !withinReopenWindow(request.closedAt, change.now ?? new Date())) {
    return { ok: false, reason: 'reopen_window_passed', message: 'It is too late to reopen this request: report the problem again.' };
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
  const eventId = uuidv7();
  await tx.insert(requestEvents).values({
    townId,
    id: eventId,
    requestId: request.id,
    kind: change.to === 'withdrawn' ? 'withdrawn' : reopening ? 'reopened' : 'status_changed',
    public: isPublic,
    fromStatus: request.status,
    toStatus: change.to,
    message: reason ?? (change.referredTo?.trim() || change.duplicateOfTrackingNumber?.trim().toUpperCase() || null),
    actorUserId: actorUserId(author),
  });
  if (isPublic && change.emailFollowers !== false) {
    const detail = reason ? `: ${reason}` : change.referredTo ? `: ${change.referredTo}` : change.duplicateOfTrackingNumber ? ` of ${change.duplicateOfTrackingNumber.toUpperCase()}` : '';
    await notifyFollowers(tx, found, `${reopening ? 'Reopened by a resident. ' : ''}Status: ${STATUS_LABEL[change.to]}${detail}`, links);
  }
  if (reopening) await notifyTownOfReopen(tx, found, reason, links);
  if (change.to === 'withdrawn' && request.reporterEmail) {
    await enqueueTownEmail(tx, townId, withdrawnConfirmationEmail(request.reporterEmail, requestRef(found, links.request(request.trackingNumber)), reason));
  }
  if (duplicateOfId) await moveFollowers(tx, request.id, duplicateOfId);
  await enqueueRequestWebhooks(tx, townId, 'request.status_changed', request.id);
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
  return { ok: true, status: change.to, eventId };
}

/** Who hears of work for a department: its address, or, when it has none (or there is no department), the town's admins. */
export async function departmentOrAdmins(tx: Tx, townId: number, departmentId: string | null): Promise<string[]> {
  const [department] = departmentId ? await tx.select({ email: departments.email }).from(departments).where(eq(departments.id, departmentId)) : [];
  if (department?.email) return [department.email];
  return townAdminEmails(tx, townId);
}

/**
 * A resident reopened the request: its department's address (or, without one, the town's admins)
 * and its assignee hear of it, with the resident's comment when it is public.
 */
async function notifyTownOfReopen(tx: Tx, found: FoundRequest, comment: string | null, links: RequestLinks): Promise<void> {
  const { request } = found;
  const recipients = await departmentOrAdmins(tx, request.townId, request.departmentId);
  if (request.assigneeUserId) {
    const [assignee] = await tx.select({ email: users.email }).from(users).where(eq(users.id, request.assigneeUserId));
    if (assignee) recipients.push(assignee.email);
  }
  const ref = staffRequestRef(found, links);
  const unique = [...new Set(recipients.map((r) => r.toLowerCase()))];
  await enqueueTownEmails(tx, request.townId, unique.map((to) => reopenedForStaffEmail(to, ref, comment)));
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
 * A message from the town to the resident, shown on the request page, emailed to followers and
 * announced to the town's webhooks, in the caller's transaction: a back office's Open311 update,
 * and the demo seed's history (staff reply through `postReply`).
 */
export async function postPublicReply(tx: Tx, trackingNumber: string, message: string, authorUserId: string | null, links: RequestLinks): Promise<boolean> {
  const found = await findRequest(tx, trackingNumber);
  if (!found || found.request.status === 'withdrawn') return false;
  await tx.insert(requestEvents).values({ townId: found.request.townId, id: uuidv7(), requestId: found.request.id, kind: 'public_reply', public: true, message, actorUserId: authorUserId });
  await notifyFollowers(tx, found, message, links);
  await enqueueRequestWebhooks(tx, found.request.townId, 'request.public_reply', found.request.id, { reply: { message } });
  return true;
}
