import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, gt, inArray, max, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { isUuid, uuidv7 } from '#db/ids';
import { categories, departments, memberships, requestEvents, requestFollowers, requestPhotos, requestTokens, serviceRequests, towns, users } from '#db/schema';
import { switchTown, withTown, type Tx } from '#db/scope';
import type { RequestPriority, RequestStatus } from '#db/vocabulary';
import { recordAudit, recordAuditBy } from '~/modules/audit/audit.server';
import { locateTown } from '~/modules/geo/locate-town.server';
import { assignedToYouEmail, transferredInForStaffEmail } from '~/modules/notifications/request-emails.server';
import { recipientT } from '~/modules/notifications/recipient-t';
import type { ProcessedPhoto } from '~/modules/photos/photo-pipeline.server';
import { requestPhotoFiles, withStoredPhotoFiles } from '~/modules/photos/request-photo-files.server';
import { photoColumns, placePhotos, transferredRef, type PublicRequest, type TransferredRef } from '~/modules/requests/request-queries.server';
import {
  applyStatusChange,
  changeRequestStatus,
  departmentOrAdmins,
  findRequest,
  notifyFollowers,
  staffAuthor,
  staffRequestRef,
  type FoundRequest,
  type RequestLinks,
  type StatusChangeResult,
} from '~/modules/requests/request-updates.server';
import { townCalendar } from '~/modules/requests/closure-days.server';
import { isOverdue, serviceTargets } from '~/modules/requests/service-levels';
import { canTransition, CLOSED_STATUSES, isOpenStatus, OPEN_STATUSES, PRIORITY_LABEL, STATUS_LABEL } from '~/modules/requests/statuses';
import { takeRequestNumberIn } from '~/modules/requests/request-numbers.server';
import { formatTrackingNumber } from '~/modules/requests/tracking-number';
import type { TownStaff } from '~/utils/capabilities.server';
import type { FieldError } from '~/utils/field-errors';
import { enqueueRequestWebhooks } from '~/modules/webhooks/webhook-endpoints.server';
import { enqueueTownEmail, enqueueTownEmails } from '~/utils/outbox.server';

// Reading one request as staff see it

/** Everything about one request, including what the public never sees. */
export type StaffRequest = Omit<PublicRequest, 'timeline' | 'publicAnswers' | 'reporterUserId' | 'expectation'> & {
  withdrawn: boolean;
  acknowledgedAt: Date | null;
  /** The category's acknowledgement target: a first staff action by then. */
  ackDueAt: Date | null;
  dueAt: Date | null;
  overdue: boolean;
  reporter: { name: string | null; email: string | null; phone: string | null; userId: string | null };
  /** A link to media elsewhere that an API client gave (Open311's media_url). */
  mediaUrl: string | null;
  answers: { code: string; label: string; value: string; public: boolean }[];
  timeline: (PublicRequest['timeline'][number] & {
    public: boolean;
    fromStatus: RequestStatus | null;
    actor: { email: string; name: string | null } | null;
  })[];
  department: { id: string; name: string } | null;
  assignee: { userId: string; email: string; name: string | null; former: boolean } | null;
  /** Received from another town: which, and its tracking number there. */
  transferredFrom: TransferredRef | null;
  priority: RequestPriority;
  /** Sent back with every action: the optimistic lock. */
  version: number;
};

const assignees = alias(users, 'assignee');

