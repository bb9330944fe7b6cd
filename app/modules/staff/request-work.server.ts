import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, inArray, max, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { isUuid, uuidv7 } from '#db/ids';
import { categories, departments, memberships, requestEvents, requestFollowers, requestPhotos, serviceRequests, townCounters, towns, users } from '#db/schema';
import { switchTown, withTown, type Tx } from '#db/scope';
import type { RequestStatus } from '#db/vocabulary';
import { recordAudit, recordAuditBy } from '~/modules/audit/audit.server';
import { locateTown } from '~/modules/geo/locate-town.server';
import { assignedToYouEmail, newRequestForStaffEmail } from '~/modules/notifications/request-emails.server';
import type { ProcessedPhoto } from '~/modules/photos/photo-pipeline.server';
import { requestPhotoFiles, withStoredPhotoFiles } from '~/modules/photos/request-photo-files.server';
import { photoColumns, placePhotos, type PublicRequest } from '~/modules/requests/request-queries.server';
import {
  applyStatusChange,
  changeRequestStatus,
  findRequest,
  notifyFollowers,
  staffAuthor,
  type FoundRequest,
  type RequestLinks,
  type StatusChangeResult,
} from '~/modules/requests/request-updates.server';
import { addBusinessDays, isOverdue } from '~/modules/requests/service-levels';
import { canTransition, CLOSED_STATUSES, isOpenStatus, STATUS_LABEL } from '~/modules/requests/statuses';
import { FIRST_REQUEST_NUMBER, formatTrackingNumber } from '~/modules/requests/tracking-number';
import type { TownStaff } from '~/utils/capabilities.server';
import type { FieldError } from '~/utils/field-errors';
import { enqueueTownEmail } from '~/utils/outbox.server';

// Reading one request as staff see it

