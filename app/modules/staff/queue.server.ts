import { and, asc, count, desc, eq, gte, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias, unionAll, type AnyPgColumn, type SelectedFields } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { categories, departments, memberships, requestSearchWords, serviceRequests, users } from '#db/schema';
import { selectRows } from '#db/rows';
import { together, withTownReads, type Tx } from '#db/scope';
import { REQUEST_PRIORITIES, REQUEST_STATUSES, type RequestPriority, type RequestStatus } from '#db/vocabulary';
import { calendarDay, createdOnDays, descriptionContains } from '~/modules/requests/request-filters.server';
import { mapViewTooLarge, selectMapClusters, type MapCluster, type MapView } from '~/modules/requests/request-list.server';
import { CLOSED_STATUSES, OPEN_STATUSES } from '~/modules/requests/statuses';
import type { TownStaff } from '~/utils/capabilities.server';
import { formText } from '~/utils/control-characters';

const STATUS_FILTERS = ['open', 'closed', ...REQUEST_STATUSES] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const QUEUE_SORTS = ['priority', 'newest', 'oldest', 'due', 'updated'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
const MAX_PAGE_SIZE = 100;

export type QueueFilters = {
  status: StatusFilter[];
  category?: string;
  department?: string;
  /** A user id, `me` (the viewer) or `unassigned`. */
  assignee?: string;
  priority?: RequestPriority;
  overdue: boolean;
  /** Calendar days (YYYY-MM-DD) in the town's timezone, both included. */
  from?: string;
  to?: string;
  q?: string;
  sort: QueueSort;
  page: number;
  pageSize: number;
  view: 'list' | 'map';
};

// Most urgent first, then newest: what a dispatcher works through (the open-priority index serves it).
export const DEFAULT_QUEUE_FILTERS: QueueFilters = { status: ['open'], overdue: false, sort: 'priority', page: 1, pageSize: 50, view: 'list' };

const blankAsMissing = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(blankAsMissing, schema.optional()).catch(undefined);

// Every field falls back to its default on its own: a bad `page` does not cost the rest of a shared link.
const singleValues = z.object({
  category: optional(formText().trim().max(80)),
  department: optional(z.string().uuid()),
  assignee: optional(z.union([z.enum(['me', 'unassigned']), z.string().uuid()])),
  priority: optional(z.enum(REQUEST_PRIORITIES)),
  overdue: z.literal('1').optional().catch(undefined),
  from: optional(calendarDay),
  to: optional(calendarDay),
  q: optional(formText().trim().max(200)),
  sort: z.enum(QUEUE_SORTS).catch(DEFAULT_QUEUE_FILTERS.sort),
  page: z.coerce.number().int().min(1).max(10_000).catch(DEFAULT_QUEUE_FILTERS.page),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).catch(DEFAULT_QUEUE_FILTERS.pageSize),
  view: z.enum(['list', 'map']).catch(DEFAULT_QUEUE_FILTERS.view),
});

/** The queue's filters from a URL; anything unreadable is replaced by its default, never an error. */
export function parseQueueFilters(params: URLSearchParams): QueueFilters {
  const status = [...new Set(params.getAll('status'))].filter((s): s is StatusFilter => (STATUS_FILTERS as readonly string[]).includes(s));
  const { overdue, ...single } = singleValues.parse(Object.fromEntries(Object.keys(singleValues.shape).map((k) => [k, params.get(k) ?? undefined])));
  return { ...single, status: status.length > 0 ? status : DEFAULT_QUEUE_FILTERS.status, overdue: overdue === '1' };
}

/** The URL form of `filters` (defaults left out), so a view can be bookmarked and shared. */
export function queueSearchParams(filters: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status.join() !== DEFAULT_QUEUE_FILTERS.status.join()) for (const s of filters.status) params.append('status', s);
  for (const key of ['category', 'department', 'assignee', 'priority', 'from', 'to', 'q'] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.overdue) params.set('overdue', '1');
  for (const key of ['sort', 'page', 'pageSize', 'view'] as const) {
    if (filters[key] !== DEFAULT_QUEUE_FILTERS[key]) params.set(key, String(filters[key]));
  }
  return params;
}

