import { sql } from 'drizzle-orm';
import { date, integer, jsonb, pgPolicy, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { TOWN_TYPES, type CategoryQuestion } from '../vocabulary';

export type TownContact = { phone: string | null; email: string | null; website: string | null };

/**
 * The participating towns (tenants). `id` is the MassGIS TOWN_ID (1-351), stable and official,
 * so every database numbers towns the same way.
 */
export const towns = pgTable(
  'towns',
  {
    id: integer('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    type: text('type', { enum: TOWN_TYPES }).notNull(),
    county: text('county').notNull(),
    geoid: text('geoid').notNull(),
    trackingCode: text('tracking_code').notNull(),
    timezone: text('timezone').notNull(),
    contact: jsonb('contact').$type<TownContact>().notNull(),
    accentColor: text('accent_color').notNull(),
    cohort: text('cohort').notNull(),
    source: text('source').notNull(),
    grantStart: date('grant_start').notNull(),
    grantEnd: date('grant_end').notNull(),
    boundary: jsonb('boundary').notNull(),
    /** Set by the town admin in the app; never by the registry. */
    welcomeMessage: text('welcome_message'),
    bannerMessage: text('banner_message'),
    logoKey: text('logo_key'),
    /*
     * Lifecycle facts (app/modules/towns/lifecycle.ts derives the state from them, never a stored
     * status): null `live_since` is a town still onboarding; `left_program_at` stops new reports.
     */
    liveSince: timestamp('live_since', { withTimezone: true }),
    leftProgramAt: timestamp('left_program_at', { withTimezone: true }),
    /** Onboarding checklist confirmations, made by the town's admin. */
    boundaryConfirmedAt: timestamp('boundary_confirmed_at', { withTimezone: true }),
    categoriesReviewedAt: timestamp('categories_reviewed_at', { withTimezone: true }),
    /** The town's Stripe customer, created once by its first checkout. */
    stripeCustomerId: text('stripe_customer_id'),
    /** The registry values applied at the last sync: a field that differs from them was changed in the app. */
    registrySnapshot: jsonb('registry_snapshot').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('towns_slug_key').on(t.slug),
    uniqueIndex('towns_stripe_customer_key').on(t.stripeCustomerId),
    uniqueIndex('towns_tracking_code_key').on(sql`upper(${t.trackingCode})`),
    // Everyone reads the town list; the app may only change the town it is working for.
    pgPolicy('towns_read', { as: 'permissive', for: 'select', to: 'public', using: sql`true` }),
    pgPolicy('towns_update_own', {
      as: 'permissive',
      for: 'update',
      to: 'app_town',
      using: sql`${t.id} = (select app.current_town_id())`,
      withCheck: sql`${t.id} = (select app.current_town_id())`,
    }),
    pgPolicy('towns_program_insert', { as: 'permissive', for: 'insert', to: 'app_program', withCheck: sql`true` }),
    pgPolicy('towns_billing_update', { as: 'permissive', for: 'update', to: 'app_billing', using: sql`true`, withCheck: sql`true` }),
    pgPolicy('towns_program_update', { as: 'permissive', for: 'update', to: 'app_program', using: sql`true`, withCheck: sql`true` }),
  ],
);

/**
 * The state program's canonical kinds of problem. Every town category maps to one, so KPIs and the
 * program report compare towns that name their own categories differently. Loaded from
 * `tenants/_program/categories.json` by the registry sync (the owner); no runtime role writes it.
 */
export const programCategories = pgTable('program_categories', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  /** The state's suggested target in business days, offered to an admin creating a category of this kind. */
  defaultTargetDays: integer('default_target_days').notNull(),
  /** Copied into a town category an admin creates of this kind; the town edits its own copy. */
  defaultQuestions: jsonb('default_questions').$type<CategoryQuestion[]>().notNull().default([]),
  /** Other words residents use for it, given to town categories of this kind like the questions. */
  defaultKeywords: text('default_keywords').array().notNull().default(sql`'{}'::text[]`),
  sortOrder: integer('sort_order').notNull(),
});
