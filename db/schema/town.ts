import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { DELIVERY_ROLE, residentClaimablePolicy, residentReadPolicy, stateReadPolicy, townPolicy } from '../rls';
import { API_KEY_SCOPES, LOCATION_SOURCES, REQUEST_CHANNELS, REQUEST_EVENT_KINDS, REQUEST_PRIORITIES, REQUEST_STAT_MEASURES, REQUEST_STATUSES, REQUEST_TOKEN_PURPOSES, TOWN_ROLES, WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENTS, type CategoryQuestion, type CategoryRegistrySnapshot, type RequestPriority } from '../vocabulary';
import { users } from './identity';
import { programCategories, towns } from './reference';

/** A town's teams; new requests in their categories are emailed to the department address. */
export const departments = pgTable(
  'departments',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.townId, t.id] }), uniqueIndex('departments_town_name_key').on(t.townId, sql`lower(${t.name})`), townPolicy(t.townId), stateReadPolicy()],
);

/** What kinds of problem a town accepts (Open311 "services"). */
export const categories = pgTable(
  'categories',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    group: text('group').notNull(),
    description: text('description').notNull().default(''),
    /** Resolution target, in business days from submission. */
    targetDays: integer('target_days').notNull(),
    /** Acknowledgement target (a first staff action), in business days from submission. */
    ackTargetDays: integer('ack_target_days').notNull().default(2),
    active: boolean('active').notNull().default(true),
    questions: jsonb('questions').$type<CategoryQuestion[]>().notNull().default([]),
    /** Other words residents use for it ("pot hole", "rubbish"), which the category search also matches. */
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    /**
     * The registry's values of the fields the sync keeps following, as the previous sync wrote them;
     * null for a category made in the app. A field follows the registry while it still holds them.
     */
    registrySnapshot: jsonb('registry_snapshot').$type<CategoryRegistrySnapshot>(),
    departmentId: uuid('department_id'),
    /** The state program's kind this category counts as in KPIs and the program report. */
    programCategory: text('program_category').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    uniqueIndex('categories_town_code_key').on(t.townId, t.code),
    foreignKey({ columns: [t.townId, t.departmentId], foreignColumns: [departments.townId, departments.id], name: 'categories_department_fk' }),
    // A reference table shared by every town, like towns itself, so this key needs no town_id.
    foreignKey({ columns: [t.programCategory], foreignColumns: [programCategories.code], name: 'categories_program_category_fk' }),
    townPolicy(t.townId),
    stateReadPolicy(),
    // "My requests" names each request's category; every town's categories are public (its report form lists them).
    residentReadPolicy(sql`true`),
  ],
);

/** A user's role in one town; state staff is global and lives on `users`. */
export const memberships = pgTable(
  'memberships',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: TOWN_ROLES }).notNull(),
    /** The morning email of what is due and overdue (docs/decisions/0026); each member may turn it off. */
    dailyDigest: boolean('daily_digest').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.userId] }),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id], name: 'memberships_user_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
    stateReadPolicy(),
  ],
);

/** Per-town counters for human-readable tracking numbers (SOM-1042). */
export const townCounters = pgTable(
  'town_counters',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    name: text('name').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.townId, t.name] }), townPolicy(t.townId), stateReadPolicy()],
);

/** A priority is stored as its rank (0 low … 3 urgent), so ORDER BY priority and its index sort by urgency. */
const requestPriority = customType<{ data: RequestPriority; driverData: number }>({
  dataType: () => 'smallint',
  toDriver: (priority) => REQUEST_PRIORITIES.indexOf(priority),
  fromDriver: (rank) => REQUEST_PRIORITIES[rank]!,
});

/** Words are compared byte by byte, so a prefix is a range the index seeks (and the C collation's comparisons are leakproof under RLS). */
const searchWord = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

