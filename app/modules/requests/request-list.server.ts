/**
 * The public list of a town's requests (/requests) and its map: filters from the URL, one page of
 * the list, and the map's clusters of every matching request. Nothing here names the reporter.
 */
import { and, count, eq, gte, inArray, lte, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { categories, serviceRequests } from '#db/schema';
import { withTownReads, type Tx } from '#db/scope';
import type { RequestStatus } from '#db/vocabulary';
import { selectCategories, type CategorySummary } from '~/modules/categories/categories.server';
import { matchCategories, WHOLE_QUERY_MATCH } from '~/modules/categories/category-match';
import { fieldErrorCodesOf, type FieldErrorCodes } from '~/utils/field-errors';
import { createdOnDays, isCalendarDay, textContains } from './request-filters.server';
import { CLOSED_STATUSES, OPEN_STATUSES } from './statuses';

const r = serviceRequests;

export const PUBLIC_LIST_PAGE_SIZE = 25;
/** Deeper pages are not offered: their offset would read most of a large town. Dates narrow the list instead. */
export const PUBLIC_LIST_MAX_PAGE = 400;
/** The list says "more than 1,000" rather than count a large town's every request on each view. */
export const PUBLIC_LIST_COUNT_LIMIT = 1_000;

// --- Filters ----------------------------------------------------------------------------------

export type PublicListFilters = {
  status?: 'open' | 'closed';
  /** A category code. */
  category?: string;
  /** Calendar days (YYYY-MM-DD) in the town's time zone, both included. */
  from?: string;
  to?: string;
  /** Words in the description or address, or a category's name or keywords. */
  q?: string;
  /** Nearest first from this point ("near me"), instead of newest first. */
  near?: { lat: number; lng: number };
  page: number;
};

export const PUBLIC_LIST_FIELDS = ['status', 'category', 'from', 'to', 'q', 'lat', 'lng', 'page'] as const;
type ListField = (typeof PUBLIC_LIST_FIELDS)[number];
export type PublicListValues = Partial<Record<ListField, string>>;

/** Every message the filters can give, as a path in the errors catalogue (`errors:requestList.…`). */
export const PUBLIC_LIST_ERROR_CODES = [
  'requestList.status.invalid',
  'requestList.category.unknown',
  'requestList.from.invalid',
  'requestList.to.invalid',
  'requestList.to.before_from',
  'requestList.q.too_short',
  'requestList.q.too_long',
  'requestList.lat.invalid',
  'requestList.lng.invalid',
  'requestList.near.incomplete',
  'requestList.page.invalid',
  'requestList.view.invalid',
  'requestList.view.too_large',
] as const;
type ListErrorCode = (typeof PUBLIC_LIST_ERROR_CODES)[number];
const code = (value: ListErrorCode) => value;

const blankAsMissing = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(blankAsMissing, schema.optional());

/** A decimal number as typed, with a decimal point or a decimal comma. */
const coordinate = (limit: number, message: ListErrorCode) =>
  z
    .string()
    .trim()
    .regex(/^[-+]?\d{1,3}(?:[.,]\d{1,16})?$/, code(message))
    .transform((v) => Number(v.replace(',', '.')))
    .refine((v) => Math.abs(v) <= limit, code(message));

const filtersSchema = z
  .object({
    status: optional(z.enum(['open', 'closed'], { errorMap: () => ({ message: code('requestList.status.invalid') }) })),
    category: optional(z.string().trim().max(80, code('requestList.category.unknown'))),
    from: optional(z.string().trim().refine(isCalendarDay, code('requestList.from.invalid'))),
    to: optional(z.string().trim().refine(isCalendarDay, code('requestList.to.invalid'))),
    // Three letters at least: shorter words match nearly every request.
    q: optional(z.string().trim().min(3, code('requestList.q.too_short')).max(200, code('requestList.q.too_long'))),
    lat: optional(coordinate(90, 'requestList.lat.invalid')),
    lng: optional(coordinate(180, 'requestList.lng.invalid')),
    page: optional(z.string().trim().regex(/^[1-9]\d{0,8}$/, code('requestList.page.invalid')).transform(Number)),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: code('requestList.to.before_from') });
    if ((v.lat === undefined) !== (v.lng === undefined)) ctx.addIssue({ code: 'custom', path: [v.lat === undefined ? 'lat' : 'lng'], message: code('requestList.near.incomplete') });
  });