export async function getStaffRequest(staff: TownStaff, trackingNumber: string): Promise<StaffRequest | null> {
  return withTown(staff.town.id, async (tx) => {
    const [row] = await tx
      .select({
        request: serviceRequests,
        category: categories,
        department: { id: departments.id, name: departments.name },
        assignee: { userId: assignees.id, email: assignees.email, name: assignees.displayName },
        assigneeRole: memberships.role,
      })
      .from(serviceRequests)
      .innerJoin(categories, and(eq(categories.townId, serviceRequests.townId), eq(categories.id, serviceRequests.categoryId)))
      .leftJoin(departments, and(eq(departments.townId, serviceRequests.townId), eq(departments.id, serviceRequests.departmentId)))
      .leftJoin(assignees, eq(assignees.id, serviceRequests.assigneeUserId))
      .leftJoin(memberships, and(eq(memberships.townId, serviceRequests.townId), eq(serviceRequests.assigneeUserId, memberships.userId)))
      .where(eq(serviceRequests.trackingNumber, trackingNumber));
    if (!row) return null;
    const { request, category } = row;
    const [photos, timeline, [followers], duplicateOf, transferredFrom, transferredTo] = await Promise.all([
      tx
        .select(photoColumns)
        .from(requestPhotos)
        .where(eq(requestPhotos.requestId, request.id))
        .orderBy(asc(requestPhotos.sortOrder)),
      tx
        .select({ event: requestEvents, actorEmail: users.email, actorName: users.displayName })
        .from(requestEvents)
        .leftJoin(users, eq(users.id, requestEvents.actorUserId))
        .where(eq(requestEvents.requestId, request.id))
        .orderBy(asc(requestEvents.createdAt), asc(requestEvents.id)),
      tx.select({ n: count() }).from(requestFollowers).where(eq(requestFollowers.requestId, request.id)),
      request.duplicateOfId
        ? tx.select({ trackingNumber: serviceRequests.trackingNumber }).from(serviceRequests).where(eq(serviceRequests.id, request.duplicateOfId))
        : Promise.resolve([]),
      transferredRef(tx, request.transferredFromTownId, request.transferredFromTrackingNumber),
      transferredRef(tx, request.transferredToTownId, request.transferredToTrackingNumber),
    ]);
    // In question order; answers to questions the category no longer has (recategorised, transferred) come last, as staff-only.
    const codes = [...new Set([...category.questions.map((q) => q.code), ...Object.keys(request.answers)])].filter((code) => request.answers[code] !== undefined);
    const answers = codes.map((code) => {
      const question = category.questions.find((q) => q.code === code);
      const label = (v: string) => question?.choices?.find((c) => c.value === v)?.label ?? v;
      const value = request.answers[code]!;
      return { code, label: question?.label ?? code, value: Array.isArray(value) ? value.map(label).join(', ') : label(value), public: question?.public ?? false };
    });
    return {
      id: request.id,
      trackingNumber: request.trackingNumber,
      status: request.status,
      withdrawn: request.status === 'withdrawn',
      statusReason: request.statusReason,
      referredTo: request.referredTo,
      duplicateOfTrackingNumber: duplicateOf[0]?.trackingNumber ?? null,
      category: { code: category.code, name: category.name, targetDays: category.targetDays },
      description: request.description,
      lat: request.lat,
      lng: request.lng,
      address: request.address,
      locationApproximate: request.locationSource === 'address',
      createdAt: request.createdAt,
      acknowledgedAt: request.acknowledgedAt,
      ackDueAt: request.ackDueAt,
      closedAt: request.closedAt,
      dueAt: request.dueAt,
      overdue: isOverdue(request.dueAt, isOpenStatus(request.status)),
      reporter: { name: request.reporterName, email: request.reporterEmail, phone: request.reporterPhone, userId: request.reporterUserId },
      mediaUrl: request.mediaUrl,
      answers,
      channel: request.channel,
      ...placePhotos(
        photos,
        timeline.map(({ event, actorEmail, actorName }) => ({
          id: event.id,
          kind: event.kind,
          public: event.public,
          fromStatus: event.fromStatus,
          toStatus: event.toStatus,
          message: event.message,
          createdAt: event.createdAt,
          actor: actorEmail ? { email: actorEmail, name: actorName } : null,
        })),
      ),
      department: row.department,
      // Someone who has left the town (or whose role ended) stays named on the requests they had, as former.
      assignee: row.assignee ? { ...row.assignee, former: row.assigneeRole === null } : null,
      priority: request.priority,
      followerCount: followers?.n ?? 0,
      transferredFrom,
      transferredTo,
      version: request.version,
    };
  });
}

// Actions on one request

/** The request an action is for, at the version the staff member was looking at (the optimistic lock). */
export type SeenRequest = { trackingNumber: string; expectedVersion: number };

/** Every failure these actions can return, as a path in the errors catalogue (`errors:staffWork.…`). */
export const STAFF_WORK_ERROR_CODES = [
  'staffWork.notFound',
  'staffWork.stale',
  'staffWork.withdrawn',
  'staffWork.status.cannot_become',
  'staffWork.reason.required',
  'staffWork.referredTo.required',
  'staffWork.duplicateOf.required',
  'staffWork.duplicateOf.not_found',
  'staffWork.departmentId.not_in_town',
  'staffWork.departmentId.required',
  'staffWork.assigneeUserId.not_in_town',
  'staffWork.note.required',
  'staffWork.note.too_long',
  'staffWork.message.required',
  'staffWork.message.too_long',
  'staffWork.categoryCode.not_in_town',
  'staffWork.categoryCode.unchanged',
  'staffWork.location.outside_massachusetts',
  'staffWork.location.not_participating',
  'staffWork.transfer.reopen_first',
  'staffWork.transfer.no_category',
  'staffWork.transferNote.required',
  'staffWork.transferNote.too_long',
  'staffWork.closeStatus.required',
  'staffWork.priority.required',
] as const;

type StaffWorkErrorCode = (typeof STAFF_WORK_ERROR_CODES)[number];
type StaffWorkError = FieldError & { code: StaffWorkErrorCode };

/** Success needs no words here: the request page says what was done (`staffRequestsTrackingNumber.done.*`). */
export type WorkResult =
  | { ok: true; transferredTo?: { townName: string; townSlug: string; trackingNumber: string } }
  | { ok: false; reason: 'not_found' | 'stale' | 'not_allowed' | 'invalid'; error: StaffWorkError; field?: string };

type Failure = Extract<WorkResult, { ok: false }>;

const error = (code: StaffWorkErrorCode, values?: FieldError['values']): StaffWorkError => (values ? { code, values } : { code });
const NOT_FOUND: Failure = { ok: false, reason: 'not_found', error: error('staffWork.notFound') };
const STALE: Failure = { ok: false, reason: 'stale', error: error('staffWork.stale') };
const WITHDRAWN: Failure = { ok: false, reason: 'not_allowed', error: error('staffWork.withdrawn') };
const notAllowed = (code: StaffWorkErrorCode, values?: FieldError['values']): Failure => ({ ok: false, reason: 'not_allowed', error: error(code, values) });
const invalid = (field: string, code: StaffWorkErrorCode, values?: FieldError['values']): Failure => ({ ok: false, reason: 'invalid', field, error: error(code, values) });

/** The longest note or reply, in characters. */
export const NOTE_MAX = 4000;

/**
 * One staff action on one request, in one transaction: the request must exist and still be at the
 * version the actor saw, or nothing happens.
 */