/**
 * The queue view a request page returns to ("Back to the queue"), from the `back` parameter the
 * queue's links carry: read as queue filters and written again, so it only ever names a queue view.
 */
export function queueViewQuery(back: string | null): string {
  return queueSearchParams(parseQueueFilters(new URLSearchParams(back ?? ''))).toString();
}

export function queueReturnPath(back: string | null): string {
  const query = queueViewQuery(back);
  return query ? `/staff?${query}` : '/staff';
}

function statusesOf(filter: readonly StatusFilter[]): RequestStatus[] {
  const statuses = filter.flatMap((s): readonly RequestStatus[] => (s === 'open' ? OPEN_STATUSES : s === 'closed' ? CLOSED_STATUSES : [s]));
  return REQUEST_STATUSES.filter((s) => statuses.includes(s));
}

export type QueueItem = {
  trackingNumber: string;
  status: RequestStatus;
  categoryName: string;
  departmentName: string | null;
  assigneeEmail: string | null;
  assigneeName: string | null;
  /** The assignee no longer has a role in the town (kept on requests closed before they left). */
  assigneeFormer: boolean;
  /** Received from another town: its tracking number there. */
  transferredFrom: string | null;
  priority: RequestPriority;
  createdAt: Date;
  dueAt: Date | null;
  overdue: boolean;
  excerpt: string;
  lat: number;
  lng: number;
  address: string | null;
};

/**
 * Counting stops here, so a page costs the same in a town with a million closed requests. Every
 * counted row pays for the RLS policy's check, so the eight counts of a large town cost about
 * eight times this many row checks: 10,000 made them 300 times the page itself.
 */
export const QUEUE_COUNT_LIMIT = 1_000;

export type QueuePage = {
  items: QueueItem[];
  /** Matching requests in the chosen statuses; a lower bound unless `totalIsExact`. */
  total: number;
  totalIsExact: boolean;
  /** Per status, under every filter but the status one; capped at QUEUE_COUNT_LIMIT. */
  countsByStatus: Record<RequestStatus, number>;
  /** Statuses whose count is a lower bound: more than QUEUE_COUNT_LIMIT match (for a search by words, in all, or among the open or the other statuses when words are the only filter). */
  cappedStatuses: RequestStatus[];
};

const r = serviceRequests;
const EXCERPT_LENGTH = 200;

/**
 * Status lists are written as literals, not parameters: a prepared statement's generic plan can
 * then still prove `status in (…)` implies the partial open-requests index's predicate.
 */
function statusIn(statuses: readonly RequestStatus[], column: AnyPgColumn = r.status): SQL | undefined {
  if (statuses.length === REQUEST_STATUSES.length) return undefined;
  if (statuses.length === 0) return sql`false`;
  return sql`${column} in (${sql.join(statuses.map((s) => sql.raw(`'${s}'`)), sql`, `)})`;
}

const overdue = sql<boolean>`(${statusIn(OPEN_STATUSES)} and ${r.dueAt} < now())`;

const TRACKING_QUERY = /^\s*(?:([a-z]{2,4})[\s-]*)?([1-9]\d{0,8})\s*$/i;
const MAX_REQUEST_NUMBER = 2_147_483_647;

/** Numbers whose digits start with `prefix`, as ranges the (town_id, number) index can seek. */
function numberPrefixRanges(prefix: string): SQL {
  const ranges: SQL[] = [];
  for (let scale = 1, low = Number(prefix); low <= MAX_REQUEST_NUMBER; scale *= 10, low *= 10) {
    ranges.push(and(gte(r.number, low), lte(r.number, Math.min(low + scale - 1, MAX_REQUEST_NUMBER)))!);
  }
  return or(...ranges)!;
}

/** Words past this many in a query are ignored: each is one more index seek. */
const MAX_SEARCH_WORDS = 6;