/** Everything about one request, including what the public never sees. */
export type StaffRequest = Omit<PublicRequest, 'timeline' | 'publicAnswers' | 'reporterUserId'> & {
  withdrawn: boolean;
  acknowledgedAt: Date | null;
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
  assignee: { userId: string; email: string; name: string | null } | null;
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
      })
      .from(serviceRequests)
      .innerJoin(categories, and(eq(categories.townId, serviceRequests.townId), eq(categories.id, serviceRequests.categoryId)))
      .leftJoin(departments, and(eq(departments.townId, serviceRequests.townId), eq(departments.id, serviceRequests.departmentId)))
      .leftJoin(assignees, eq(assignees.id, serviceRequests.assigneeUserId))
      .where(eq(serviceRequests.trackingNumber, trackingNumber));
    if (!row) return null;
    const { request, category } = row;
    const [photos, timeline, [followers], duplicateOf] = await Promise.all([
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
      assignee: row.assignee,
      followerCount: followers?.n ?? 0,
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
  'staffWork.closeStatus.required',
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

const NOTE_MAX = 4000;

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
        ? await tx.select({ email: users.email }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(and(eq(memberships.townId, staff.town.id), eq(memberships.userId, assigneeUserId)))
        : [];
    if (assigneeUserId && !assignee) return invalid('assigneeUserId', 'staffWork.assigneeUserId.not_in_town', { townName: found.townName });
    if (departmentId === request.departmentId && assigneeUserId === request.assigneeUserId) return { ok: true };

    const before = await assignmentLabels(tx, request.departmentId, request.assigneeUserId);
    const after = { department: department?.name ?? null, assignee: assignee?.email ?? null };
    if (!(await updateRequest(tx, found, seen.expectedVersion, { departmentId, assigneeUserId }))) return STALE;
    const message = `Department: ${after.department ?? 'none'} · Assignee: ${after.assignee ?? 'nobody'}`;
    await addEvent(tx, staff, request.id, { kind: 'assigned', public: false, message });
    await auditRequest(tx, staff, found.request.trackingNumber, 'assigned', before, after);
    // Nobody needs an email about work they just took themselves.
    if (assignee && assigneeUserId !== request.assigneeUserId && assigneeUserId !== staff.user.id) {
      const ref = { trackingNumber: request.trackingNumber, townName: found.townName, categoryName: found.categoryName, url: links.staffRequest(request.trackingNumber) };
      await enqueueTownEmail(tx, staff.town.id, assignedToYouEmail(assignee.email, ref));
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
    const [town] = await tx.select({ timezone: towns.timezone }).from(towns).where(eq(towns.id, staff.town.id));
    const dueAt = addBusinessDays(request.createdAt, next.targetDays, town!.timezone);
    // The department follows the category unless someone assigned the request to another one by hand.
    const departmentFollowsCategory = request.departmentId === null || request.departmentId === current!.departmentId;
    const departmentId = departmentFollowsCategory ? next.departmentId : request.departmentId;
    if (!(await updateRequest(tx, found, seen.expectedVersion, { categoryId: next.id, dueAt, departmentId }))) return STALE;
    await addEvent(tx, staff, request.id, { kind: 'recategorised', public: false, message: `${found.categoryName} → ${next.name}` });
    await auditRequest(tx, staff, found.request.trackingNumber, 'recategorised', { category: current!.code, dueAt: request.dueAt }, { category: next.code, dueAt });
    return { ok: true };
  });
}

export type CorrectedLocation = { lat: number; lng: number; address: string | null };

function describePlace(location: CorrectedLocation): string {
  const point = `${location.lat.toFixed(5)}, ${location.lng.toFixed(5)}`;
  return location.address ? `${location.address} (${point})` : point;
}

/**
 * Corrects where the problem is. In this town the request just moves; in another participating
 * town it is transferred there (see `transferRequest`); elsewhere the correction is refused.
 * `linksFor` builds each town's links, because a transfer emails people in two towns.
 */
export async function correctLocation(staff: TownStaff, seen: SeenRequest, location: CorrectedLocation, linksFor: (townSlug: string) => RequestLinks): Promise<WorkResult> {
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
    return transferRequest(staff, seen, corrected, destination.townId, linksFor);
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

async function nextRequestNumber(tx: Tx, townId: number): Promise<number> {
  const [counter] = await tx
    .insert(townCounters)
    .values({ townId, name: 'request_number', value: FIRST_REQUEST_NUMBER })
    .onConflictDoUpdate({ target: [townCounters.townId, townCounters.name], set: { value: sql`${townCounters.value} + 1` } })
    .returning({ value: townCounters.value });
  return counter!.value;
}

/**
 * The corrected spot belongs to another town: within ONE transaction the request is re-created
 * there (new tracking number from that town's counter; photos by the same storage keys, timeline,
 * followers and answers copied; the category matched by code, else that town's `other`), and the
 * source is referred to it. `switchTown` re-points RLS between the two halves, so each town's rows
 * are written under that town's policies and both change together or not at all.
 */
async function transferRequest(staff: TownStaff, seen: SeenRequest, location: CorrectedLocation, destinationTownId: number, linksFor: (townSlug: string) => RequestLinks): Promise<WorkResult> {
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
    const [sourceCategory] = await tx.select().from(categories).where(eq(categories.id, source.categoryId));
    const [photos, events, followers] = await Promise.all([
      tx.select().from(requestPhotos).where(eq(requestPhotos.requestId, source.id)),
      tx.select().from(requestEvents).where(eq(requestEvents.requestId, source.id)),
      tx.select().from(requestFollowers).where(eq(requestFollowers.requestId, source.id)),
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
    const number = await nextRequestNumber(tx, destinationTownId);
    const trackingNumber = formatTrackingNumber(destinationTown.trackingCode, number);
    const place = describePlace(location);
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
      answers: source.answers,
      reporterUserId: source.reporterUserId,
      reporterEmail: source.reporterEmail,
      reporterName: source.reporterName,
      reporterPhone: source.reporterPhone,
      mediaUrl: source.mediaUrl,
      // One copy per source request, even if a transfer were somehow retried.
      idempotencyKey: `transfer-${staff.town.id}-${source.id}`,
      departmentId: category.departmentId,
      // The destination's clock starts now: it has only just received the request.
      dueAt: addBusinessDays(new Date(), category.targetDays, destinationTown.timezone),
      createdAt: source.createdAt,
    });
    if (photos.length > 0) await tx.insert(requestPhotos).values(photos.map((p) => ({ ...p, townId: destinationTownId, id: uuidv7(), requestId: id })));
    if (events.length > 0) await tx.insert(requestEvents).values(events.map((e) => ({ ...e, townId: destinationTownId, id: uuidv7(e.createdAt.getTime()), requestId: id })));
    if (followers.length > 0) {
      await tx
        .insert(requestFollowers)
        .values(followers.map((f) => ({ ...f, townId: destinationTownId, id: uuidv7(), requestId: id, unsubscribeToken: randomBytes(24).toString('base64url') })));
    }
    await tx.insert(requestEvents).values({
      townId: destinationTownId,
      id: uuidv7(),
      requestId: id,
      kind: 'transferred_in',
      public: true,
      message: `Moved from ${sourceTown.name} (${source.trackingNumber}): the location was corrected to ${place}.`,
      actorUserId: staff.user.id,
    });
    await recordAudit(tx, destinationTownId, {
      actorUserId: staff.user.id,
      action: 'transferred_in',
      entityType: 'request',
      entityId: trackingNumber,
      before: null,
      after: { from: source.trackingNumber, town: sourceTown.name },
    });
    const destinationLinks = linksFor(destinationTown.slug);
    const [department] = category.departmentId ? await tx.select().from(departments).where(eq(departments.id, category.departmentId)) : [];
    if (department?.email) {
      const ref = { trackingNumber, townName: destinationTown.name, categoryName: category.name, url: destinationLinks.staffRequest(trackingNumber) };
      await enqueueTownEmail(tx, destinationTownId, newRequestForStaffEmail(department.email, ref, source.description));
    }

    await switchTown(tx, staff.town.id);
    const referred = await applyStatusChange(
      tx,
      staff.town.id,
      source.trackingNumber,
      { to: 'referred', author: staffAuthor(staff), referredTo: `${destinationTown.name} (${trackingNumber})`, expectedVersion: seen.expectedVersion },
      linksFor(sourceTown.slug),
    );
    // The row is locked and every requirement was checked above; failing here would be a bug, and throwing undoes both towns.
    if (!referred.ok) throw new Error(`Transfer of ${source.trackingNumber} could not refer the source: ${referred.message}`);
    await tx.insert(requestEvents).values({
      townId: staff.town.id,
      id: uuidv7(),
      requestId: source.id,
      kind: 'transferred_out',
      public: false,
      message: `Location corrected to ${place}, which is in ${destinationTown.name}; moved there as ${trackingNumber}.`,
      actorUserId: staff.user.id,
    });
    await auditRequest(tx, staff, source.trackingNumber, 'transferred', { town: sourceTown.name, lat: source.lat, lng: source.lng, address: source.address }, { town: destinationTown.name, trackingNumber, ...location });
    return {
      ok: true,
      transferredTo: { townName: destinationTown.name, townSlug: destinationTown.slug, trackingNumber },
    };
  });
}

// Bulk actions from the queue

export const BULK_OPERATIONS = ['acknowledge', 'assign', 'close'] as const;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];
const BULK_MAX = 200;

export type BulkParams = Assignment & {
  closeStatus?: (typeof CLOSED_STATUSES)[number];
  reason?: string | null;
  duplicateOf?: string | null;
  referredTo?: string | null;
};

export type BulkResult = { succeeded: string[]; failed: { trackingNumber: string; error: StaffWorkError }[] };

/**
 * Acknowledge, assign or close many requests. Each is its own action and transaction at the
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
  }
}