async function onRequest(staff: TownStaff, seen: SeenRequest, work: (tx: Tx, found: FoundRequest) => Promise<WorkResult>): Promise<WorkResult> {
  return withTown(staff.town.id, async (tx) => {
    const found = await findRequest(tx, seen.trackingNumber);
    if (!found) return NOT_FOUND;
    if (found.request.version !== seen.expectedVersion) return STALE;
    return work(tx, found);
  });
}

/** Writes `changes` and takes the next version; false when someone else took it first. */
async function updateRequest(tx: Tx, found: FoundRequest, expectedVersion: number, changes: Partial<typeof serviceRequests.$inferInsert> = {}): Promise<boolean> {
  const updated = await tx
    .update(serviceRequests)
    .set({ ...changes, updatedAt: new Date(), version: sql`${serviceRequests.version} + 1` })
    .where(and(eq(serviceRequests.id, found.request.id), eq(serviceRequests.version, expectedVersion)))
    .returning({ id: serviceRequests.id });
  return updated.length > 0;
}

async function addEvent(tx: Tx, staff: TownStaff, requestId: string, event: { kind: typeof requestEvents.$inferInsert.kind; public: boolean; message: string }) {
  await tx.insert(requestEvents).values({ townId: staff.town.id, id: uuidv7(), requestId, actorUserId: staff.user.id, ...event });
}

function auditRequest(tx: Tx, staff: TownStaff, trackingNumber: string, verb: string, before: unknown, after: unknown) {
  return recordAuditBy(tx, staff, { action: verb, entityType: 'request', entityId: trackingNumber, before, after });
}

function fromStatusChange(result: StatusChangeResult): WorkResult {
  if (result.ok) return { ok: true };
  switch (result.reason) {
    case 'not_found':
      return NOT_FOUND;
    case 'stale':
      return STALE;
    case 'not_allowed':
      // Staff are refused only by a transition (the reporter-only rule is for residents withdrawing).
      if (!result.transition) throw new Error(`Unexpected status refusal for staff: ${result.message}`);
      return notAllowed('staffWork.status.cannot_become', { from: STATUS_LABEL[result.transition.from], to: STATUS_LABEL[result.transition.to] });
    case 'missing_reason':
      return invalid('reason', 'staffWork.reason.required');
    case 'missing_referral':
      return invalid('referredTo', 'staffWork.referredTo.required');
    case 'missing_original':
      return invalid('duplicateOf', 'staffWork.duplicateOf.required');
    case 'bad_original':
      return invalid('duplicateOf', 'staffWork.duplicateOf.not_found');
    case 'reopen_window_passed':
      // Only a resident's reopening has a window.
      throw new Error(`Unexpected status refusal for staff: ${result.message}`);
  }
}

export type StatusChangeInput = {
  to: RequestStatus;
  reason?: string | null;
  duplicateOf?: string | null;
  referredTo?: string | null;
  /** Completion photos (already through the photo pipeline): public, shown with the change on the request's page. */
  photos?: ProcessedPhoto[];
};

/** A refused status change, thrown inside the transaction so that it and the photo files are undone. */
class StatusChangeRefused extends Error {
  constructor(readonly result: StatusChangeResult) {
    super('status change refused');
  }
}

/**
 * Through the one status machine (`applyStatusChange`): transitions, closing requirements, the
 * public event, follower emails, the audit entry, and a duplicate's followers moving to the original.
 * Completion photos are stored with the change's event or not at all: their files are written
 * first and removed again if the change is refused or fails (`withStoredPhotoFiles`).
 */
export async function changeStatus(staff: TownStaff, seen: SeenRequest, change: StatusChangeInput, links: RequestLinks): Promise<WorkResult> {
  const statusChange = {
    to: change.to,
    reason: change.reason,
    // Only what this status needs, so a stray field on the form never reaches the resident's email.
    duplicateOfTrackingNumber: change.to === 'duplicate' ? change.duplicateOf : null,
    referredTo: change.to === 'referred' ? change.referredTo : null,
    expectedVersion: seen.expectedVersion,
  };
  const photos = change.photos ?? [];
  if (photos.length === 0) return fromStatusChange(await changeRequestStatus(staff, seen.trackingNumber, statusChange, links));

  const target = await withTown(staff.town.id, async (tx) => {
    const found = await findRequest(tx, seen.trackingNumber);
    if (!found) return null;
    const [last] = await tx.select({ sortOrder: max(requestPhotos.sortOrder) }).from(requestPhotos).where(eq(requestPhotos.requestId, found.request.id));
    return { requestId: found.request.id, nextSortOrder: (last?.sortOrder ?? -1) + 1 };
  });
  if (!target) return NOT_FOUND;
  const files = requestPhotoFiles(staff.town.id, target.requestId, photos, { firstSortOrder: target.nextSortOrder });
  try {
    await withStoredPhotoFiles(files, () =>
      withTown(staff.town.id, async (tx) => {
        const result = await applyStatusChange(tx, staff.town.id, seen.trackingNumber, { ...statusChange, author: staffAuthor(staff) }, links);
        if (!result.ok) throw new StatusChangeRefused(result);
        await tx.insert(requestPhotos).values(files.map((f) => ({ ...f.row, eventId: result.eventId })));
        await auditRequest(tx, staff, seen.trackingNumber, 'completion_photos_added', null, { status: change.to, photos: files.length });
      }),
    );
  } catch (refusal) {
    if (refusal instanceof StatusChangeRefused) return fromStatusChange(refusal.result);
    throw refusal;
  }
  return { ok: true };
}

