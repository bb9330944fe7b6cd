import { and, asc, count, desc, eq, gte, inArray, lte, ne, or, sql } from 'drizzle-orm';
import { categories, requestEvents, requestFollowers, requestPhotos, serviceRequests, towns } from '#db/schema';
import { together, withResident, withTownReads, type Tx } from '#db/scope';
import type { RequestChannel, RequestStatus } from '#db/vocabulary';
import { selectCategories, type CategorySummary } from '~/modules/categories/categories.server';
import type { Resident } from '~/utils/capabilities.server';
import type { MY_REQUEST_RELATIONS, MY_REQUEST_STATUS_FILTERS } from './my-request-filters';
import { CLOSED_STATUSES, isOpenStatus, OPEN_STATUSES } from './statuses';
import { residentExpectation, type ResidentExpectation } from './service-levels';
import { selectLatestRequests, type PublicListItem } from './request-list.server';

export type RequestPhoto = { id: string; displayKey: string; thumbnailKey: string; width: number; height: number };

export const photoColumns = {
  id: requestPhotos.id,
  displayKey: requestPhotos.displayKey,
  thumbnailKey: requestPhotos.thumbnailKey,
  width: requestPhotos.width,
  height: requestPhotos.height,
  eventId: requestPhotos.eventId,
};

/** Splits a request's photos: its own, and each event's (completion photos) placed with the event. */
export function placePhotos<E extends { id: string }>(rows: (RequestPhoto & { eventId: string | null })[], events: E[]): { photos: RequestPhoto[]; timeline: (E & { photos: RequestPhoto[] })[] } {
  const own = rows.filter((p) => p.eventId === null).map(({ eventId: _eventId, ...photo }) => photo);
  const timeline = events.map((event) => ({ ...event, photos: rows.filter((p) => p.eventId === event.id).map(({ eventId: _eventId, ...photo }) => photo) }));
  return { photos: own, timeline };
}

/** What anyone may see of a request: never the reporter's identity or private answers. */
export type PublicRequest = {
  id: string;
  trackingNumber: string;
  status: RequestStatus;
  statusReason: string | null;
  referredTo: string | null;
  duplicateOfTrackingNumber: string | null;
  category: { code: string; name: string; targetDays: number };
  description: string;
  lat: number;
  lng: number;
  address: string | null;
  locationApproximate: boolean;
  createdAt: Date;
  closedAt: Date | null;
  /** What residents are told of the town's target (never a date that has passed). */
  expectation: ResidentExpectation;
  /** How it reached the town: a staff channel means town staff filed it for a caller (never who). */
  channel: RequestChannel;
  /** The request's own photos; those attached to an event (completion photos) come with it in the timeline. */
  photos: RequestPhoto[];
  timeline: { id: string; kind: string; toStatus: RequestStatus | null; message: string | null; createdAt: Date; photos: RequestPhoto[] }[];
  followerCount: number;
  publicAnswers: { label: string; value: string }[];
  reporterUserId: string | null;
  /** Moved to another town (a corrected location): its page there, where this one redirects. */
  transferredTo: TransferredRef | null;
};

/** The other town's side of a transfer: a name and a tracking number, never its row. */
export type TransferredRef = { townSlug: string; townName: string; trackingNumber: string };

/** Names the other town of a transfer (the town list is readable in any town's scope). */
export async function transferredRef(tx: Tx, townId: number | null, trackingNumber: string | null): Promise<TransferredRef | null> {
  if (townId === null || trackingNumber === null) return null;
  const [town] = await tx.select({ slug: towns.slug, name: towns.name }).from(towns).where(eq(towns.id, townId));
  return town ? { townSlug: town.slug, townName: town.name, trackingNumber } : null;
}

