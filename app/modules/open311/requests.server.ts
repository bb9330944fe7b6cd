import { and, asc, desc, eq, gte, inArray, lte, ne, sql, type SQL } from 'drizzle-orm';
import { categories, departments, requestEvents, serviceRequests } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { RequestStatus } from '#db/vocabulary';
import { CLOSED_STATUSES, isOpenStatus, OPEN_STATUSES } from '~/modules/requests/statuses';

const DAY_MS = 86_400_000;
/** The spec's default listing: the last 90 days, newest first; page_size is the pagination extension's. */
export const DEFAULT_WINDOW_DAYS = 90;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
/** service_request_id lists longer than this are refused rather than turned into a huge IN list. */
export const MAX_REQUEST_IDS = 100;

export type Open311RequestFilters = {
  ids: string[] | null;
  serviceCodes: string[] | null;
  statuses: ('open' | 'closed')[] | null;
  /** The requested_datetime window; null when only updated_after/updated_before narrow the list. */
  start: Date | null;
  end: Date | null;
  updatedAfter: Date | null;
  updatedBefore: Date | null;
  /** `extensions=true`: each request's public timeline as `extended_attributes.notes`. */
  extensions: boolean;
  page: number;
  pageSize: number;
};

/** The parameter that was wrong; the route words it. */
export type FilterError = { code: 'invalid_parameter'; values: { parameter: string } };

/** What anyone may see of a request: never the reporter, private answers or internal notes. */
export type Open311Request = {
  trackingNumber: string;
  status: 'open' | 'closed';
  statusNotes: string | null;
  serviceName: string;
  serviceCode: string;
  description: string;
  agencyResponsible: string | null;
  requestedAt: Date;
  updatedAt: Date;
  expectedAt: Date | null;
  address: string | null;
  lat: number;
  lng: number;
  /** The first public photo's path on the town's site, for the route to make absolute. */
  photoPath: string | null;
  /** A link the client gave (media_url) when there is no photo. */
  mediaUrl: string | null;
  /** The public timeline, oldest first, when the client asked for extensions. */
  notes?: Open311Note[];
};

/** One public timeline entry: what happened (the event's kind), when, and the words shown to residents. */
export type Open311Note = { type: string; at: Date; description: string | null; status: 'open' | 'closed' | null };

function list(value: string | null): string[] | null {
  if (value === null) return null;
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.length > 0 ? entries : null;
}