export function acknowledge(staff: TownStaff, seen: SeenRequest, links: RequestLinks): Promise<WorkResult> {
  return changeStatus(staff, seen, { to: 'acknowledged' }, links);
}

/** `undefined` leaves that half of the assignment as it is; `null` clears it. */
export type Assignment = { departmentId?: string | null; assigneeUserId?: string | null };

/** Assigns to a department and/or a member of this town's staff (internal); the assignee gets an email. */
export async function assign(staff: TownStaff, seen: SeenRequest, assignment: Assignment, links: RequestLinks): Promise<WorkResult> {
  return onRequest(staff, seen, async (tx, found) => {
    const { request } = found;
    if (request.status === 'withdrawn') return WITHDRAWN;
    const departmentId = assignment.departmentId === undefined ? request.departmentId : assignment.departmentId;
    const assigneeUserId = assignment.assigneeUserId === undefined ? request.assigneeUserId : assignment.assigneeUserId;
    const [department] = departmentId && isUuid(departmentId) ? await tx.select({ name: departments.name }).from(departments).where(eq(departments.id, departmentId)) : [];
    if (departmentId && !department) return invalid('departmentId', 'staffWork.departmentId.not_in_town', { townName: found.townName });
    // Memberships are town-scoped, so this finds the person only if they work for this town.
    const [assignee] =
      assigneeUserId && isUuid(assigneeUserId)
        ? await tx
            .select({ email: users.email })
            .from(memberships)
            .innerJoin(users, eq(users.id, memberships.userId))
            .where(and(eq(memberships.townId, staff.town.id), eq(memberships.userId, assigneeUserId)))
            // Held until this commits, so the person cannot be removed (their open requests reassigned) in between.
            .for('share', { of: memberships })
        : [];
    if (assigneeUserId && !assignee) return invalid('assigneeUserId', 'staffWork.assigneeUserId.not_in_town', { townName: found.townName });
    if (departmentId === request.departmentId && assigneeUserId === request.assigneeUserId) return { ok: true };

    const before = await assignmentLabels(tx, request.departmentId, request.assigneeUserId);
    const after = { department: department?.name ?? null, assignee: assignee?.email ?? null };
    if (!(await updateRequest(tx, found, seen.expectedVersion, { departmentId, assigneeUserId }))) return STALE;
    const message = `Department: ${after.department ?? 'none'} · Assignee: ${after.assignee ?? 'nobody'}`;
    await addEvent(tx, staff, request.id, { kind: 'assigned', public: false, message });
    await auditRequest(tx, staff, found.request.trackingNumber, 'assigned', before, after);
    await enqueueRequestWebhooks(tx, staff.town.id, 'request.assigned', request.id, { assignment: after });
    // Nobody needs an email about work they just took themselves.
    if (assignee && assigneeUserId !== request.assigneeUserId && assigneeUserId !== staff.user.id) {
      await enqueueTownEmail(tx, staff.town.id, assignedToYouEmail(assignee.email, staffRequestRef(found, links)));
    }
    return { ok: true };
  });
}

async function assignmentLabels(tx: Tx, departmentId: string | null, assigneeUserId: string | null) {
  const [department] = departmentId ? await tx.select({ name: departments.name }).from(departments).where(eq(departments.id, departmentId)) : [];
  const [assignee] = assigneeUserId ? await tx.select({ email: users.email }).from(users).where(eq(users.id, assigneeUserId)) : [];
  return { department: department?.name ?? null, assignee: assignee?.email ?? null };
}

/** For staff only: never on the public page, never emailed to residents. */
export async function addInternalNote(staff: TownStaff, seen: SeenRequest, note: string): Promise<WorkResult> {
  const text = note.trim();
  if (!text) return invalid('note', 'staffWork.note.required');
  if (text.length > NOTE_MAX) return invalid('note', 'staffWork.note.too_long', { max: NOTE_MAX });
  return onRequest(staff, seen, async (tx, found) => {
    if (!(await updateRequest(tx, found, seen.expectedVersion))) return STALE;
    await addEvent(tx, staff, found.request.id, { kind: 'internal_note', public: false, message: text });
    await auditRequest(tx, staff, found.request.trackingNumber, 'note_added', null, { note: text });
    return { ok: true };
  });
}

/** A public reply (perhaps from a response template): on the request page and emailed to every follower. */
export async function postReply(staff: TownStaff, seen: SeenRequest, message: string, links: RequestLinks): Promise<WorkResult> {
  const text = message.trim();
  if (!text) return invalid('message', 'staffWork.message.required');
  if (text.length > NOTE_MAX) return invalid('message', 'staffWork.message.too_long', { max: NOTE_MAX });
  return onRequest(staff, seen, async (tx, found) => {
    if (found.request.status === 'withdrawn') return WITHDRAWN;
    if (!(await updateRequest(tx, found, seen.expectedVersion))) return STALE;
    await addEvent(tx, staff, found.request.id, { kind: 'public_reply', public: true, message: text });
    await notifyFollowers(tx, found, text, links);
    await auditRequest(tx, staff, found.request.trackingNumber, 'replied', null, { message: text });
    await enqueueRequestWebhooks(tx, staff.town.id, 'request.public_reply', found.request.id, { reply: { message: text } });
    return { ok: true };
  });
}