export async function getPublicRequest(townId: number, trackingNumber: string, now = new Date()): Promise<PublicRequest | null> {
  return withTownReads(townId, async (tx) => {
    const [row] = await tx
      .select({ request: serviceRequests, category: categories })
      .from(serviceRequests)
      .innerJoin(categories, and(eq(categories.townId, serviceRequests.townId), eq(categories.id, serviceRequests.categoryId)))
      .where(and(eq(serviceRequests.trackingNumber, trackingNumber), ne(serviceRequests.status, 'withdrawn')));
    if (!row) return null;
    const { request, category } = row;
    const [photos, timeline, [followers], duplicateOf, transferredTo] = await together([
      tx
        .select(photoColumns)
        .from(requestPhotos)
        // A photo the reporter added for the town only is not for the public.
        .where(and(eq(requestPhotos.requestId, request.id), eq(requestPhotos.public, true)))
        .orderBy(asc(requestPhotos.sortOrder)),
      tx
        .select({ id: requestEvents.id, kind: requestEvents.kind, toStatus: requestEvents.toStatus, message: requestEvents.message, createdAt: requestEvents.createdAt })
        .from(requestEvents)
        .where(and(eq(requestEvents.requestId, request.id), eq(requestEvents.public, true)))
        .orderBy(asc(requestEvents.createdAt), asc(requestEvents.id)),
      tx.select({ n: count() }).from(requestFollowers).where(eq(requestFollowers.requestId, request.id)),
      request.duplicateOfId
        ? tx.select({ trackingNumber: serviceRequests.trackingNumber }).from(serviceRequests).where(eq(serviceRequests.id, request.duplicateOfId))
        : Promise.resolve([]),
      transferredRef(tx, request.transferredToTownId, request.transferredToTrackingNumber),
    ]);
    const publicAnswers = category.questions
      .filter((q) => q.public && request.answers[q.code] !== undefined)
      .map((q) => {
        const value = request.answers[q.code]!;
        const labels = (v: string) => q.choices?.find((c) => c.value === v)?.label ?? v;
        return { label: q.label, value: Array.isArray(value) ? value.map(labels).join(', ') : labels(value) };
      });
    return {
      id: request.id,
      trackingNumber: request.trackingNumber,
      status: request.status,
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
      closedAt: request.closedAt,
      expectation: residentExpectation(request.dueAt, isOpenStatus(request.status), now),
      channel: request.channel,
      ...placePhotos(photos, timeline),
      followerCount: followers?.n ?? 0,
      publicAnswers,
      reporterUserId: request.reporterUserId,
      transferredTo,
    };
  });
}

/** The town home page in one transaction: the categories to report under and the latest requests, without a count. */
export async function loadTownHome(townId: number, recentCount: number): Promise<{ categories: CategorySummary[]; recent: PublicListItem[] }> {
  return withTownReads(townId, async (tx) => {
    const [categories, recent] = await together([selectCategories(tx), selectLatestRequests(tx, townId, recentCount)]);
    return { categories, recent };
  });
}

const METERS_PER_DEGREE_LAT = 111_320;

export type NearbyRequest = { trackingNumber: string; description: string; status: RequestStatus; distanceMeters: number; createdAt: Date };

/** Open requests of one category within `radiusMeters`, in the transaction's town: "is this the same problem?" */
export async function findNearbyOpenRequests(tx: Tx, categoryCode: string, lat: number, lng: number, radiusMeters = 50): Promise<NearbyRequest[]> {
  const dLat = radiusMeters / METERS_PER_DEGREE_LAT;
  const dLng = radiusMeters / (METERS_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180));
  const rows = await tx
    .select({
      trackingNumber: serviceRequests.trackingNumber,
      description: serviceRequests.description,
      status: serviceRequests.status,
      lat: serviceRequests.lat,
      lng: serviceRequests.lng,
      createdAt: serviceRequests.createdAt,
    })
    .from(serviceRequests)
    .innerJoin(categories, and(eq(categories.townId, serviceRequests.townId), eq(categories.id, serviceRequests.categoryId)))
    .where(
      and(
        eq(categories.code, categoryCode),
        inArray(serviceRequests.status, [...OPEN_STATUSES]),
        gte(serviceRequests.lat, lat - dLat),
        lte(serviceRequests.lat, lat + dLat),
        gte(serviceRequests.lng, lng - dLng),
        lte(serviceRequests.lng, lng + dLng),
      ),
    )
    .limit(20);
  return rows
    .map((r) => {
      const dy = (r.lat - lat) * METERS_PER_DEGREE_LAT;
      const dx = (r.lng - lng) * METERS_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180);
      return { trackingNumber: r.trackingNumber, description: r.description, status: r.status, createdAt: r.createdAt, distanceMeters: Math.round(Math.hypot(dx, dy)) };
    })
    .filter((r) => r.distanceMeters <= radiusMeters)
    .sort((a, b) => a.distanceMeters - b.distanceMeters);
}