/** A reported problem. The town is the one whose boundary contains the location. */
export const serviceRequests = pgTable(
  'service_requests',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    number: integer('number').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    categoryId: uuid('category_id').notNull(),
    status: text('status', { enum: REQUEST_STATUSES }).notNull().default('submitted'),
    statusReason: text('status_reason'),
    duplicateOfId: uuid('duplicate_of_id'),
    referredTo: text('referred_to'),
    description: text('description').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    address: text('address'),
    locationSource: text('location_source', { enum: LOCATION_SOURCES }).notNull(),
    answers: jsonb('answers').$type<Record<string, string | string[]>>().notNull().default({}),
    reporterUserId: uuid('reporter_user_id'),
    reporterEmail: text('reporter_email'),
    reporterName: text('reporter_name'),
    /** A phone number given through Open311 (private, like the email). */
    reporterPhone: text('reporter_phone'),
    /** A link to media elsewhere, as Open311's media_url gives it (never fetched). */
    mediaUrl: text('media_url'),
    /** How it reached the town (REQUEST_CHANNELS); a staff channel means staff filed it for a caller. */
    channel: text('channel', { enum: REQUEST_CHANNELS }).notNull().default('web'),
    idempotencyKey: text('idempotency_key').notNull(),
    departmentId: uuid('department_id'),
    assigneeUserId: uuid('assignee_user_id'),
    /** Set by staff; shown to the crew and sorted on in the queue. */
    priority: requestPriority('priority').notNull().default(sql`1`),
    /** The category's resolution target, in business days from submission (docs/decisions/0026). */
    dueAt: timestamp('due_at', { withTimezone: true }),
    /** The category's acknowledgement target, in business days from submission. */
    ackDueAt: timestamp('ack_due_at', { withTimezone: true }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /**
     * A transfer (a location corrected into another town): on the sending town's record, where it went,
     * so its public page redirects there; on the receiving town's copy, where it came from. Names only:
     * neither town can read the other's row.
     */
    transferredToTownId: integer('transferred_to_town_id').references(() => towns.id),
    transferredToTrackingNumber: text('transferred_to_tracking_number'),
    transferredFromTownId: integer('transferred_from_town_id').references(() => towns.id),
    transferredFromTrackingNumber: text('transferred_from_tracking_number'),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    uniqueIndex('service_requests_town_number_key').on(t.townId, t.number),
    uniqueIndex('service_requests_town_tracking_number_key').on(t.townId, t.trackingNumber),
    uniqueIndex('service_requests_town_idempotency_key').on(t.townId, t.idempotencyKey),
    // Newest first with the id as tie-break: Open311's listing reads its page straight off this index.
    index('service_requests_town_created_idx').on(t.townId, t.createdAt.desc(), t.id.desc()),
    // Open311's updated_after / updated_before: what a polling back office asks for.
    index('service_requests_town_updated_idx').on(t.townId, t.updatedAt),
    index('service_requests_town_status_created_idx').on(t.townId, t.status, t.createdAt.desc()),
    index('service_requests_town_category_location_idx').on(t.townId, t.categoryId, t.lat, t.lng),
    index('service_requests_reporter_idx').on(t.reporterUserId).where(sql`reporter_user_id is not null`),
    index('service_requests_town_category_created_idx').on(t.townId, t.categoryId, t.createdAt.desc()),
    index('service_requests_town_department_created_idx').on(t.townId, t.departmentId, t.createdAt.desc()),
    index('service_requests_town_assignee_created_idx').on(t.townId, t.assigneeUserId, t.createdAt.desc()),
    index('service_requests_town_open_due_idx').on(t.townId, t.dueAt).where(sql`status in ('submitted', 'acknowledged', 'in_progress')`),
    // The queue's default view: open requests, most urgent first, then newest (scanned backwards). Without
    // this partial index the planner would rather sort every open request than filter the one below.
    index('service_requests_town_open_priority_idx').on(t.townId, t.priority, t.createdAt, t.id).where(sql`status in ('submitted', 'acknowledged', 'in_progress')`),
    // The same order and the priority filter over closed requests too.
    index('service_requests_town_priority_created_idx').on(t.townId, t.priority, t.createdAt, t.id),
    check('service_requests_priority_check', sql`${t.priority} between 0 and ${sql.raw(String(REQUEST_PRIORITIES.length - 1))}`),
    // The "is it fixed?" job: each town's requests fixed a few days ago.
    index('service_requests_town_fixed_closed_idx').on(t.townId, t.closedAt).where(sql`status = 'fixed'`),
    // Claiming: reports filed under an address alone, found by it once the address is proven.
    index('service_requests_unclaimed_email_idx').on(sql`lower(${t.reporterEmail})`, t.townId).where(sql`reporter_user_id is null and reporter_email is not null`),
    foreignKey({ columns: [t.townId, t.departmentId], foreignColumns: [departments.townId, departments.id], name: 'service_requests_department_fk' }),
    foreignKey({ columns: [t.assigneeUserId], foreignColumns: [users.id], name: 'service_requests_assignee_fk' }).onDelete('set null'),
    foreignKey({ columns: [t.townId, t.categoryId], foreignColumns: [categories.townId, categories.id], name: 'service_requests_category_fk' }),
    foreignKey({ columns: [t.townId, t.duplicateOfId], foreignColumns: [t.townId, t.id], name: 'service_requests_duplicate_of_fk' }),
    foreignKey({ columns: [t.reporterUserId], foreignColumns: [users.id], name: 'service_requests_reporter_fk' }).onDelete('set null'),
    townPolicy(t.townId),
    stateReadPolicy(),
    residentReadPolicy(
      sql`${t.reporterUserId} = (select app.current_user_id()) or exists (select 1 from request_followers f where f.town_id = ${t.townId} and f.request_id = ${t.id} and f.user_id = (select app.current_user_id()))`,
    ),
    residentClaimablePolicy(sql`${t.reporterUserId} is null and lower(${t.reporterEmail}) = (select app.current_verified_email())`),
  ],
);