export type ParsedListFilters = { ok: true; filters: PublicListFilters; values: PublicListValues } | { ok: false; errors: FieldErrorCodes; values: PublicListValues };

/** The list's filters from its URL; what was typed comes back in `values`, to show in the form. */
export function parsePublicListFilters(params: URLSearchParams): ParsedListFilters {
  const values: PublicListValues = {};
  for (const field of PUBLIC_LIST_FIELDS) {
    const value = params.get(field);
    if (value !== null) values[field] = value;
  }
  const parsed = filtersSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrorCodesOf(parsed.error.issues), values };
  const { lat, lng, page, ...rest } = parsed.data;
  return { ok: true, filters: { ...rest, near: lat !== undefined && lng !== undefined ? { lat, lng } : undefined, page: page ?? 1 }, values };
}

/** The URL form of `filters` at another page, for the list's links (defaults left out). */
export function publicListSearchParams(filters: PublicListFilters, page = filters.page): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['status', 'category', 'from', 'to', 'q'] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.near) {
    params.set('lat', String(filters.near.lat));
    params.set('lng', String(filters.near.lng));
  }
  if (page > 1) params.set('page', String(page));
  return params;
}

// --- Conditions -------------------------------------------------------------------------------

type ListCategory = { id: string; code: string; name: string; group: string; keywords: string[] };

function statusCondition(status: PublicListFilters['status']): SQL {
  if (status === 'open') return inArray(r.status, [...OPEN_STATUSES]);
  if (status === 'closed') return inArray(r.status, [...CLOSED_STATUSES]);
  return ne(r.status, 'withdrawn');
}

/**
 * The WHERE clause of the filters, or the field errors of a filter the town cannot answer (an
 * unknown category). town_id is repeated because RLS's policy alone hides it from the planner.
 */
function listConditions(townId: number, timezone: string, filters: PublicListFilters, all: ListCategory[]): SQL[] | FieldErrorCodes {
  const conditions: SQL[] = [eq(r.townId, townId), statusCondition(filters.status), ...createdOnDays(filters, timezone)];
  if (filters.category) {
    const category = all.find((c) => c.code === filters.category);
    if (!category) return { category: { code: code('requestList.category.unknown') } };
    conditions.push(eq(r.categoryId, category.id));
  }
  if (filters.q) {
    // "streetlite" finds the streetlight requests too, as the report form's category search would;
    // but "Elm Street" is an address, not every "street…" category.
    const named = matchCategories(filters.q, all, { minScore: WHOLE_QUERY_MATCH }).map((c) => c.id);
    conditions.push(named.length > 0 ? sql`(${textContains(filters.q)} or ${inArray(r.categoryId, named)})` : textContains(filters.q));
  }
  return conditions;
}

function selectListCategories(tx: Tx): Promise<ListCategory[]> {
  return tx.select({ id: categories.id, code: categories.code, name: categories.name, group: categories.group, keywords: categories.keywords }).from(categories);
}

// Plane distance on this point is proportional to ground distance in Massachusetts; the GiST index
// of migration 0028 is on exactly this expression, which is what lets it order by distance.
const LONGITUDE_SCALE = 0.74;
const METERS_PER_DEGREE = 111_320;
const requestPoint = sql`point(${r.lng} * ${sql.raw(String(LONGITUDE_SCALE))}, ${r.lat})`;
const pointOf = (p: { lat: number; lng: number }) => sql`point(${p.lng * LONGITUDE_SCALE}::float8, ${p.lat}::float8)`;

