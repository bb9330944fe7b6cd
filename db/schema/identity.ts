import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgPolicy, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { DELIVERY_ROLE, IDENTITY_ROLE, townPolicy } from '../rls';
import { EMAIL_TOKEN_PURPOSES, OUTBOX_STATUSES } from '../vocabulary';
import { towns } from './reference';

/** Global: one resident account works in every town. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    displayName: text('display_name'),
    passwordHash: text('password_hash').notNull(),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    isStateStaff: boolean('is_state_staff').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When a session was last started for this account; null: never signed in (the state console's configuration health). */
    lastSignedInAt: timestamp('last_signed_in_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

/** Emailed one-time links (verification, password reset). Only a hash of the secret is stored. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: EMAIL_TOKEN_PURPOSES }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('email_tokens_user_idx').on(t.userId, t.purpose)],
);

/**
 * A sign-up waiting for its emailed link. The account is created only when the link is used, so
 * until then nothing about the address differs from one nobody signed up with (no enumeration).
 */
export const pendingSignUps = pgTable(
  'pending_sign_ups',
  {
    tokenHash: text('token_hash').primaryKey(),
    email: text('email').notNull(),
    displayName: text('display_name'),
    passwordHash: text('password_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('pending_sign_ups_email_idx').on(sql`lower(${t.email})`)],
);

/** Fixed-window counters shared by every app process (sign-in, sign-up throttling). */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/**
 * Work triggered by a state change, written in the same transaction and delivered by a worker.
 * Town mail (request updates with unsubscribe links) carries its `town_id` under the town policy;
 * account mail (verification, reset) has none and is written by the identity role only.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    townId: integer('town_id').references(() => towns.id),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_pending_idx').on(t.runAt).where(sql`status = 'pending'`),
    townPolicy(t.townId),
    pgPolicy('account_mail', { as: 'permissive', for: 'insert', to: IDENTITY_ROLE, withCheck: sql`${t.townId} is null` }),
    pgPolicy('delivery', { as: 'permissive', for: 'all', to: DELIVERY_ROLE, using: sql`true`, withCheck: sql`true` }),
  ],
);

/** Where email goes when no RESEND_API_KEY is configured (the dev mailbox page). */
export const devMailbox = pgTable(
  'dev_mailbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    outboxMessageId: bigint('outbox_message_id', { mode: 'number' }).notNull().unique(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    /** What Resend would have been given besides the body (List-Unsubscribe and its one-click POST). */
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dev_mailbox_to_idx').on(sql`lower(${t.to})`, t.id)],
);

/**
 * Every oversight read of personal data: which state staff member read what, from which towns.
 * Written in the read's own transaction; `app_state` may only insert here, so no oversight scope can
 * read, change or remove what was recorded of it. The town ids are an array, not a `town_id`: the
 * rows belong to the state, not to a town's RLS.
 */
export const oversightReads = pgTable(
  'oversight_reads',
  {
    id: uuid('id').primaryKey(),
    stateStaffUserId: uuid('state_staff_user_id')
      .notNull()
      .references(() => users.id),
    what: text('what').notNull(),
    townIds: integer('town_ids').array().notNull(),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('oversight_reads_user_read_at_idx').on(t.stateStaffUserId, t.readAt.desc())],
);