/**
 * Every word of a request's description, address and category name, lower case, one row each: the
 * staff queue's text search. A GIN index cannot serve ILIKE or @@ under RLS (neither is leakproof),
 * but equality and ranges of C-collated text are, so a word or a word's beginning is an index seek.
 * Kept by triggers on service_requests and categories (migration request_search_words).
 */
export const requestSearchWords = pgTable(
  'request_search_words',
  {
    townId: integer('town_id').notNull(),
    word: searchWord('word').notNull(),
    requestId: uuid('request_id').notNull(),
    /** The request's status, kept with its words: a search of open requests reads only their words, and the queue counts statuses from here. */
    status: text('status', { enum: REQUEST_STATUSES }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.word, t.requestId] }),
    index('request_search_words_request_idx').on(t.townId, t.requestId),
    index('request_search_words_open_idx')
      .on(t.townId, t.word, t.requestId)
      .where(sql`status in ('submitted', 'acknowledged', 'in_progress')`),
    foreignKey({ columns: [t.townId, t.requestId], foreignColumns: [serviceRequests.townId, serviceRequests.id], name: 'request_search_words_request_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
  ],
);

/**
 * A staff member's named queue view ("My overdue"): the queue's URL query, theirs alone or shared
 * with the town's staff.
 */
export const savedQueueViews = pgTable(
  'saved_queue_views',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    ownerUserId: uuid('owner_user_id').notNull(),
    name: text('name').notNull(),
    /** The queue's search parameters (queueSearchParams), page left out. */
    query: text('query').notNull(),
    shared: boolean('shared').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    uniqueIndex('saved_queue_views_owner_name_key').on(t.townId, t.ownerUserId, sql`lower(${t.name})`),
    foreignKey({ columns: [t.ownerUserId], foreignColumns: [users.id], name: 'saved_queue_views_owner_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
  ],
);

export const requestPhotos = pgTable(
  'request_photos',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    requestId: uuid('request_id').notNull(),
    displayKey: text('display_key').notNull(),
    thumbnailKey: text('thumbnail_key').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    sortOrder: integer('sort_order').notNull(),
    /** false: added by the reporter for the town only; served to the town's staff alone. */
    public: boolean('public').notNull().default(true),
    /** The timeline event it belongs to (a completion photo staff attached to a status change); null: the request's own photos. */
    eventId: uuid('event_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    index('request_photos_request_idx').on(t.townId, t.requestId),
    foreignKey({ columns: [t.townId, t.requestId], foreignColumns: [serviceRequests.townId, serviceRequests.id], name: 'request_photos_request_fk' }).onDelete('cascade'),
    foreignKey({ columns: [t.townId, t.eventId], foreignColumns: [requestEvents.townId, requestEvents.id], name: 'request_photos_event_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
    stateReadPolicy(),
  ],
);

/** The request's timeline; `public` events are shown to residents and emailed to followers. */
export const requestEvents = pgTable(
  'request_events',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    requestId: uuid('request_id').notNull(),
    kind: text('kind', { enum: REQUEST_EVENT_KINDS }).notNull(),
    public: boolean('public').notNull(),
    fromStatus: text('from_status', { enum: REQUEST_STATUSES }),
    toStatus: text('to_status', { enum: REQUEST_STATUSES }),
    message: text('message'),
    actorUserId: uuid('actor_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    index('request_events_request_idx').on(t.townId, t.requestId, t.createdAt),
    foreignKey({ columns: [t.townId, t.requestId], foreignColumns: [serviceRequests.townId, serviceRequests.id], name: 'request_events_request_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
    stateReadPolicy(),
  ],
);

/**
 * People who get an email on every public change: the reporter, and everyone who said "me too".
 * The unsubscribe token is kept in clear because every email must carry it; it can only unsubscribe.
 */
export const requestFollowers = pgTable(
  'request_followers',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    requestId: uuid('request_id').notNull(),
    userId: uuid('user_id'),
    email: text('email').notNull(),
    unsubscribeToken: text('unsubscribe_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    uniqueIndex('request_followers_request_email_key').on(t.townId, t.requestId, sql`lower(${t.email})`),
    uniqueIndex('request_followers_unsubscribe_key').on(t.townId, t.unsubscribeToken),
    index('request_followers_user_idx').on(t.userId).where(sql`user_id is not null`),
    index('request_followers_unclaimed_email_idx').on(sql`lower(${t.email})`, t.townId).where(sql`user_id is null`),
    foreignKey({ columns: [t.townId, t.requestId], foreignColumns: [serviceRequests.townId, serviceRequests.id], name: 'request_followers_request_fk' }).onDelete('cascade'),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id], name: 'request_followers_user_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
    stateReadPolicy(),
    residentReadPolicy(sql`${t.userId} = (select app.current_user_id())`),
    residentClaimablePolicy(sql`${t.userId} is null and lower(${t.email}) = (select app.current_verified_email())`),
  ],
);

/**
 * Emailed links that act on one request without an account (docs/decisions/0021): the reporter's
 * "manage this report" link, a follow waiting for its confirmation click, an answer to "is it
 * fixed?". Only a hash of the secret is stored; each is good for its one request and one purpose,
 * until it expires (and, but for `manage`, once).
 */
export const requestTokens = pgTable(
  'request_tokens',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    requestId: uuid('request_id').notNull(),
    purpose: text('purpose', { enum: REQUEST_TOKEN_PURPOSES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    /** Who the link was sent to: the reporter, the address to follow with, the follower asked. */
    email: text('email').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    uniqueIndex('request_tokens_town_hash_key').on(t.townId, t.tokenHash),
    index('request_tokens_town_expires_idx').on(t.townId, t.expiresAt),
    foreignKey({ columns: [t.townId, t.requestId], foreignColumns: [serviceRequests.townId, serviceRequests.id], name: 'request_tokens_request_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
  ],
);

/**
 * "Is it fixed?" asks already sent: one row per request and close, inserted before the emails by
 * whichever process gets there first, so each close is asked about exactly once.
 */
export const requestFixedChecks = pgTable(
  'request_fixed_checks',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    requestId: uuid('request_id').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull(),
    /** How many followers were asked (0: nobody followed). */
    recipients: integer('recipients').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.requestId, t.closedAt] }),
    foreignKey({ columns: [t.townId, t.requestId], foreignColumns: [serviceRequests.townId, serviceRequests.id], name: 'request_fixed_checks_request_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
  ],
);

/**
 * Days a town's offices are closed besides the Massachusetts legal holidays (a storm day, the day
 * after Thanksgiving): not business days for its targets (docs/decisions/0026). Set by its admin.
 */
export const townClosureDays = pgTable(
  'town_closure_days',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    day: date('day').notNull(),
    name: text('name').notNull(),
    createdByUserId: uuid('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.day] }),
    foreignKey({ columns: [t.createdByUserId], foreignColumns: [users.id], name: 'town_closure_days_created_by_fk' }).onDelete('set null'),
    townPolicy(t.townId),
    // The state console counts business days past due in each town's own calendar.
    stateReadPolicy(),
  ],
);

/**
 * "Overdue" emails already sent: one row per request and due time, inserted before the email by
 * whichever process gets there first, so each request is announced overdue once (a new due time, after
 * a recategorisation, is announced again).
 */
export const requestOverdueNotices = pgTable(
  'request_overdue_notices',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    requestId: uuid('request_id').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** How many addresses were emailed (0: nobody to tell). */
    recipients: integer('recipients').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.requestId, t.dueAt] }),
    foreignKey({ columns: [t.townId, t.requestId], foreignColumns: [serviceRequests.townId, serviceRequests.id], name: 'request_overdue_notices_request_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
  ],
);

/** Daily digests already decided: one row per member and town day, so each gets at most one a day. */
export const staffDigests = pgTable(
  'staff_digests',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    userId: uuid('user_id').notNull(),
    /** The town's calendar day the digest is for. */
    day: date('day').notNull(),
    /** Requests it listed (0: nothing due, so no email went out). */
    requests: integer('requests').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.userId, t.day] }),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id], name: 'staff_digests_user_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
  ],
);