export const MY_REQUESTS_PAGE_SIZE = 20;

export type MyRequestFilters = {
  status?: (typeof MY_REQUEST_STATUS_FILTERS)[number];
  /** A town's slug. */
  town?: string;
  relation?: (typeof MY_REQUEST_RELATIONS)[number];
  page: number;
};

export type MyRequest = {
  trackingNumber: string;
  status: RequestStatus;
  townName: string;
  townSlug: string;
  categoryName: string;
  description: string;
  createdAt: Date;
  relation: 'reported' | 'following';
};

export type MyRequestsPage = { items: MyRequest[]; total: number; pageSize: number; towns: { slug: string; name: string }[] };

/**
 * Every request the resident reported or follows, in every town (resident_read policies), newest
 * first, a page at a time, with the towns they have requests in (for the filter). A withdrawn
 * request stays on its reporter's list, and only theirs: a follower of it sees it no longer.
 */
export async function listMyRequests(resident: Resident, filters: MyRequestFilters = { page: 1 }): Promise<MyRequestsPage> {
  const me = resident.user.id;
  return withResident(me, async (tx) => {
    const reported = eq(serviceRequests.reporterUserId, me);
    const visible = or(ne(serviceRequests.status, 'withdrawn'), reported);
    const status =
      filters.status === 'open'
        ? inArray(serviceRequests.status, [...OPEN_STATUSES])
        : filters.status === 'closed'
          ? inArray(serviceRequests.status, [...CLOSED_STATUSES])
          : filters.status === 'withdrawn'
            ? eq(serviceRequests.status, 'withdrawn')
            : undefined;
    const relation = filters.relation === 'reported' ? reported : filters.relation === 'following' ? sql`${serviceRequests.reporterUserId} is distinct from ${me}` : undefined;
    const where = and(visible, status, relation, filters.town ? eq(towns.slug, filters.town) : undefined);
    const [rows, [counted], townRows] = await Promise.all([
      tx
        .select({
          trackingNumber: serviceRequests.trackingNumber,
          status: serviceRequests.status,
          townName: towns.name,
          townSlug: towns.slug,
          categoryName: categories.name,
          description: serviceRequests.description,
          createdAt: serviceRequests.createdAt,
          reporterUserId: serviceRequests.reporterUserId,
        })
        .from(serviceRequests)
        .innerJoin(towns, eq(towns.id, serviceRequests.townId))
        .innerJoin(categories, and(eq(categories.townId, serviceRequests.townId), eq(categories.id, serviceRequests.categoryId)))
        .where(where)
        .orderBy(desc(serviceRequests.createdAt), desc(serviceRequests.id))
        .limit(MY_REQUESTS_PAGE_SIZE)
        .offset((filters.page - 1) * MY_REQUESTS_PAGE_SIZE),
      tx.select({ n: count() }).from(serviceRequests).innerJoin(towns, eq(towns.id, serviceRequests.townId)).where(where),
      tx.selectDistinct({ slug: towns.slug, name: towns.name }).from(serviceRequests).innerJoin(towns, eq(towns.id, serviceRequests.townId)).where(visible).orderBy(towns.name),
    ]);
    return {
      items: rows.map(({ reporterUserId, ...r }) => ({ ...r, relation: reporterUserId === me ? 'reported' : 'following' })),
      total: counted?.n ?? 0,
      pageSize: MY_REQUESTS_PAGE_SIZE,
      towns: townRows,
    };
  });
}