/** A request's distance from `point` in degrees of latitude; ordering by it is the location index's nearest-first scan. */
export function distanceFrom(point: { lat: number; lng: number }): SQL {
  return sql`${requestPoint} <-> ${pointOf(point)}`;
}

/**
 * Requests inside the box (west, south, east, north). Written as comparisons of floats, which are
 * leakproof, so that under RLS the (town_id, lat, lng) index can serve them; `point <@ box` is not
 * (migration 0028).
 */
export function insideBox([west, south, east, north]: [number, number, number, number]): SQL {
  return and(gte(r.lat, south), lte(r.lat, north), gte(r.lng, west), lte(r.lng, east))!;
}

// --- The list ---------------------------------------------------------------------------------

export type PublicListItem = {
  trackingNumber: string;
  status: RequestStatus;
  categoryName: string;
  description: string;
  address: string | null;
  lat: number;
  lng: number;
  createdAt: Date;
  thumbnailKey: string | null;
  /** From the "near me" point, when there is one. */
  distanceMeters: number | null;
};

export type PublicListPage = {
  items: PublicListItem[];
  /** Matching requests; a lower bound unless `totalIsExact`. */
  total: number;
  totalIsExact: boolean;
  /** The last page, when known (the total is exact). */
  pages: number | null;
};

export type PublicListResult =
  | { kind: 'list'; list: PublicListPage; categories: CategorySummary[] }
  | { kind: 'invalid'; errors: FieldErrorCodes; categories: CategorySummary[] }
  /** No such page: past the last, or deeper than PUBLIC_LIST_MAX_PAGE. */
  | { kind: 'no_page'; lastPage: number | null; categories: CategorySummary[] };

// The problem as reported: a completion photo (with a status change) is not the request's picture.
const firstPhoto = sql<string | null>`(select p.thumbnail_key from request_photos p where p.town_id = ${r.townId} and p.request_id = ${r.id} and p.public and p.event_id is null order by p.sort_order limit 1)`;

/** The town's public list (one page) and the categories to filter by, in one transaction. */
export async function loadPublicRequestList(town: { id: number; timezone: string }, filters: PublicListFilters): Promise<PublicListResult> {
  return withTownReads(town.id, async (tx) => {
    const shown = await selectCategories(tx);
    const conditions = listConditions(town.id, town.timezone, filters, await selectListCategories(tx));
    if (!Array.isArray(conditions)) return { kind: 'invalid', errors: conditions, categories: shown };
    if (filters.page > PUBLIC_LIST_MAX_PAGE) return { kind: 'no_page', lastPage: null, categories: shown };
    const list = await selectListPage(tx, and(...conditions)!, filters);
    if (list.items.length === 0 && filters.page > 1) return { kind: 'no_page', lastPage: list.pages, categories: shown };
    return { kind: 'list', list, categories: shown };
  });
}

/**
 * Newest first (the (town_id, …, created_at desc) indexes), or nearest first (the GiST index's
 * distance order). A page that is not full is the last, and says the total itself; otherwise
 * counting stops past PUBLIC_LIST_COUNT_LIMIT, or past this page when it lies deeper, so a later
 * page is known to exist without reading the rest of the town.
 */
async function selectListPage(tx: Tx, where: SQL, filters: PublicListFilters): Promise<PublicListPage> {
  const pageSize = PUBLIC_LIST_PAGE_SIZE;
  const offset = (filters.page - 1) * pageSize;
  const items = await selectListItems(tx, where, { near: filters.near ? distanceFrom(filters.near) : null, limit: pageSize, offset });
  if (items.length < pageSize && (items.length > 0 || filters.page === 1)) return { items, total: offset + items.length, totalIsExact: true, pages: filters.page };
  const countLimit = Math.max(PUBLIC_LIST_COUNT_LIMIT, offset + pageSize);
  const matching = tx.select({ one: sql`1` }).from(r).where(where).limit(countLimit + 1).as('matching');
  const [counted] = await tx.select({ n: count() }).from(matching);
  const n = counted?.n ?? 0;
  const totalIsExact = n <= countLimit;
  return { items, total: Math.min(n, countLimit), totalIsExact, pages: totalIsExact ? Math.max(1, Math.ceil(n / pageSize)) : null };
}

