import { eq, max, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { requestEvents, requestPhotos, serviceRequests } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { RequestStatus } from '#db/vocabulary';
import type { ProcessedPhoto } from '~/modules/photos/photo-pipeline.server';
import { requestPhotoFiles, withStoredPhotoFiles } from '~/modules/photos/request-photo-files.server';
import type { Resident } from '~/utils/capabilities.server';
import { addFollower, emailFollows, removeFollowerByEmail } from './following.server';
import { checkRequestToken, type TokenProblem } from './request-tokens.server';
import { applyStatusChange, findRequest, type FoundRequest, type RequestLinks, type StatusAuthor, type StatusChangeResult } from './request-updates.server';
import { isOpenStatus, REOPENED_STATUS, reporterOptions, type ReporterOptions } from './statuses';
import { transferredRef, type TransferredRef } from './request-queries.server';
import { residentExpectation, type ResidentExpectation } from './service-levels';

/**
 * Who is acting as the reporter (docs/decisions/0021): a signed-in resident who filed the request,
 * or whoever holds its private manage link, which went only to the address the report was made with.
 */
export type ReporterCredential = { kind: 'session'; resident: Resident } | { kind: 'manage_link'; token: string };

/** Every refusal, as a path in the errors catalogue (`errors:reporter.…`). */
export const REPORTER_ERROR_CODES = [
  'reporter.notFound',
  'reporter.notReporter',
  'reporter.link.invalid',
  'reporter.link.expired',
  'reporter.withdraw.notAllowed',
  'reporter.reopen.notAllowed',
  'reporter.reopen.tooLate',
  'reporter.comment.closed',
] as const;
export type ReporterErrorCode = (typeof REPORTER_ERROR_CODES)[number];

export type ReporterResult = { ok: true } | { ok: false; reason: 'not_found' | 'forbidden' | 'refused'; code: ReporterErrorCode; values?: Record<string, string> };

type Access = { ok: true; found: FoundRequest; author: StatusAuthor; email: string | null; userId: string | null } | Extract<ReporterResult, { ok: false }>;

const refusal = (reason: 'not_found' | 'forbidden' | 'refused', code: ReporterErrorCode): Extract<ReporterResult, { ok: false }> => ({ ok: false, reason, code });

const LINK_PROBLEM: Record<TokenProblem, ReporterErrorCode> = { invalid: 'reporter.link.invalid', expired: 'reporter.link.expired', used: 'reporter.link.invalid' };

/**
 * The request the credential lets its holder act on as its reporter, in the transaction's town: a
 * manage link only for the request it was issued for (a withdrawn one included, so its holder sees
 * it was withdrawn), a session only for a request that account reported.
 */
async function reporterAccess(tx: Tx, credential: ReporterCredential, trackingNumber: string, now: Date): Promise<Access> {
  const found = await findRequest(tx, trackingNumber);
  if (credential.kind === 'session') {
    if (!found || found.request.status === 'withdrawn') return refusal('not_found', 'reporter.notFound');
    if (found.request.reporterUserId !== credential.resident.user.id) return refusal('forbidden', 'reporter.notReporter');
    return { ok: true, found, author: { kind: 'reporter', userId: credential.resident.user.id }, email: found.request.reporterEmail, userId: credential.resident.user.id };
  }
  const checked = await checkRequestToken(tx, credential.token, 'manage', now);
  if (!checked.ok) return refusal('forbidden', LINK_PROBLEM[checked.reason]);
  if (!found || found.request.id !== checked.token.requestId) return refusal('forbidden', 'reporter.link.invalid');
  return { ok: true, found, author: { kind: 'reporter_link', requestId: found.request.id }, email: checked.token.email, userId: found.request.reporterUserId };
}

/** What an email-only reporter's page shows: their report, whether they get its emails, and what they can do. */
export type ManagedReport = {
  trackingNumber: string;
  townName: string;
  categoryName: string;
  status: RequestStatus;
  statusReason: string | null;
  description: string;
  createdAt: Date;
  closedAt: Date | null;
  /** What residents are told of the town's target (never a date that has passed). */
  expectation: ResidentExpectation;
  email: string;
  following: boolean;
  options: ReporterOptions;
};

export async function openManagedReport(
  townId: number,
  trackingNumber: string,
  token: string,
  now = new Date(),
): Promise<{ ok: true; report: ManagedReport; transferredTo: TransferredRef | null } | Extract<ReporterResult, { ok: false }>> {
  return withTown(townId, async (tx) => {
    const access = await reporterAccess(tx, { kind: 'manage_link', token }, trackingNumber, now);
    if (!access.ok) return access;
    const { request, townName, categoryName } = access.found;
    return {
      ok: true,
      // A transfer copied the link to the receiving town's request, so it opens the request there.
      transferredTo: await transferredRef(tx, request.transferredToTownId, request.transferredToTrackingNumber),
      report: {
        trackingNumber: request.trackingNumber,
        townName,
        categoryName,
        status: request.status,
        statusReason: request.statusReason,
        description: request.description,
        createdAt: request.createdAt,
        closedAt: request.closedAt,
        expectation: residentExpectation(request.dueAt, isOpenStatus(request.status), now),
        email: access.email!,
        following: await emailFollows(tx, request.id, access.email!),
        options: reporterOptions(request, now),
      },
    };
  });
}

function fromStatusChange(result: StatusChangeResult, refusedCode: ReporterErrorCode): ReporterResult {
  if (result.ok) return { ok: true };
  if (result.reason === 'reopen_window_passed') return refusal('refused', 'reporter.reopen.tooLate');
  if (result.reason === 'not_found') return refusal('not_found', 'reporter.notFound');
  return refusal('refused', refusedCode);
}

/** Takes the report back, before the town has acknowledged it; the reporter gets a confirmation email. */
export async function withdrawAsReporter(credential: ReporterCredential, townId: number, trackingNumber: string, reason: string | null, links: RequestLinks, now = new Date()): Promise<ReporterResult> {
  return withTown(townId, async (tx) => {
    const access = await reporterAccess(tx, credential, trackingNumber, now);
    if (!access.ok) return access;
    const result = await applyStatusChange(tx, townId, trackingNumber, { to: 'withdrawn', author: access.author, reason, now }, links);
    return fromStatusChange(result, 'reporter.withdraw.notAllowed');
  });
}

/** A resident's words on a request: on its public timeline, or for the town's staff only. */
export type ResidentComment = { text: string | null; public: boolean };

async function addCommentEvent(tx: Tx, found: FoundRequest, comment: ResidentComment, actorUserId: string | null): Promise<void> {
  await tx.insert(requestEvents).values({
    townId: found.request.townId,
    id: uuidv7(),
    requestId: found.request.id,
    kind: 'resident_comment',
    public: comment.public,
    message: comment.text,
    actorUserId,
  });
}

/**
 * Reopens a closed request within its window: back in the town's queue, its staff and followers
 * told. A public comment travels with the reopening; a private one is a staff-only note beside it.
 */
export async function reopenWithComment(tx: Tx, found: FoundRequest, author: StatusAuthor, comment: ResidentComment, links: RequestLinks, now: Date): Promise<StatusChangeResult> {
  const result = await applyStatusChange(
    tx,
    found.request.townId,
    found.request.trackingNumber,
    { to: REOPENED_STATUS, author, reason: comment.public ? comment.text : null, now },
    links,
  );
  if (result.ok && !comment.public && comment.text) await addCommentEvent(tx, found, comment, author.kind === 'reporter' ? author.userId : null);
  return result;
}

/** The reporter says the town's fix (or its refusal) is wrong, within 30 days of the close. */
export async function reopenAsReporter(credential: ReporterCredential, townId: number, trackingNumber: string, comment: ResidentComment, links: RequestLinks, now = new Date()): Promise<ReporterResult> {
  return withTown(townId, async (tx) => {
    const access = await reporterAccess(tx, credential, trackingNumber, now);
    if (!access.ok) return access;
    return fromStatusChange(await reopenWithComment(tx, access.found, access.author, comment, links, now), 'reporter.reopen.notAllowed');
  });
}

/**
 * Adds the reporter's comment and/or photo (already through the photo pipeline) to their open
 * request, public or for the town only. The photo's files are written after the checks and
 * removed if storing its row fails. Bumps the version, so a staff form opened before is stale.
 */
export async function commentAsReporter(
  credential: ReporterCredential,
  townId: number,
  trackingNumber: string,
  comment: ResidentComment & { photo: ProcessedPhoto | null },
  now = new Date(),
): Promise<ReporterResult> {
  const checked = await withTown(townId, async (tx) => {
    const access = await reporterAccess(tx, credential, trackingNumber, now);
    if (!access.ok) return access;
    if (!reporterOptions(access.found.request, now).comment) return refusal('refused', 'reporter.comment.closed');
    const [last] = await tx.select({ sortOrder: max(requestPhotos.sortOrder) }).from(requestPhotos).where(eq(requestPhotos.requestId, access.found.request.id));
    return { ...access, nextSortOrder: (last?.sortOrder ?? -1) + 1 };
  });
  if (!checked.ok) return checked;
  const { found, userId } = checked;
  const files = requestPhotoFiles(townId, found.request.id, comment.photo ? [comment.photo] : [], { firstSortOrder: checked.nextSortOrder, public: comment.public });
  await withStoredPhotoFiles(files, () =>
    withTown(townId, async (tx) => {
      if (files.length > 0) await tx.insert(requestPhotos).values(files.map((f) => f.row));
      await addCommentEvent(tx, found, comment, checked.author.kind === 'reporter' ? userId : null);
      await tx
        .update(serviceRequests)
        .set({ updatedAt: now, version: sql`${serviceRequests.version} + 1` })
        .where(eq(serviceRequests.id, found.request.id));
    }),
  );
  return { ok: true };
}

/** The manage link's holder starts or stops getting the request's emails (at the address the link was sent to). */
export async function setFollowingByManageLink(token: string, townId: number, trackingNumber: string, follow: boolean, now = new Date()): Promise<ReporterResult> {
  return withTown(townId, async (tx) => {
    const access = await reporterAccess(tx, { kind: 'manage_link', token }, trackingNumber, now);
    if (!access.ok) return access;
    if (access.found.request.status === 'withdrawn') return refusal('not_found', 'reporter.notFound');
    if (follow) await addFollower(tx, access.found, { userId: access.userId, email: access.email! });
    else await removeFollowerByEmail(tx, access.found.request.id, access.email!);
    return { ok: true };
  });
}