/** How urgent the request is, for the crew and the queue's order: staff only, on the timeline and audited. */
export async function setPriority(staff: TownStaff, seen: SeenRequest, priority: RequestPriority): Promise<WorkResult> {
  return onRequest(staff, seen, async (tx, found) => {
    const { request } = found;
    if (request.status === 'withdrawn') return WITHDRAWN;
    // Already so: nothing to record (a bulk change counts it as done).
    if (request.priority === priority) return { ok: true };
    if (!(await updateRequest(tx, found, seen.expectedVersion, { priority }))) return STALE;
    await addEvent(tx, staff, request.id, { kind: 'priority_changed', public: false, message: `${PRIORITY_LABEL[request.priority]} → ${PRIORITY_LABEL[priority]}` });
    await auditRequest(tx, staff, request.trackingNumber, 'priority_changed', { priority: request.priority }, { priority });
    return { ok: true };
  });
}

/** Moves the request to another active category; the due date follows the new category's target. */
export async function recategorise(staff: TownStaff, seen: SeenRequest, categoryCode: string): Promise<WorkResult> {
  return onRequest(staff, seen, async (tx, found) => {
    const { request } = found;
    if (request.status === 'withdrawn') return WITHDRAWN;
    const [next] = await tx
      .select()
      .from(categories)
      .where(and(eq(categories.code, categoryCode), eq(categories.active, true)));
    if (!next) return invalid('categoryCode', 'staffWork.categoryCode.not_in_town', { townName: found.townName });
    if (next.id === request.categoryId) return invalid('categoryCode', 'staffWork.categoryCode.unchanged', { categoryName: next.name });
    const [current] = await tx.select().from(categories).where(eq(categories.id, request.categoryId));
    const { dueAt, ackDueAt } = serviceTargets(request.createdAt, next, await townCalendar(tx, staff.town, request.createdAt));
    // The department follows the category unless someone assigned the request to another one by hand.
    const departmentFollowsCategory = request.departmentId === null || request.departmentId === current!.departmentId;
    const departmentId = departmentFollowsCategory ? next.departmentId : request.departmentId;
    if (!(await updateRequest(tx, found, seen.expectedVersion, { categoryId: next.id, dueAt, ackDueAt, departmentId }))) return STALE;
    await addEvent(tx, staff, request.id, { kind: 'recategorised', public: false, message: `${found.categoryName} → ${next.name}` });
    await auditRequest(tx, staff, found.request.trackingNumber, 'recategorised', { category: current!.code, dueAt: request.dueAt, ackDueAt: request.ackDueAt }, { category: next.code, dueAt, ackDueAt });
    return { ok: true };
  });
}

export type CorrectedLocation = { lat: number; lng: number; address: string | null };

/** "12 Elm St (42.38760, -71.09950)", or the coordinates alone: how staff emails and notes name a spot. */
export function describePlace(location: CorrectedLocation): string {
  const point = `${location.lat.toFixed(5)}, ${location.lng.toFixed(5)}`;
  return location.address ? `${location.address} (${point})` : point;
}

/**
 * Corrects where the problem is. In this town the request just moves; in another participating
 * town it is transferred there (see `transferRequest`) with `transferNote`, the sender's word to the
 * receiving staff, which a transfer requires; elsewhere the correction is refused.
 * `linksFor` builds each town's links, because a transfer emails people in two towns.
 */
export async function correctLocation(
  staff: TownStaff,
  seen: SeenRequest,
  location: CorrectedLocation,
  linksFor: (townSlug: string) => RequestLinks,
  transferNote: string | null = null,
): Promise<WorkResult> {
  const address = location.address?.trim() || null;
  const corrected = { ...location, address };
  // Routing reads the town list in its own transaction, so it runs before ours opens.
  const routed = await locateTown(location.lat, location.lng);
  if (routed.kind === 'outside') return invalid('location', 'staffWork.location.outside_massachusetts');
  const candidates = [routed, ...routed.alternatives];
  // On or next to this town's border, a correction stays in this town.
  if (!candidates.some((c) => c.townId === staff.town.id)) {
    const destination = candidates.find((c) => c.participating);
    if (!destination) return invalid('location', 'staffWork.location.not_participating', { townName: routed.name });
    const note = transferNote?.trim() ?? '';
    if (!note) return invalid('transferNote', 'staffWork.transferNote.required', { townName: destination.name });
    if (note.length > NOTE_MAX) return invalid('transferNote', 'staffWork.transferNote.too_long', { max: NOTE_MAX });
    return transferRequest(staff, seen, corrected, destination.townId, note, linksFor);
  }
  return onRequest(staff, seen, async (tx, found) => {
    const { request } = found;
    if (request.status === 'withdrawn') return WITHDRAWN;
    if (!(await updateRequest(tx, found, seen.expectedVersion, { lat: corrected.lat, lng: corrected.lng, address, locationSource: 'coordinates' }))) return STALE;
    await addEvent(tx, staff, request.id, { kind: 'relocated', public: false, message: `Location corrected to ${describePlace(corrected)}` });
    await auditRequest(tx, staff, found.request.trackingNumber, 'relocated', { lat: request.lat, lng: request.lng, address: request.address }, corrected);
    return { ok: true };
  });
}

/** The answers residents may see (the category's public questions); staff-only answers stay with the sending town. */
function publicAnswersOf(answers: Record<string, string | string[]>, category: { questions: { code: string; public?: boolean }[] }): Record<string, string | string[]> {
  return Object.fromEntries(category.questions.filter((q) => q.public && answers[q.code] !== undefined).map((q) => [q.code, answers[q.code]!]));
}