/** `near`: the distance to order by (distanceFrom), or null for newest first. Exported for its plan's test. */
export function selectListItems(tx: Tx, where: SQL, { near, limit, offset = 0 }: { near: SQL | null; limit: number; offset?: number }) {
  return tx
    .select({
      trackingNumber: r.trackingNumber,
      status: r.status,
      categoryName: sql<string>`(select ${categories.name} from ${categories} where ${categories.townId} = ${r.townId} and ${categories.id} = ${r.categoryId})`,
      description: sql<string>`left(${r.description}, 201)`,
      address: r.address,
      lat: r.lat,
      lng: r.lng,
      createdAt: r.createdAt,
      thumbnailKey: firstPhoto,
      distanceMeters: near ? sql<number>`round((${near}) * ${METERS_PER_DEGREE})::int` : sql<null>`null`,
    })
    .from(r)
    .where(where)
    // Nearest first has no tie-breaker: a second key would stop the GiST index from giving the order.
    .orderBy(...(near ? [near] : [sql`${r.createdAt} desc nulls last`, sql`${r.id} desc`]))
    .limit(limit)
    .offset(offset);
}

/** The town's latest public requests, for its home page; inside its transaction. */
export function selectLatestRequests(tx: Tx, townId: number, limit: number): Promise<PublicListItem[]> {
  return selectListItems(tx, and(eq(r.townId, townId), statusCondition(undefined))!, { near: null, limit });
}

// --- The map ----------------------------------------------------------------------------------

/** The part of the map on screen: west, south, east, north (degrees), and the zoom level. */
export type MapView = { bbox: [number, number, number, number]; zoom: number };

/**
 * One spot on the map: a single request, or several close together (`count` > 1). `overdue`, for
 * staff maps only: how many of them are overdue.
 */
export type MapCluster = { lat: number; lng: number; count: number; overdue?: number; request: { trackingNumber: string; categoryName: string; status: RequestStatus } | null };

const viewSchema = z.object({
  bbox: z
    .string()
    .transform((v) => v.split(',').map(Number))
    .refine(
      (v): v is [number, number, number, number] =>
        v.length === 4 && v.every(Number.isFinite) && v[0]! < v[2]! && v[1]! < v[3]! && v[0]! >= -180 && v[2]! <= 180 && v[1]! >= -90 && v[3]! <= 90,
      code('requestList.view.invalid'),
    ),
  zoom: z.string().regex(/^\d{1,2}$/, code('requestList.view.invalid')).transform(Number).refine((z) => z <= 22, code('requestList.view.invalid')),
});

/** Cells of about this many screen pixels make one cluster. */
const CELL_PIXELS = 60;
/** A view is refused past this many cells (a whole state at street zoom). */
const MAX_CELLS = 5_000;

export function parseMapView(params: URLSearchParams): { ok: true; view: MapView } | { ok: false; errors: FieldErrorCodes } {
  const parsed = viewSchema.safeParse({ bbox: params.get('bbox') ?? '', zoom: params.get('zoom') ?? '' });
  if (!parsed.success) return { ok: false, errors: fieldErrorCodesOf(parsed.error.issues) };
  return { ok: true, view: parsed.data };
}

/** The grid at this zoom: mapbox-gl's 512-pixel tiles span 360° at zoom 0. */
function cellSize(zoom: number): { lng: number; lat: number } {
  const lng = (CELL_PIXELS * 360) / (512 * 2 ** zoom);
  return { lng, lat: lng * LONGITUDE_SCALE };
}

