import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { isUniqueViolation } from '#db/errors';
import { uuidv7 } from '#db/ids';
import { categories, departments, requestEvents, requestFollowers, requestPhotos, serviceRequests, townCounters } from '#db/schema';
import { withTown } from '#db/scope';
import { newRequestForStaffEmail, requestReceivedEmail } from '~/modules/notifications/request-emails.server';
import type { ProcessedPhoto } from '~/modules/photos/photo-pipeline.server';
import { enqueueTownEmail } from '~/utils/outbox.server';
import { getPhotoStorage } from '~/utils/storage.server';
import { validateAnswers } from './answers';
import type { RequestLinks } from './request-updates.server';
import { addBusinessDays } from './service-levels';
import { FIRST_REQUEST_NUMBER, formatTrackingNumber } from './tracking-number';

/** `address` alone means the point is only the town's own location; `geocoded` came from Mapbox. */
export type LocationSource = 'map' | 'device' | 'address' | 'geocoded' | 'photo' | 'coordinates';

export type NewServiceRequest = {
  town: { id: number; name: string; trackingCode: string; timezone: string };
  categoryCode: string;
  description: string;
  location: { lat: number; lng: number; address: string | null; source: LocationSource };
  answers: Record<string, string[]>;
  reporter: { userId: string | null; email: string | null; name: string | null };
  photos: ProcessedPhoto[];
  idempotencyKey: string;
  links: RequestLinks;
};

export type CreateResult =
  | { ok: true; trackingNumber: string; created: boolean }
  | { ok: false; fieldErrors: Record<string, string> };

export async function findByIdempotencyKey(townId: number, key: string): Promise<string | null> {
  const rows = await withTown(townId, (tx) =>
    tx.select({ trackingNumber: serviceRequests.trackingNumber }).from(serviceRequests).where(eq(serviceRequests.idempotencyKey, key)),
  );
  return rows[0]?.trackingNumber ?? null;
}

/**
 * Files a request in the town that owns its location. The request, its photos' rows, the first
 * timeline event, the reporter's subscription and the confirmation email are one transaction; the
 * photo files are written just before it and removed again if it fails, so nothing is half-stored.
 * The idempotency key makes a retried or double-tapped submit return the first request.
 */
export async function createServiceRequest(input: NewServiceRequest): Promise<CreateResult> {
  const { town } = input;
  const existing = await findByIdempotencyKey(town.id, input.idempotencyKey);
  if (existing) return { ok: true, trackingNumber: existing, created: false };

  const [category] = await withTown(town.id, (tx) =>
    tx
      .select()
      .from(categories)
      .where(and(eq(categories.code, input.categoryCode), eq(categories.active, true))),
  );
  if (!category) return { ok: false, fieldErrors: { category: `${town.name} does not take reports of that kind. Choose a category from the list.` } };
  const { answers, errors } = validateAnswers(category.questions, input.answers);
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [`q.${k}`, v])) };

  const requestId = uuidv7();
  const storage = getPhotoStorage();
  const photoRows = input.photos.map((photo, index) => {
    const photoId = uuidv7();
    return {
      photo,
      row: {
        townId: town.id,
        id: photoId,
        requestId,
        displayKey: `requests/${town.id}/${requestId}/${photoId}.webp`,
        thumbnailKey: `requests/${town.id}/${requestId}/${photoId}-thumb.webp`,
        width: photo.display.width,
        height: photo.display.height,
        sortOrder: index,
      },
    };
  });
  const writtenKeys: string[] = [];
  try {
    for (const { photo, row } of photoRows) {
      await storage.put(row.displayKey, photo.display.buffer, photo.display.contentType);
      writtenKeys.push(row.displayKey);
      await storage.put(row.thumbnailKey, photo.thumbnail.buffer, photo.thumbnail.contentType);
      writtenKeys.push(row.thumbnailKey);
    }
    const trackingNumber = await withTown(town.id, async (tx) => {
      const [counter] = await tx
        .insert(townCounters)
        .values({ townId: town.id, name: 'request_number', value: FIRST_REQUEST_NUMBER })
        .onConflictDoUpdate({ target: [townCounters.townId, townCounters.name], set: { value: sql`${townCounters.value} + 1` } })
        .returning({ value: townCounters.value });
      const number = counter!.value;
      const tracking = formatTrackingNumber(town.trackingCode, number);
      await tx.insert(serviceRequests).values({
        townId: town.id,
        id: requestId,
        number,
        trackingNumber: tracking,
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
        idempotencyKey: input.idempotencyKey,
        departmentId: category.departmentId,
        dueAt: addBusinessDays(new Date(), category.targetDays, town.timezone),
      });
      if (photoRows.length > 0) await tx.insert(requestPhotos).values(photoRows.map((p) => p.row));
      await tx.insert(requestEvents).values({ townId: town.id, id: uuidv7(), requestId, kind: 'submitted', public: true, toStatus: 'submitted' });
      if (input.reporter.email) {
        const unsubscribeToken = randomBytes(24).toString('base64url');
        await tx.insert(requestFollowers).values({
          townId: town.id,
          id: uuidv7(),
          requestId,
          userId: input.reporter.userId,
          email: input.reporter.email,
          unsubscribeToken,
        });
        const ref = { trackingNumber: tracking, townName: town.name, categoryName: category.name, url: input.links.request(tracking) };
        await enqueueTownEmail(tx, town.id, requestReceivedEmail(input.reporter.email, ref, input.links.unsubscribe(unsubscribeToken)));
      }
      if (category.departmentId) {
        const [department] = await tx.select().from(departments).where(eq(departments.id, category.departmentId));
        if (department?.email) {
          await enqueueTownEmail(tx, town.id, newRequestForStaffEmail(department.email, { trackingNumber: tracking, townName: town.name, categoryName: category.name, url: input.links.staffRequest(tracking) }, input.description));
        }
      }
      return tracking;
    });
    return { ok: true, trackingNumber, created: true };
  } catch (error) {
    await Promise.all(writtenKeys.map((key) => storage.delete(key)));
    // A concurrent submit with the same key won the race: answer with its request.
    if (isUniqueViolation(error)) {
      const winner = await findByIdempotencyKey(town.id, input.idempotencyKey);
      if (winner) return { ok: true, trackingNumber: winner, created: false };
    }
    throw error;
  }
}