export function w3cInstant(value: string): Date | null {
  // A date alone or a datetime with Z or an offset (W3C profile of ISO 8601).
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function positiveInteger(value: string | null, fallback: number, max: number): number | null {
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= max ? n : null;
}

/** The query of `GET requests`: the spec's filters and the pagination extension. */
export function parseRequestFilters(query: URLSearchParams, now: Date): { ok: true; filters: Open311RequestFilters } | { ok: false; error: FilterError } {
  const bad = (parameter: string) => ({ ok: false as const, error: { code: 'invalid_parameter' as const, values: { parameter } } });
  const ids = list(query.get('service_request_id'));
  if (ids && ids.length > MAX_REQUEST_IDS) return bad('service_request_id');
  const statuses = list(query.get('status'));
  if (statuses && !statuses.every((s) => s === 'open' || s === 'closed')) return bad('status');
  const updated = { after: query.get('updated_after'), before: query.get('updated_before') };
  const updatedAfter = updated.after ? w3cInstant(updated.after) : null;
  if (updated.after && !updatedAfter) return bad('updated_after');
  const updatedBefore = updated.before ? w3cInstant(updated.before) : null;
  if (updated.before && !updatedBefore) return bad('updated_before');
  const dates = parseDateWindow(query, now);
  if (!dates.ok) return dates;
  // Polling by update time replaces the default 90 days of requested_datetime, unless a window is asked for too.
  const byUpdateOnly = (updatedAfter || updatedBefore) && !query.get('start_date') && !query.get('end_date');
  const extensions = query.get('extensions');
  if (extensions !== null && extensions !== 'true' && extensions !== 'false') return bad('extensions');
  const page = positiveInteger(query.get('page'), 1, 1_000_000);
  if (page === null) return bad('page');
  const pageSize = positiveInteger(query.get('page_size'), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (pageSize === null) return bad('page_size');
  return {
    ok: true,
    filters: {
      ids,
      serviceCodes: list(query.get('service_code')),
      statuses: statuses as ('open' | 'closed')[] | null,
      ...(byUpdateOnly ? { start: null, end: null } : dates.window),
      updatedAfter,
      updatedBefore,
      extensions: extensions === 'true',
      page,
      pageSize,
    },
  };
}

const publicColumns = {
  id: serviceRequests.id,
  trackingNumber: serviceRequests.trackingNumber,
  status: serviceRequests.status,
  statusReason: serviceRequests.statusReason,
  serviceName: categories.name,
  serviceCode: categories.code,
  description: serviceRequests.description,
  agencyResponsible: departments.name,
  requestedAt: serviceRequests.createdAt,
  updatedAt: serviceRequests.updatedAt,
  expectedAt: serviceRequests.dueAt,
  address: serviceRequests.address,
  lat: serviceRequests.lat,
  lng: serviceRequests.lng,
  mediaUrl: serviceRequests.mediaUrl,
  photoKey: sql<string | null>`(select p.display_key from request_photos p where p.town_id = ${serviceRequests.townId} and p.request_id = ${serviceRequests.id} and p.public and p.event_id is null order by p.sort_order limit 1)`,
};

/** A row as selected: the stored status and reason, and the photo's key rather than its path. */
type Row = Omit<Open311Request, 'status' | 'statusNotes' | 'photoPath'> & { id: string; status: RequestStatus; statusReason: string | null; photoKey: string | null };

function toOpen311({ id: _id, status, statusReason, photoKey, ...row }: Row): Open311Request {
  return { ...row, status: isOpenStatus(status) ? 'open' : 'closed', statusNotes: statusReason, photoPath: photoKey ? `/photos/${photoKey}` : null };
}

async function selectPublicIn(tx: Tx, where: SQL | undefined, page: { limit: number; offset: number }, withNotes = false): Promise<Open311Request[]> {
  const rows = await tx
    .select(publicColumns)
    .from(serviceRequests)
    .innerJoin(categories, and(eq(categories.townId, serviceRequests.townId), eq(categories.id, serviceRequests.categoryId)))
    .leftJoin(departments, and(eq(departments.townId, serviceRequests.townId), eq(departments.id, serviceRequests.departmentId)))
    // A withdrawn report is gone from every public view.
    .where(and(ne(serviceRequests.status, 'withdrawn'), where))
    .orderBy(desc(serviceRequests.createdAt), desc(serviceRequests.id))
    .limit(page.limit)
    .offset(page.offset);
  if (!withNotes) return rows.map(toOpen311);
  const notes = await publicNotesIn(tx, rows.map((r) => r.id));
  return rows.map((row) => ({ ...toOpen311(row), notes: notes.get(row.id) ?? [] }));
}

/** The public timelines of `requestIds`, one query for the page: never internal notes or private events. */
async function publicNotesIn(tx: Tx, requestIds: string[]): Promise<Map<string, Open311Note[]>> {
  const byRequest = new Map<string, Open311Note[]>();
  if (requestIds.length === 0) return byRequest;
  const events = await tx
    .select({ requestId: requestEvents.requestId, kind: requestEvents.kind, at: requestEvents.createdAt, message: requestEvents.message, toStatus: requestEvents.toStatus })
    .from(requestEvents)
    .where(and(eq(requestEvents.public, true), inArray(requestEvents.requestId, requestIds)))
    .orderBy(asc(requestEvents.createdAt), asc(requestEvents.id));
  for (const e of events) {
    const note: Open311Note = { type: e.kind, at: e.at, description: e.message, status: e.toStatus ? (isOpenStatus(e.toStatus) ? 'open' : 'closed') : null };
    byRequest.set(e.requestId, [...(byRequest.get(e.requestId) ?? []), note]);
  }
  return byRequest;
}

function selectPublic(townId: number, where: SQL | undefined, page: { limit: number; offset: number }, withNotes = false): Promise<Open311Request[]> {
  // RLS alone admits the rows, but only a stated town lets the planner walk (town, created, id) in order and stop at the page.
  return withTown(townId, (tx) => selectPublicIn(tx, and(eq(serviceRequests.townId, townId), where), page, withNotes));
}

/** One request as the public sees it, inside the caller's transaction (a webhook's payload is read with the change it reports). */
export async function open311RequestIn(tx: Tx, requestId: string): Promise<Open311Request | null> {
  const [request] = await selectPublicIn(tx, eq(serviceRequests.id, requestId), { limit: 1, offset: 0 });
  return request ?? null;
}

/** `GET requests`: a list of tracking numbers overrides every other filter, as the spec says. */
export function listOpen311Requests(townId: number, filters: Open311RequestFilters): Promise<Open311Request[]> {
  const page = { limit: filters.pageSize, offset: (filters.page - 1) * filters.pageSize };
  if (filters.ids) return selectPublic(townId, inArray(serviceRequests.trackingNumber, filters.ids.map((id) => id.toUpperCase())), page, filters.extensions);
  const statuses = filters.statuses?.flatMap((s): RequestStatus[] => (s === 'open' ? [...OPEN_STATUSES] : [...CLOSED_STATUSES]));
  return selectPublic(
    townId,
    and(
      filters.start ? gte(serviceRequests.createdAt, filters.start) : undefined,
      filters.end ? lte(serviceRequests.createdAt, filters.end) : undefined,
      filters.updatedAfter ? gte(serviceRequests.updatedAt, filters.updatedAfter) : undefined,
      filters.updatedBefore ? lte(serviceRequests.updatedAt, filters.updatedBefore) : undefined,
      filters.serviceCodes ? inArray(categories.code, filters.serviceCodes) : undefined,
      statuses ? inArray(serviceRequests.status, statuses) : undefined,
    ),
    page,
    filters.extensions,
  );
}

/** `GET requests/{id}`: the id is the tracking number. */
export async function getOpen311Request(townId: number, trackingNumber: string, withNotes = false): Promise<Open311Request | null> {
  const [request] = await selectPublic(townId, eq(serviceRequests.trackingNumber, trackingNumber.toUpperCase()), { limit: 1, offset: 0 }, withNotes);
  return request ?? null;
}

/**
 * `GET tokens/{token}`: requests are filed at once and answered with their tracking number, so the
 * only tokens a client can hold are tracking numbers; each names itself.
 */
export async function findOpen311Token(townId: number, token: string): Promise<{ token: string; trackingNumber: string } | null> {
  const request = await getOpen311Request(townId, token);
  return request ? { token, trackingNumber: request.trackingNumber } : null;
}

/** mySociety's `servicerequestupdates` extension: what happened to requests, as FixMyStreet-style clients poll it. */
export type Open311Update = { updateId: string; trackingNumber: string; status: 'open' | 'closed'; at: Date; description: string };

/** At most this many updates per call; a client narrows the window for more. */
export const MAX_UPDATES = 1000;
/** The public events that are updates to a request a resident would want to hear about. */
const UPDATE_KINDS = ['status_changed', 'public_reply', 'reopened', 'transferred_out'] as const;

/** `start_date`/`end_date` of `GET requests` and `GET servicerequestupdates`; without a start, the 90 days before the end (or now). */
export function parseDateWindow(query: URLSearchParams, now: Date): { ok: true; window: { start: Date; end: Date | null } } | { ok: false; error: FilterError } {
  const bad = (parameter: string) => ({ ok: false as const, error: { code: 'invalid_parameter' as const, values: { parameter } } });
  const [startText, endText] = [query.get('start_date'), query.get('end_date')];
  const start = startText ? w3cInstant(startText) : null;
  if (startText && !start) return bad('start_date');
  const end = endText ? w3cInstant(endText) : null;
  if (endText && !end) return bad('end_date');
  return { ok: true, window: { start: start ?? new Date((end ?? now).getTime() - DEFAULT_WINDOW_DAYS * DAY_MS), end } };
}

/**
 * The town's public updates in the window, oldest first. The status is the one the update set, or
 * else the request's current one; a withdrawn request's updates are gone with it.
 */
export function listOpen311Updates(townId: number, window: { start: Date; end: Date | null }): Promise<Open311Update[]> {
  return withTown(townId, async (tx) => {
    const rows = await tx
      .select({ id: requestEvents.id, trackingNumber: serviceRequests.trackingNumber, toStatus: requestEvents.toStatus, current: serviceRequests.status, at: requestEvents.createdAt, message: requestEvents.message })
      .from(requestEvents)
      .innerJoin(serviceRequests, and(eq(serviceRequests.townId, requestEvents.townId), eq(serviceRequests.id, requestEvents.requestId)))
      .where(
        and(
          eq(requestEvents.public, true),
          inArray(requestEvents.kind, [...UPDATE_KINDS]),
          ne(serviceRequests.status, 'withdrawn'),
          gte(requestEvents.createdAt, window.start),
          window.end ? lte(requestEvents.createdAt, window.end) : undefined,
        ),
      )
      .orderBy(asc(requestEvents.createdAt), asc(requestEvents.id))
      .limit(MAX_UPDATES);
    return rows.map((r) => ({ updateId: r.id, trackingNumber: r.trackingNumber, status: isOpenStatus(r.toStatus ?? r.current) ? 'open' : 'closed', at: r.at, description: r.message ?? '' }));
  });
}