export type RequestMapResult = { kind: 'map'; clusters: MapCluster[]; total: number } | { kind: 'invalid'; errors: FieldErrorCodes };

/** A view of more than MAX_CELLS cells (a whole state at street zoom) is refused. */
export function mapViewTooLarge({ bbox: [west, south, east, north], zoom }: MapView): boolean {
  const cell = cellSize(zoom);
  return ((east - west) / cell.lng) * ((north - south) / cell.lat) > MAX_CELLS;
}

/** The public map's data: every request the list's filters match inside the view (selectMapClusters). */
export async function loadRequestMap(town: { id: number; timezone: string }, filters: PublicListFilters, view: MapView): Promise<RequestMapResult> {
  if (mapViewTooLarge(view)) return { kind: 'invalid', errors: { bbox: { code: code('requestList.view.too_large') } } };
  return withTownReads(town.id, async (tx) => {
    const all = await selectListCategories(tx);
    const conditions = listConditions(town.id, town.timezone, filters, all);
    if (!Array.isArray(conditions)) return { kind: 'invalid', errors: conditions };
    return { kind: 'map', ...(await selectMapClusters(tx, town.id, conditions, view, new Map(all.map((c) => [c.id, c.name])))) };
  });
}

/**
 * Every request matching `conditions` inside the view, grouped by a grid of the map's pixels so a
 * view costs the same whatever the number of requests: the map of all of them, not only a page's.
 * Cells are anchored to the globe, not the view, so clusters stay put while the map pans. The
 * public map and the staff queue's map share it; `overdue` (staff only) also counts the overdue.
 */
export async function selectMapClusters(
  tx: Tx,
  townId: number,
  conditions: SQL[],
  view: MapView,
  categoryNames: Map<string, string>,
  overdue?: SQL<boolean>,
): Promise<{ clusters: MapCluster[]; total: number }> {
  const cell = cellSize(view.zoom);
  // At most MAX_CELLS groups; the planner, seeing no statistics for a grid, assumes a group per
  // row and would sort them all instead of hashing a few.
  await tx.execute(sql`set local enable_sort = off`);
  // Without `overdue`, only columns of the (town_id, lat, lng) INCLUDE (…) index: an index-only scan.
  const cells = await tx
    .select({
      count: count(),
      lat: sql<number>`avg(${r.lat})`,
      lng: sql<number>`avg(${r.lng})`,
      number: sql<number>`min(${r.number})`,
      overdue: overdue ? sql<number>`(count(*) filter (where ${overdue}))::int` : sql<null>`null`,
    })
    .from(r)
    .where(and(...conditions, insideBox(view.bbox)))
    .groupBy(sql`floor(${r.lng} / ${cell.lng}::float8)`, sql`floor(${r.lat} / ${cell.lat}::float8)`)
    .limit(MAX_CELLS);
  // A cell of one request is that request, looked up by its number.
  const single = cells.filter((c) => c.count === 1).map((c) => c.number);
  const requests = single.length
    ? await tx.select({ number: r.number, trackingNumber: r.trackingNumber, categoryId: r.categoryId, status: r.status }).from(r).where(and(eq(r.townId, townId), inArray(r.number, single)))
    : [];
  const byNumber = new Map(requests.map((q) => [q.number, { trackingNumber: q.trackingNumber, categoryName: categoryNames.get(q.categoryId) ?? '', status: q.status }]));
  const clusters = cells.map((c) => ({
    lat: Number(c.lat),
    lng: Number(c.lng),
    count: c.count,
    ...(c.overdue === null ? {} : { overdue: c.overdue }),
    request: c.count === 1 ? (byNumber.get(c.number) ?? null) : null,
  }));
  return { clusters, total: clusters.reduce((sum, c) => sum + c.count, 0) };
}