/** The query's words, split as the database splits a request's text (request_search_words_of, migration 0036). */
export function searchWordsOf(q: string): string[] {
  const words = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).map((w) => Array.from(w).slice(0, 40).join(''));
  return [...new Set(words)].slice(0, MAX_SEARCH_WORDS);
}

/** The first string after every string that starts with `prefix`, in the C collation's (code point) order. */
function prefixEnd(prefix: string): string | null {
  const chars = Array.from(prefix);
  const last = chars.pop()!.codePointAt(0)!;
  return last >= 0x10ffff ? null : chars.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
}

type SearchWords = { townId: AnyPgColumn; word: AnyPgColumn };

/** The town's entries of words starting with `word`: one range of the words index. */
function wordRange(w: SearchWords, townId: number, word: string): SQL {
  const end = prefixEnd(word);
  return sql`${w.townId} = ${townId} and ${w.word} >= ${word}${end === null ? sql`` : sql` and ${w.word} < ${end}`}`;
}

/**
 * Requests in `statuses` with a word starting with each of `words` in their description, address or
 * category name: one seek per word on request_search_words, whose C-collated comparisons are
 * leakproof and so usable under RLS, unlike ILIKE or a trigram or full-text index. Open statuses
 * read only the open requests' words (a partial index), a small part of a large town's.
 */
function wordsCondition(townId: number, words: string[], statuses: readonly RequestStatus[]): SQL {
  const w = requestSearchWords;
  const amongStatuses = statusIn(statuses, w.status);
  return and(...words.map((word) => sql`${r.id} in (select ${w.requestId} from ${w} where ${wordRange(w, townId, word)}${amongStatuses ? sql` and ${amongStatuses}` : sql``})`))!;
}

/**
 * A tracking number (SOM-1042, som 1042, 1042) finds that request, or, when none has exactly that
 * number, every request whose number starts with those digits; anything else finds requests by the
 * beginnings of words ("pot" finds "potholes") in their description, address and category name. A
 * query without a letter or digit ("%") looks for itself in the descriptions.
 */
async function textCondition(tx: Tx, townId: number, q: string, trackingCode: string): Promise<{ words: string[] } | { condition: SQL }> {
  const tracking = TRACKING_QUERY.exec(q);
  if (!tracking) {
    const words = searchWordsOf(q);
    return words.length > 0 ? { words } : { condition: descriptionContains(q) };
  }
  const [, code, digits] = tracking;
  if (code && code.toUpperCase() !== trackingCode.toUpperCase()) return { condition: sql`false` };
  const [exact] = await tx
    .select({ number: r.number })
    .from(r)
    .where(and(eq(r.townId, townId), eq(r.number, Number(digits))));
  return { condition: exact ? eq(r.number, exact.number) : numberPrefixRanges(digits!) };
}

export type QueueConditions = {
  /** Every filter but the status one: what the status links count. */
  exceptStatus: SQL[];
  /** Every filter: the requests the view lists. */
  matching: SQL;
  /** The words searched for, if the search is by words (see countByStatus). */
  words: string[] | null;
  /** No filter but the words and the status: the counts then come from the words alone. */
  wordsAlone: boolean;
};

/**
 * The WHERE clause of a queue view, split so the counts can drop the status part. Codes are
 * resolved to ids first, so every condition is one an index starting with town_id can serve;
 * town_id itself is repeated because the resident policy ORed into RLS hides it from the planner.
 */