/**
 * The corrected spot belongs to another town: within ONE transaction the request is re-created
 * there and the source is referred to it. `switchTown` re-points RLS between the two halves (the
 * same `app_town` role, no other privilege), so each town's rows are written under that town's
 * policies and both change together or not at all.
 *
 * What travels is what the reporter and the public already had: the public timeline, the photos
 * (rows pointing at the same stored files), the public answers, the reporter, the followers (with
 * new unsubscribe links) and the reporter's manage links; the sending town's internal notes,
 * assignments and staff-only answers stay on its own record. The receiving town gets it as new:
 * created now (the top of its queue), submitted, unacknowledged, due by its own category's target,
 * with the sender's note on its timeline and an email to the category's department (or its admins).
 * The followers hear of it once, from the receiving town with its links; the old page redirects.
 */
async function transferRequest(
  staff: TownStaff,
  seen: SeenRequest,
  location: CorrectedLocation,
  destinationTownId: number,
  note: string,
  linksFor: (townSlug: string) => RequestLinks,
): Promise<WorkResult> {
  return withTown(staff.town.id, async (tx) => {
    // Locked, so nobody changes the source between this check and its referral below.
    const [source] = await tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, seen.trackingNumber)).for('update');
    if (!source) return NOT_FOUND;
    if (source.version !== seen.expectedVersion) return STALE;
    if (source.status === 'withdrawn') return WITHDRAWN;
    const townRows = await tx.select().from(towns).where(inArray(towns.id, [staff.town.id, destinationTownId]));
    const sourceTown = townRows.find((t) => t.id === staff.town.id)!;
    const destinationTown = townRows.find((t) => t.id === destinationTownId)!;
    if (!canTransition(source.status, 'referred', 'staff')) {
      return notAllowed('staffWork.transfer.reopen_first', { townName: destinationTown.name });
    }
    const [[sourceCategory], photos, events, followers, manageLinks, [sender]] = await Promise.all([
      tx.select().from(categories).where(eq(categories.id, source.categoryId)),
      tx.select().from(requestPhotos).where(eq(requestPhotos.requestId, source.id)),
      tx.select().from(requestEvents).where(and(eq(requestEvents.requestId, source.id), eq(requestEvents.public, true))),
      tx.select().from(requestFollowers).where(eq(requestFollowers.requestId, source.id)),
      tx.select().from(requestTokens).where(and(eq(requestTokens.requestId, source.id), eq(requestTokens.purpose, 'manage'), gt(requestTokens.expiresAt, new Date()))),
      tx.select({ email: users.email, name: users.displayName }).from(users).where(eq(users.id, staff.user.id)),
    ]);

    await switchTown(tx, destinationTownId);
    const destinationCategories = await tx
      .select()
      .from(categories)
      .where(and(inArray(categories.code, [sourceCategory!.code, 'other']), eq(categories.active, true)));
    const category = destinationCategories.find((c) => c.code === sourceCategory!.code) ?? destinationCategories.find((c) => c.code === 'other');
    if (!category) {
      return notAllowed('staffWork.transfer.no_category', { townName: destinationTown.name, categoryName: sourceCategory!.name });
    }
    const id = uuidv7();
    const receivedAt = new Date();
    const number = await takeRequestNumberIn(tx, destinationTownId);
    const trackingNumber = formatTrackingNumber(destinationTown.trackingCode, number);
    const place = describePlace(location);
    // Status, acknowledgement, assignment and the creation time start fresh: the receiving town has only just received it.
    await tx.insert(serviceRequests).values({
      townId: destinationTownId,
      id,
      number,
      trackingNumber,
      categoryId: category.id,
      description: source.description,
      lat: location.lat,
      lng: location.lng,
      address: location.address,
      locationSource: 'coordinates',
      answers: publicAnswersOf(source.answers, sourceCategory!),
      reporterUserId: source.reporterUserId,
      reporterEmail: source.reporterEmail,
      reporterName: source.reporterName,
      reporterPhone: source.reporterPhone,
      mediaUrl: source.mediaUrl,
      channel: source.channel,
      // One copy per source request, even if a transfer were somehow retried.
      idempotencyKey: `transfer-${staff.town.id}-${source.id}`,
      departmentId: category.departmentId,
      // The destination's clock starts now, in its calendar: it has only just received the request.
      ...serviceTargets(receivedAt, category, await townCalendar(tx, destinationTown, receivedAt)),
      createdAt: receivedAt,
      transferredFromTownId: staff.town.id,
      transferredFromTrackingNumber: source.trackingNumber,
    });
    // The copied events get new ids; a completion photo follows its event to the copy.
    const copiedEventIds = new Map(events.map((e) => [e.id, uuidv7(e.createdAt.getTime())]));
    if (events.length > 0) await tx.insert(requestEvents).values(events.map((e) => ({ ...e, townId: destinationTownId, id: copiedEventIds.get(e.id)!, requestId: id })));
    if (photos.length > 0) {
      const copies = photos.map((p) => ({ ...p, townId: destinationTownId, id: uuidv7(), requestId: id, eventId: p.eventId ? (copiedEventIds.get(p.eventId) ?? null) : null }));
      await tx.insert(requestPhotos).values(copies);
    }
    if (followers.length > 0) {
      await tx
        .insert(requestFollowers)
        .values(followers.map((f) => ({ ...f, townId: destinationTownId, id: uuidv7(), requestId: id, unsubscribeToken: randomBytes(24).toString('base64url') })));
    }
    // The reporter's emailed manage link keeps working: the old page sends it here, where the same secret opens the copy.
    if (manageLinks.length > 0) await tx.insert(requestTokens).values(manageLinks.map((l) => ({ ...l, townId: destinationTownId, id: uuidv7(), requestId: id })));
    await tx.insert(requestEvents).values([
      {
        townId: destinationTownId,
        id: uuidv7(),
        requestId: id,
        kind: 'transferred_in',
        public: true,
        message: `Moved from ${sourceTown.name} (${source.trackingNumber}): the location was corrected to ${place}.`,
        actorUserId: staff.user.id,
      },
      { townId: destinationTownId, id: uuidv7(), requestId: id, kind: 'transfer_note', public: false, message: note, actorUserId: staff.user.id },
    ]);
    await recordAudit(tx, destinationTownId, {
      actorUserId: staff.user.id,
      action: 'transferred_in',
      entityType: 'request',
      entityId: trackingNumber,
      before: null,
      after: { from: source.trackingNumber, town: sourceTown.name, note },
    });
    await enqueueRequestWebhooks(tx, destinationTownId, 'request.created', id, { transfer: { from_jurisdiction_id: sourceTown.slug, from_service_request_id: source.trackingNumber } });
    const destinationLinks = linksFor(destinationTown.slug);
    const received = await findRequest(tx, trackingNumber);
    const from = { townName: sourceTown.name, trackingNumber: source.trackingNumber, sender: sender?.name ? `${sender.name} (${sender.email})` : sender!.email, note };
    const recipients = await departmentOrAdmins(tx, destinationTownId, category.departmentId);
    await enqueueTownEmails(tx, destinationTownId, recipients.map((to) => transferredInForStaffEmail(to, staffRequestRef(received!, destinationLinks), from, source.description)));
    const moved = recipientT()('request.movedToTown', { townName: destinationTown.name, trackingNumber, fromTown: sourceTown.name, place });
    await notifyFollowers(tx, received!, moved, destinationLinks);

    await switchTown(tx, staff.town.id);
    const referred = await applyStatusChange(
      tx,
      staff.town.id,
      source.trackingNumber,
      { to: 'referred', author: staffAuthor(staff), referredTo: `${destinationTown.name} (${trackingNumber})`, expectedVersion: seen.expectedVersion, emailFollowers: false },
      linksFor(sourceTown.slug),
    );
    // The row is locked and every requirement was checked above; failing here would be a bug, and throwing undoes both towns.
    if (!referred.ok) throw new Error(`Transfer of ${source.trackingNumber} could not refer the source: ${referred.message}`);
    await tx
      .update(serviceRequests)
      .set({ transferredToTownId: destinationTownId, transferredToTrackingNumber: trackingNumber })
      .where(eq(serviceRequests.id, source.id));
    await tx.insert(requestEvents).values({
      townId: staff.town.id,
      id: uuidv7(),
      requestId: source.id,
      kind: 'transferred_out',
      public: false,
      message: `Location corrected to ${place}, which is in ${destinationTown.name}; moved there as ${trackingNumber}. Note to ${destinationTown.name}: ${note}`,
      actorUserId: staff.user.id,
    });
    await auditRequest(tx, staff, source.trackingNumber, 'transferred', { town: sourceTown.name, lat: source.lat, lng: source.lng, address: source.address }, { town: destinationTown.name, trackingNumber, ...location, note });
    await enqueueRequestWebhooks(tx, staff.town.id, 'request.transferred', source.id, { transfer: { to_jurisdiction_id: destinationTown.slug, to_service_request_id: trackingNumber } });
    return {
      ok: true,
      transferredTo: { townName: destinationTown.name, townSlug: destinationTown.slug, trackingNumber },
    };
  });
}

