import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { isUniqueViolation } from '#db/errors';
import { uuidv7 } from '#db/ids';
import { categories, departments, requestEvents, requestFollowers, requestPhotos, requestTokens, serviceRequests } from '#db/schema';
import { together, withTown, withTownReads, type Tx } from '#db/scope';
import type { LocationSource, RequestChannel } from '#db/vocabulary';
import { recordAuditBy } from '~/modules/audit/audit.server';
import { newRequestForStaffEmail, requestReceivedEmail } from '~/modules/notifications/request-emails.server';
import type { ProcessedPhoto } from '~/modules/photos/photo-pipeline.server';
import { requestPhotoFiles, withStoredPhotoFiles } from '~/modules/photos/request-photo-files.server';
import type { TownStaff } from '~/utils/capabilities.server';
import type { EmailMessage } from '~/utils/email.server';
import { enqueueRequestWebhooks } from '~/modules/webhooks/webhook-endpoints.server';
import { enqueueTownEmails } from '~/utils/outbox.server';
import { validateAnswers, type Answers } from './answers';
import type { ReportErrors } from './report-errors';
import { findNearbyOpenRequests, type NearbyRequest } from './request-queries.server';
import { newRequestToken, REQUEST_TOKEN_LIFETIME_MS } from './request-tokens.server';
import { unsubscribeLinksFor, type RequestLinks } from './request-updates.server';
import { closedDaysFrom } from './closure-days.server';
import { addDays, dayIn } from '~/utils/calendar-day';
import { businessCalendar, serviceTargets } from './service-levels';
import { takeRequestNumber } from './request-numbers.server';
import { formatTrackingNumber } from './tracking-number';

export type NewServiceRequest = {
  town: { id: number; name: string; trackingCode: string; timezone: string; county: string };
  categoryCode: string;
  description: string;
  location: { lat: number; lng: number; address: string | null; source: LocationSource };
  answers: Record<string, string[]>;
  reporter: { userId: string | null; email: string | null; name: string | null; phone?: string | null };
  photos: ProcessedPhoto[];
  /** A link to media kept elsewhere (Open311's media_url). */
  mediaUrl?: string | null;
  /** How it reached the town; `web` unless said. */
  channel?: RequestChannel;
  /** Staff filing it for a caller: the first event names them (for staff only) and the filing is audited. */
  filedBy?: TownStaff;
  idempotencyKey: string;
  links: RequestLinks;
  /** Ask first when open requests of the same kind are within 50 m (not for a town-wide address point). */
  checkDuplicates?: boolean;
};

export type CreateResult =
  | { kind: 'filed'; trackingNumber: string; created: boolean }
  | { kind: 'possible_duplicates'; duplicates: NearbyRequest[] }
  | { kind: 'invalid'; errors: ReportErrors };

type Checked = {
  kind: 'checked';
  category: { id: string; name: string; targetDays: number; ackTargetDays: number; closedDays: string[]; departmentId: string | null; departmentEmail: string | null };
  answers: Answers;
};

async function trackingNumberForKey(tx: Tx, key: string): Promise<string | null> {
  const [row] = await tx.select({ trackingNumber: serviceRequests.trackingNumber }).from(serviceRequests).where(eq(serviceRequests.idempotencyKey, key));
  return row?.trackingNumber ?? null;
}

/** The request a channel already filed under `key` in the town, if any. */
export function trackingNumberForIdempotencyKey(townId: number, key: string): Promise<string | null> {
  return withTownReads(townId, (tx) => trackingNumberForKey(tx, key));
}

/** Everything that can still refuse the request: an earlier filing under the same key, the category and its questions, open reports nearby. */
async function check(tx: Tx, input: NewServiceRequest): Promise<CreateResult | Checked> {
  const { town } = input;
  // The three reads do not depend on each other: sent together, they cost one round trip.
  const [existing, [category], duplicates] = await together([
    trackingNumberForKey(tx, input.idempotencyKey),
    tx
      .select({
        id: categories.id,
        name: categories.name,
        questions: categories.questions,
        targetDays: categories.targetDays,
        ackTargetDays: categories.ackTargetDays,
        // The town's closures ahead, for the targets, in the same statement.
        closedDays: closedDaysFrom(categories.townId, addDays(dayIn(new Date(), town.timezone), -1)),
        departmentId: categories.departmentId,
        departmentEmail: departments.email,
      })
      .from(categories)
      .leftJoin(departments, and(eq(departments.townId, categories.townId), eq(departments.id, categories.departmentId)))
      .where(and(eq(categories.code, input.categoryCode), eq(categories.active, true))),
    input.checkDuplicates && input.location.source !== 'address' ? findNearbyOpenRequests(tx, input.categoryCode, input.location.lat, input.location.lng) : [],
  ]);
  if (existing) return { kind: 'filed', trackingNumber: existing, created: false };
  if (!category) return { kind: 'invalid', errors: { category: { code: 'category.not_offered', values: { town: town.name } } } };
  const { answers, errors } = validateAnswers(category.questions, input.answers);
  if (Object.keys(errors).length > 0) return { kind: 'invalid', errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [`q.${k}`, v])) };

  if (duplicates.length > 0) return { kind: 'possible_duplicates', duplicates };

  const { questions: _questions, ...kept } = category;
  return { kind: 'checked', category: kept, answers };
}