export async function queueConditions(tx: Tx, staff: TownStaff, filters: QueueFilters): Promise<QueueConditions | null> {
  const { town } = staff;
  const conditions: SQL[] = [eq(r.townId, town.id)];
  if (filters.category) {
    const [category] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.code, filters.category));
    if (!category) return null;
    conditions.push(eq(r.categoryId, category.id));
  }
  if (filters.department) conditions.push(eq(r.departmentId, filters.department));
  if (filters.assignee === 'unassigned') conditions.push(isNull(r.assigneeUserId));
  else if (filters.assignee) conditions.push(eq(r.assigneeUserId, filters.assignee === 'me' ? staff.user.id : filters.assignee));
  if (filters.priority) conditions.push(eq(r.priority, filters.priority));
  if (filters.overdue) conditions.push(overdue);
  conditions.push(...createdOnDays(filters, town.timezone));
  const chosen = statusesOf(filters.status);
  const text = filters.q ? await textCondition(tx, town.id, filters.q, town.trackingCode) : null;
  if (text && 'words' in text) {
    const wordsAlone = conditions.length === 1;
    return {
      exceptStatus: [...conditions, wordsCondition(town.id, text.words, REQUEST_STATUSES)],
      matching: and(...conditions, wordsCondition(town.id, text.words, chosen), statusIn(chosen))!,
      words: text.words,
      wordsAlone,
    };
  }
  if (text) conditions.push(text.condition);
  return { exceptStatus: conditions, matching: and(...conditions, statusIn(chosen))!, words: null, wordsAlone: false };
}

type SortKey = { column: typeof r.createdAt | typeof r.dueAt | typeof r.updatedAt | typeof r.priority; direction: 'asc' | 'desc' };
const SORT_KEYS: Record<Exclude<QueueSort, 'priority'>, SortKey> = {
  newest: { column: r.createdAt, direction: 'desc' },
  oldest: { column: r.createdAt, direction: 'asc' },
  due: { column: r.dueAt, direction: 'asc' },
  updated: { column: r.updatedAt, direction: 'desc' },
};

/**
 * Ties are broken by id, so paging and the export's keyset see one fixed order. The nulls
 * placement matches the (…, created_at DESC NULLS LAST) and (town_id, due_at) indexes, which
 * PostgreSQL cannot use for an ORDER BY that differs only there.
 */
export function orderBy(sort: QueueSort): SQL[] {
  // Backwards along (town_id, priority, created_at, id): most urgent, then newest.
  if (sort === 'priority') return [desc(r.priority), sql`${r.createdAt} desc nulls last`, desc(r.id)];
  const { column, direction } = SORT_KEYS[sort];
  return direction === 'desc' ? [sql`${column} desc nulls last`, desc(r.id)] : [sql`${column} asc nulls ${sql.raw(sort === 'due' ? 'last' : 'first')}`, asc(r.id)];
}

// Names are looked up per row rather than joined: joined, the planner misjudges how many requests
// a town's category holds (it assumes every town shares the categories) and reads the whole town.
export const itemColumns = {
  trackingNumber: r.trackingNumber,
  status: r.status,
  categoryName: sql<string>`(select ${categories.name} from ${categories} where ${categories.townId} = ${r.townId} and ${categories.id} = ${r.categoryId})`,
  departmentName: sql<string | null>`(select ${departments.name} from ${departments} where ${departments.townId} = ${r.townId} and ${departments.id} = ${r.departmentId})`,
  assigneeEmail: sql<string | null>`(select ${users.email} from ${users} where ${users.id} = ${r.assigneeUserId})`,
  assigneeName: sql<string | null>`(select ${users.displayName} from ${users} where ${users.id} = ${r.assigneeUserId})`,
  assigneeFormer: sql<boolean>`(${r.assigneeUserId} is not null and not exists (select 1 from ${memberships} where ${r.townId} = ${memberships.townId} and ${r.assigneeUserId} = ${memberships.userId}))`,
  transferredFrom: r.transferredFromTrackingNumber,
  priority: r.priority,
  createdAt: r.createdAt,
  dueAt: r.dueAt,
  overdue,
  lat: r.lat,
  lng: r.lng,
  address: r.address,
};

/** The page's ids come from service_requests alone (index order, LIMIT), then only those rows are read in full. */
function selectPage<T extends SelectedFields>(tx: Tx, townId: number, columns: T, where: SQL | undefined, sort: QueueSort, limit: number, offset = 0) {
  const page = tx.select({ id: r.id }).from(r).where(where).orderBy(...orderBy(sort)).limit(limit).offset(offset).as('page');
  return tx
    .select({ ...itemColumns, ...columns })
    .from(page)
    .innerJoin(r, and(eq(r.townId, townId), eq(r.id, page.id)))
    .orderBy(...orderBy(sort));
}