// A team member leaving (or changing role): their open requests

/** Where a departing member's open requests go: another member, back to each request's department, or nobody. */
export type Reassignment = { to: 'person'; userId: string } | { to: 'department' } | { to: 'unassigned' };

export type ReassignResult = { ok: true; trackingNumbers: string[] } | { ok: false; reason: 'bad_person' };

/** How many open requests are assigned to the person, in the caller's transaction for the town. */
export async function countOpenAssigned(tx: Tx, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(serviceRequests)
    .where(and(eq(serviceRequests.assigneeUserId, userId), inArray(serviceRequests.status, OPEN_STATUSES)));
  return row?.n ?? 0;
}

/**
 * Moves every open request assigned to `fromUserId`, inside the caller's transaction (the one that
 * ends or changes the membership, which holds its row locked, so no assignment to them can slip in
 * meanwhile: `assign` reads the membership FOR SHARE). Each request gets the next version, an
 * internal "assigned" event and an audit entry, and a new assignee an email, as a hand assignment would.
 * "department" keeps each request's department, or gives it its category's.
 */
export async function reassignOpenRequests(tx: Tx, actor: TownStaff, fromUserId: string, reassignment: Reassignment, links: RequestLinks): Promise<ReassignResult> {
  let assignee: { id: string; email: string } | null = null;
  if (reassignment.to === 'person') {
    if (!isUuid(reassignment.userId) || reassignment.userId === fromUserId) return { ok: false, reason: 'bad_person' };
    const [member] = await tx
      .select({ id: users.id, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.townId, actor.town.id), eq(memberships.userId, reassignment.userId)))
      .for('share', { of: memberships });
    if (!member) return { ok: false, reason: 'bad_person' };
    assignee = member;
  }
  const open = await tx
    .select({ request: serviceRequests, categoryDepartmentId: categories.departmentId, categoryName: categories.name, townName: towns.name })
    .from(serviceRequests)
    .innerJoin(categories, and(eq(categories.townId, serviceRequests.townId), eq(categories.id, serviceRequests.categoryId)))
    .innerJoin(towns, eq(towns.id, serviceRequests.townId))
    .where(and(eq(serviceRequests.assigneeUserId, fromUserId), inArray(serviceRequests.status, OPEN_STATUSES)))
    .orderBy(asc(serviceRequests.createdAt))
    .for('update', { of: serviceRequests });
  for (const { request, categoryDepartmentId, categoryName, townName } of open) {
    const departmentId = reassignment.to === 'unassigned' ? null : reassignment.to === 'department' ? (request.departmentId ?? categoryDepartmentId) : request.departmentId;
    const found: FoundRequest = { request, categoryName, townName };
    const before = await assignmentLabels(tx, request.departmentId, request.assigneeUserId);
    if (!(await updateRequest(tx, found, request.version, { departmentId, assigneeUserId: assignee?.id ?? null }))) throw new Error(`Reassigning ${request.trackingNumber}: changed while locked`);
    const after = await assignmentLabels(tx, departmentId, assignee?.id ?? null);
    await addEvent(tx, actor, request.id, { kind: 'assigned', public: false, message: `Reassigned from ${before.assignee} (a team change) · Department: ${after.department ?? 'none'} · Assignee: ${after.assignee ?? 'nobody'}` });
    await auditRequest(tx, actor, request.trackingNumber, 'assigned', before, after);
    if (assignee && assignee.id !== actor.user.id) await enqueueTownEmail(tx, actor.town.id, assignedToYouEmail(assignee.email, staffRequestRef(found, links)));
  }
  return { ok: true, trackingNumbers: open.map((o) => o.request.trackingNumber) };
}