/** Reusable public replies a town's staff pick when replying or closing. */
export const responseTemplates = pgTable(
  'response_templates',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.townId, t.id] }), townPolicy(t.townId), stateReadPolicy()],
);

/** Invitations to join a town's staff; accepting one with any account grants the role. */
export const staffInvitations = pgTable(
  'staff_invitations',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    email: text('email').notNull(),
    role: text('role', { enum: TOWN_ROLES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedByUserId: uuid('invited_by_user_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.townId, t.id] }), uniqueIndex('staff_invitations_token_key').on(t.townId, t.tokenHash), townPolicy(t.townId), stateReadPolicy()],
);

/** Every staff and admin action: who, what, when, before and after. */
export const auditLog = pgTable(
  'audit_log',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    actorUserId: uuid('actor_user_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    index('audit_log_town_created_idx').on(t.townId, t.createdAt.desc()),
    // The audit page's "request" filter: one request's entries.
    index('audit_log_town_entity_idx').on(t.townId, t.entityType, t.entityId, t.createdAt.desc()),
    townPolicy(t.townId),
    stateReadPolicy(),
  ],
);

/** A rollup row: how many requests of a town, category and received day count towards a measure at a value. */
function requestDailyStatColumns() {
  return {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    day: date('day').notNull(),
    categoryId: uuid('category_id').notNull(),
    measure: text('measure', { enum: REQUEST_STAT_MEASURES }).notNull(),
    value: integer('value').notNull(),
    n: integer('n').notNull(),
  };
}

/**
 * The state console's figures, pre-aggregated (docs/decisions/0017): for each town, day a request
 * was received (in the town's timezone) and category, how many requests count towards each measure
 * at each value, so an exact median is read from cumulative counts. Each (town, day) also has rows
 * for all its categories together under the nil category id (ALL_CATEGORIES), which is why
 * `category_id` has no foreign key. Kept equal to the requests by a trigger on `service_requests`
 * in the same transaction as every change (migration 0019); history is grouped by program category
 * at read time, through `categories`.
 */
export const requestDailyStats = pgTable(
  'request_daily_stats',
  requestDailyStatColumns(),
  (t) => [
    // A town's figures over time, for all its categories or one: a range of days under one (town, category).
    primaryKey({ columns: [t.townId, t.categoryId, t.day, t.measure, t.value] }),
    // The console reads a few measures over a range of days for each town, for all categories
    // (ALL_CATEGORIES) or a program category's: one range of this index per measure, category and
    // town, read without the table.
    index('request_daily_stats_measure_category_town_day_idx').on(t.measure, t.categoryId, t.townId, t.day, t.value, t.n),
    // The trigger deletes the rows its changes brought to zero; only those are in this index.
    index('request_daily_stats_zero_idx').on(t.townId).where(sql`n = 0`),
    townPolicy(t.townId),
    stateReadPolicy(),
  ],
);

/**
 * Changes to `request_daily_stats` not yet added to it (docs/decisions/0017, addendum): the trigger
 * appends here, which locks no shared row, then adds the town's pending changes to the rollup only
 * if no other transaction of the town is doing so. Readers add the two tables together.
 */
export const requestDailyStatChanges = pgTable(
  'request_daily_stat_changes',
  requestDailyStatColumns(),
  (t) => [index('request_daily_stat_changes_town_idx').on(t.townId), townPolicy(t.townId), stateReadPolicy()],
);

/**
 * A town's Open311 API keys (docs/decisions/0022): only the SHA-256 of the key is kept, with its
 * first characters to recognise it by; revoked keys stay listed.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    keyPrefix: text('key_prefix').notNull(),
    scopes: text('scopes', { enum: API_KEY_SCOPES }).array().notNull(),
    createdByUserId: uuid('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedByUserId: uuid('revoked_by_user_id'),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    uniqueIndex('api_keys_town_key_hash_key').on(t.townId, t.keyHash),
    foreignKey({ columns: [t.createdByUserId], foreignColumns: [users.id], name: 'api_keys_created_by_fk' }).onDelete('set null'),
    foreignKey({ columns: [t.revokedByUserId], foreignColumns: [users.id], name: 'api_keys_revoked_by_fk' }).onDelete('set null'),
    townPolicy(t.townId),
  ],
);

/**
 * Each update a town's back office POSTed (mySociety's `servicerequestupdates`), by the id its own
 * system gave it: a retry of the same update_id with the same key finds its receipt and changes nothing.
 */
export const open311UpdateReceipts = pgTable(
  'open311_update_receipts',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    apiKeyId: uuid('api_key_id').notNull(),
    updateId: text('update_id').notNull(),
    /** Ours, returned as the answer's update_id. */
    id: uuid('id').notNull(),
    requestId: uuid('request_id').notNull(),
    status: text('status').notNull(),
    /** The back office's own time for the update, when it gave one. */
    reportedAt: timestamp('reported_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.apiKeyId, t.updateId] }),
    foreignKey({ columns: [t.townId, t.apiKeyId], foreignColumns: [apiKeys.townId, apiKeys.id], name: 'open311_update_receipts_api_key_fk' }),
    foreignKey({ columns: [t.townId, t.requestId], foreignColumns: [serviceRequests.townId, serviceRequests.id], name: 'open311_update_receipts_request_fk' }),
    townPolicy(t.townId),
  ],
);

/**
 * A town's outbound webhook receivers. The signing secret is kept as given to the admin (not hashed):
 * the app must sign with it on every delivery; it is shown once and never listed (docs/decisions/0024).
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    url: text('url').notNull(),
    events: text('events', { enum: WEBHOOK_EVENTS }).array().notNull(),
    secret: text('secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** The first failed attempt since the last success; a day of failures disables the endpoint. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    /** Set when the app (not an admin) disabled the endpoint after a day of failures. */
    autoDisabledAt: timestamp('auto_disabled_at', { withTimezone: true }),
    createdByUserId: uuid('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    foreignKey({ columns: [t.createdByUserId], foreignColumns: [users.id], name: 'webhook_endpoints_created_by_fk' }).onDelete('set null'),
    townPolicy(t.townId),
    // The outbox worker looks the endpoint up at delivery, so a disabled or deleted one gets nothing more.
    pgPolicy('delivery', { as: 'permissive', for: 'select', to: DELIVERY_ROLE, using: sql`true` }),
    pgPolicy('delivery_health', { as: 'permissive', for: 'update', to: DELIVERY_ROLE, using: sql`true`, withCheck: sql`true` }),
  ],
);

/**
 * One event for one endpoint (docs/decisions/0024), written in the transaction of the change it
 * reports: the webhooks' own outbox, and their delivery log. A manual redelivery is a new row with
 * the same event id, so receivers deduplicate on `webhook-id`.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    id: uuid('id').notNull(),
    endpointId: uuid('endpoint_id').notNull(),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type', { enum: WEBHOOK_EVENTS }).notNull(),
    event: jsonb('event').notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the worker may next try; also its claim lease while an attempt is in flight. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    /** The receiver's HTTP status on the last attempt; null when none came (timeout, refused address). */
    lastResponseStatus: integer('last_response_status'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    redeliveryOfId: uuid('redelivery_of_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    index('webhook_deliveries_endpoint_created_idx').on(t.townId, t.endpointId, t.createdAt.desc()),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    foreignKey({ columns: [t.townId, t.endpointId], foreignColumns: [webhookEndpoints.townId, webhookEndpoints.id], name: 'webhook_deliveries_endpoint_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
    pgPolicy('delivery_read', { as: 'permissive', for: 'select', to: DELIVERY_ROLE, using: sql`true` }),
    pgPolicy('delivery_outcome', { as: 'permissive', for: 'update', to: DELIVERY_ROLE, using: sql`true`, withCheck: sql`true` }),
  ],
);