type StatusCounts = { counted: Map<RequestStatus, number>; capped: RequestStatus[] };

/**
 * A search by words with no other filter, counted from request_search_words without reading a
 * request, in two parts that each stop past QUEUE_COUNT_LIMIT entries (past it, every count of that
 * part is a lower bound). The open statuses: the requests each word's open entries have in common
 * (the partial index, which carries the status), few even in a large town. The others: the first
 * word's entries in index order, each checked for the other words on its request, which stops early
 * where the words go together.
 */
async function countWordsByStatus(tx: Tx, townId: number, words: string[]): Promise<StatusCounts> {
  const [first, ...others] = words;
  const openEntries = words.map((word) => {
    const w = requestSearchWords;
    return sql`select distinct ${w.requestId}, ${w.status} from ${w} where ${wordRange(w, townId, word)} and ${statusIn(OPEN_STATUSES, w.status)}`;
  });
  const w = alias(requestSearchWords, 'w');
  const withOtherWords = others.map((word, i) => {
    const o = alias(requestSearchWords, `o${i}`);
    return sql` cross join lateral (select 1 from ${requestSearchWords} ${o} where ${o.townId} = ${townId} and ${o.requestId} = ${w.requestId} and ${wordRange(o, townId, word)} limit 1) ${sql.raw(`p${i}`)}`;
  });
  const limit = sql.raw(String(QUEUE_COUNT_LIMIT + 1));
  const list = await selectRows<{ status: RequestStatus; requests: number; entries: number }>(
    tx,
    sql`select status, count(distinct request_id)::int as requests, count(*)::int as entries from (
      (select * from (${sql.join(openEntries, sql` intersect `)}) open_matches limit ${limit})
      union all
      (select ${w.requestId}, ${w.status} from ${requestSearchWords} ${w}${sql.join(withOtherWords)} where ${wordRange(w, townId, first!)} and not ${statusIn(OPEN_STATUSES, w.status)} limit ${limit})
    ) matching group by status`,
  );
  const entries = (part: readonly RequestStatus[]) => list.filter((row) => part.includes(row.status)).reduce((sum, row) => sum + row.entries, 0);
  const notOpen = REQUEST_STATUSES.filter((s) => !(OPEN_STATUSES as readonly RequestStatus[]).includes(s));
  return {
    counted: new Map(list.map((row) => [row.status, row.requests])),
    capped: [...(entries(OPEN_STATUSES) > QUEUE_COUNT_LIMIT ? OPEN_STATUSES : []), ...(entries(notOpen) > QUEUE_COUNT_LIMIT ? notOpen : [])],
  };
}

/**
 * How many requests of each status match, each count stopping just past QUEUE_COUNT_LIMIT. Rows
 * chosen by words are counted in one pass over the matching requests, stopping past
 * QUEUE_COUNT_LIMIT in all: past it, every status's count is a lower bound.
 */
async function countByStatus(tx: Tx, townId: number, { exceptStatus: conditions, words, wordsAlone }: QueueConditions): Promise<StatusCounts> {
  if (words && wordsAlone) return countWordsByStatus(tx, townId, words);
  if (words) {
    const matching = tx.select({ status: r.status }).from(r).where(and(...conditions)).limit(QUEUE_COUNT_LIMIT + 1).as('matching');
    const rows = await tx.select({ status: matching.status, n: count() }).from(matching).groupBy(matching.status);
    const capped = rows.reduce((sum, row) => sum + row.n, 0) > QUEUE_COUNT_LIMIT;
    return { counted: new Map(rows.map((row) => [row.status, row.n])), capped: capped ? [...REQUEST_STATUSES] : [] };
  }
  const [first, second, ...rest] = REQUEST_STATUSES.map((status) => {
    const matching = tx
      .select({ one: sql`1` })
      .from(r)
      .where(and(...conditions, statusIn([status])))
      .limit(QUEUE_COUNT_LIMIT + 1)
      .as('matching');
    return tx.select({ status: sql<RequestStatus>`${status}::text`, n: count() }).from(matching);
  });
  const rows = await unionAll(first!, second!, ...rest);
  return { counted: new Map(rows.map((row) => [row.status, row.n])), capped: rows.filter((row) => row.n > QUEUE_COUNT_LIMIT).map((row) => row.status) };
}