// Bulk actions from the queue

export const BULK_OPERATIONS = ['acknowledge', 'assign', 'close', 'reply', 'note', 'recategorise', 'priority'] as const;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];
/** The most requests one bulk action changes, ticked or "all matching": each is its own transaction. */
export const BULK_MAX = 500;

export type BulkParams = Assignment & {
  /** The public reply (reply) or the internal note (note). */
  message?: string | null;
  categoryCode?: string | null;
  priority?: RequestPriority;
  closeStatus?: (typeof CLOSED_STATUSES)[number];
  reason?: string | null;
  duplicateOf?: string | null;
  referredTo?: string | null;
};

export type BulkResult = { succeeded: string[]; failed: { trackingNumber: string; error: StaffWorkError }[] };

/**
 * One of the single-request actions on many requests. Each is its own action and transaction at the
 * version read just before, so one refusal (an invalid transition, a change made meanwhile)
 * never undoes or blocks the others; every failure is reported with its reason.
 */
export async function bulkUpdate(staff: TownStaff, trackingNumbers: string[], operation: BulkOperation, params: BulkParams, links: RequestLinks): Promise<BulkResult> {
  const wanted = [...new Set(trackingNumbers.map((t) => t.trim().toUpperCase()).filter(Boolean))].slice(0, BULK_MAX);
  const versions = new Map(
    wanted.length === 0
      ? []
      : (
          await withTown(staff.town.id, (tx) =>
            tx.select({ trackingNumber: serviceRequests.trackingNumber, version: serviceRequests.version }).from(serviceRequests).where(inArray(serviceRequests.trackingNumber, wanted)),
          )
        ).map((r) => [r.trackingNumber, r.version]),
  );
  const result: BulkResult = { succeeded: [], failed: [] };
  for (const trackingNumber of wanted) {
    const expectedVersion = versions.get(trackingNumber);
    const outcome =
      expectedVersion === undefined ? NOT_FOUND : await runBulkOperation(staff, { trackingNumber, expectedVersion }, operation, params, links);
    if (outcome.ok) result.succeeded.push(trackingNumber);
    else result.failed.push({ trackingNumber, error: outcome.error });
  }
  return result;
}

function runBulkOperation(staff: TownStaff, seen: SeenRequest, operation: BulkOperation, params: BulkParams, links: RequestLinks): Promise<WorkResult> {
  switch (operation) {
    case 'acknowledge':
      return acknowledge(staff, seen, links);
    case 'assign':
      if (!params.departmentId && !params.assigneeUserId) return Promise.resolve(invalid('departmentId', 'staffWork.departmentId.required'));
      return assign(staff, seen, { departmentId: params.departmentId || undefined, assigneeUserId: params.assigneeUserId || undefined }, links);
    case 'close':
      if (!params.closeStatus) return Promise.resolve(invalid('closeStatus', 'staffWork.closeStatus.required'));
      return changeStatus(staff, seen, { to: params.closeStatus, reason: params.reason, duplicateOf: params.duplicateOf, referredTo: params.referredTo }, links);
    case 'reply':
      return postReply(staff, seen, params.message ?? '', links);
    case 'note':
      return addInternalNote(staff, seen, params.message ?? '');
    case 'recategorise':
      if (!params.categoryCode) return Promise.resolve(invalid('categoryCode', 'staffWork.categoryCode.not_in_town', { townName: staff.town.name }));
      return recategorise(staff, seen, params.categoryCode);
    case 'priority':
      if (!params.priority) return Promise.resolve(invalid('priority', 'staffWork.priority.required'));
      return setPriority(staff, seen, params.priority);
  }
}