/**
 * Files a request in the town that owns its location, in three transactions: the checks; the
 * number, alone, so that the town's counter row is held for no round trip and the town's filings
 * do not queue behind each other; then the request, its photos' rows, the first timeline event,
 * the reporter's subscription and the emails together. The photo files are written before the
 * last and removed again if it fails, so nothing is half-stored; a number taken for a filing that
 * then fails is a harmless gap. The idempotency key makes a retried or double-tapped submit return
 * the first request.
 */
export async function createServiceRequest(input: NewServiceRequest): Promise<CreateResult> {
  const { town } = input;
  // Staff file only into their own town; routing refuses a spot elsewhere before this.
  if (input.filedBy && input.filedBy.town.id !== town.id) throw new Error(`Staff of town ${input.filedBy.town.id} cannot file into town ${town.id}`);
  const checked = await withTownReads(town.id, (tx) => check(tx, input));
  if (checked.kind !== 'checked') return checked;
  const { category, answers } = checked;
  const number = await takeRequestNumber(town.id);

  const requestId = uuidv7();
  const trackingNumber = formatTrackingNumber(town.trackingCode, number);
  const photoFiles = requestPhotoFiles(town.id, requestId, input.photos);
  const follower = input.reporter.email ? { email: input.reporter.email, unsubscribeToken: randomBytes(24).toString('base64url') } : null;
  // Without an account the reporter manages the report through a private link (docs/decisions/0021).
  const manageToken =
    follower && !input.reporter.userId
      ? newRequestToken({ townId: town.id, requestId, purpose: 'manage', email: follower.email, expiresAt: new Date(Date.now() + REQUEST_TOKEN_LIFETIME_MS.manage) })
      : null;
  const emails: EmailMessage[] = [];
  if (follower) {
    const ref = { trackingNumber, townName: town.name, categoryName: category.name, url: input.links.request(trackingNumber) };
    const manage = manageToken ? { url: input.links.manage(trackingNumber, manageToken.token), validDays: REQUEST_TOKEN_LIFETIME_MS.manage / 86_400_000 } : null;
    emails.push(requestReceivedEmail(follower.email, ref, unsubscribeLinksFor(input.links, follower.unsubscribeToken), manage));
  }
  if (category.departmentEmail) {
    const place = { address: input.location.address, lat: input.location.lat, lng: input.location.lng };
    const ref = { trackingNumber, townName: town.name, categoryName: category.name, url: input.links.staffRequest(trackingNumber), place };
    emails.push(newRequestForStaffEmail(category.departmentEmail, ref, input.description));
  }

  try {
    await withStoredPhotoFiles(photoFiles, () => withTown(town.id, async (tx) => {
      await tx.insert(serviceRequests).values({
        townId: town.id,
        id: requestId,
        number,
        trackingNumber,
        categoryId: category.id,
        description: input.description,
        lat: input.location.lat,
        lng: input.location.lng,
        address: input.location.address,
        locationSource: input.location.source,
        answers,
        reporterUserId: input.reporter.userId,
        reporterEmail: input.reporter.email,
        reporterName: input.reporter.name,
        reporterPhone: input.reporter.phone ?? null,
        mediaUrl: input.mediaUrl ?? null,
        channel: input.channel ?? 'web',
        idempotencyKey: input.idempotencyKey,
        departmentId: category.departmentId,
        ...serviceTargets(new Date(), category, businessCalendar(town, category.closedDays)),
      });
      // These need only the request row, not each other: sent together, they cost one round trip.
      await together([
        photoFiles.length > 0 ? tx.insert(requestPhotos).values(photoFiles.map((p) => p.row)) : null,
        tx.insert(requestEvents).values({ townId: town.id, id: uuidv7(), requestId, kind: 'submitted', public: true, toStatus: 'submitted', actorUserId: input.filedBy?.user.id ?? null }),
        input.filedBy
          ? recordAuditBy(tx, input.filedBy, {
              action: 'request.filed_for_caller',
              entityType: 'request',
              entityId: trackingNumber,
              after: { channel: input.channel, category: input.categoryCode, callerEmail: Boolean(input.reporter.email), callerPhone: Boolean(input.reporter.phone) },
            })
          : null,
        follower ? tx.insert(requestFollowers).values({ townId: town.id, id: uuidv7(), requestId, userId: input.reporter.userId, ...follower }) : null,
        manageToken ? tx.insert(requestTokens).values(manageToken.row) : null,
        enqueueTownEmails(tx, town.id, emails),
      ]);
      // The webhook's copy of the request is read once everything above is written.
      await enqueueRequestWebhooks(tx, town.id, 'request.created', requestId);
    }));
    return { kind: 'filed', trackingNumber, created: true };
  } catch (error) {
    // A concurrent submit with the same key won the race: answer with its request.
    if (isUniqueViolation(error)) {
      const winner = await withTownReads(town.id, (tx) => trackingNumberForKey(tx, input.idempotencyKey));
      if (winner) return { kind: 'filed', trackingNumber: winner, created: false };
    }
    throw error;
  }
}