/**
 * One page of a town's work queue, with how many requests of each status match the other
 * filters (for the status links). The total is the sum of the chosen statuses' counts.
 */
export async function listQueue(staff: TownStaff, filters: QueueFilters): Promise<QueuePage> {
  return withTownReads(staff.town.id, (tx) => selectQueuePage(tx, staff, filters));
}

export async function selectQueuePage(tx: Tx, staff: TownStaff, filters: QueueFilters): Promise<QueuePage> {
  const townId = staff.town.id;
  const countsByStatus = Object.fromEntries(REQUEST_STATUSES.map((s) => [s, 0])) as Record<RequestStatus, number>;
  const conditions = await queueConditions(tx, staff, filters);
  if (!conditions) return { items: [], total: 0, totalIsExact: true, countsByStatus, cappedStatuses: [] };
  const offset = (filters.page - 1) * filters.pageSize;
  // The page is read beside the counts, not after them: past the last page it is simply empty.
  const [{ counted, capped }, rows] = await together([
    countByStatus(tx, townId, conditions),
    selectPage(tx, townId, { description: sql<string>`left(${r.description}, ${EXCERPT_LENGTH + 1})` }, conditions.matching, filters.sort, filters.pageSize, offset),
  ]);
  for (const status of REQUEST_STATUSES) countsByStatus[status] = Math.min(counted.get(status) ?? 0, QUEUE_COUNT_LIMIT);
  const cappedStatuses = REQUEST_STATUSES.filter((s) => capped.includes(s));
  const chosen = statusesOf(filters.status);
  const total = chosen.reduce((sum, s) => sum + countsByStatus[s], 0);
  const totalIsExact = !chosen.some((s) => cappedStatuses.includes(s));
  const items = rows.map(({ description, ...row }) => ({
    ...row,
    excerpt: description.length > EXCERPT_LENGTH ? `${description.slice(0, EXCERPT_LENGTH).trimEnd()}…` : description,
  }));
  return { items, total, totalIsExact, countsByStatus, cappedStatuses };
}

/**
 * The tracking numbers of every request the view matches, in its order, at most `limit`: what
 * "all N matching" acts on. The filters are read again when the action runs, so it is what
 * matches then, not what the page showed.
 */
export async function listMatchingTrackingNumbers(staff: TownStaff, filters: QueueFilters, limit: number): Promise<string[]> {
  return withTownReads(staff.town.id, async (tx) => {
    const conditions = await queueConditions(tx, staff, filters);
    if (!conditions) return [];
    const rows = await tx
      .select({ trackingNumber: r.trackingNumber })
      .from(r)
      .where(conditions.matching)
      .orderBy(...orderBy(filters.sort))
      .limit(limit);
    return rows.map((row) => row.trackingNumber);
  });
}

/**
 * Every request the view matches inside the map's view, clustered by the public map's grid
 * (selectMapClusters), with how many of each cluster are overdue.
 */
export async function loadQueueMap(staff: TownStaff, filters: QueueFilters, view: MapView): Promise<QueueMapResult> {
  if (mapViewTooLarge(view)) return { kind: 'too_large' };
  return withTownReads(staff.town.id, async (tx) => {
    const conditions = await queueConditions(tx, staff, filters);
    if (!conditions) return { kind: 'map', clusters: [], total: 0 };
    const names = new Map((await tx.select({ id: categories.id, name: categories.name }).from(categories)).map((c) => [c.id, c.name]));
    return { kind: 'map', ...(await selectMapClusters(tx, staff.town.id, [conditions.matching], view, names, overdue)) };
  });
}

export type QueueMapResult = { kind: 'map'; clusters: MapCluster[]; total: number } | { kind: 'too_large' };

