import { boolean, foreignKey, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { stateReadPolicy, townPolicy } from '../rls';
import { users } from './identity';
import { towns } from './reference';

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
    targetDays: integer('target_days').notNull(),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.id] }),
    uniqueIndex('categories_town_code_key').on(t.townId, t.code),
    townPolicy(t.townId),
    stateReadPolicy(),
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
    role: text('role', { enum: ['staff', 'admin'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.townId, t.userId] }),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id], name: 'memberships_user_fk' }).onDelete('cascade'),
    townPolicy(t.townId),
    stateReadPolicy(),
  ],
);
