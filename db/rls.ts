import { sql, type SQL } from 'drizzle-orm';
import { pgPolicy, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** Runtime role for every town-scoped query: not the owner, not superuser, no BYPASSRLS. */
export const TOWN_ROLE = 'app_town';
/**
 * Runtime role for "my requests": its own role so the resident policy is never OR'd into town
 * queries, where it would stop the planner from using the town_id indexes.
 */
export const RESIDENT_ROLE = 'app_resident';
/**
 * Runtime role for accounts: users' secrets, sessions, emailed tokens, rate-limit counters and
 * account mail. Only the auth and accounts code opens it (`withIdentity`).
 */
export const IDENTITY_ROLE = 'app_identity';
/** Runtime role of the outbox worker: claims and settles every town's messages, reads nothing else. */
export const DELIVERY_ROLE = 'app_delivery';
/**
 * Runtime role for state program administration: adds towns and writes their lifecycle facts
 * (live, left the program, grant term). It reads no town's requests; setting up a new town's own
 * rows switches to `app_town` for that town inside the same transaction.
 */
export const PROGRAM_ROLE = 'app_program';
/**
 * Runtime role for billing: Stripe's webhooks, the billing page's re-read of Stripe, and the
 * lifecycle notices job. It writes subscriptions, invoices and notices for any town, and reads the
 * accounts it emails; a town's own rows (audit, outbox) are written as `app_town` (`enterTown`).
 */
export const BILLING_ROLE = 'app_billing';
/** Runtime role for audited cross-town reads by state staff (read-only policy on town tables). */
export const STATE_ROLE = 'app_state';

/**
 * The one policy every town-scoped table carries. `app.current_town_id()` is null when no
 * town is set, so a forgotten `withTown` yields zero rows instead of every town's rows.
 */
export function townPolicy(townId: AnyPgColumn) {
  const sameTown = sql`${townId} = (select app.current_town_id())`;
  return pgPolicy('town_isolation', { as: 'permissive', for: 'all', to: TOWN_ROLE, using: sameTown, withCheck: sameTown });
}

/** State staff oversee every town: SELECT only, and only under the separate `app_state` role. */
export function stateReadPolicy() {
  return pgPolicy('state_read', { as: 'permissive', for: 'select', to: STATE_ROLE, using: sql`true` });
}

/**
 * "My requests" across towns: rows of the signed-in resident, readable under `withResident`
 * (role app_resident, `app.user_id` set). See docs/decisions/0002.
 */
export function residentReadPolicy(ownRow: SQL) {
  return pgPolicy('resident_read', { as: 'permissive', for: 'select', to: RESIDENT_ROLE, using: ownRow });
}

/**
 * Reports and follows still filed under an email address alone, readable under `withVerifiedEmail`
 * (role app_resident, `app.verified_email` set): how claiming finds the towns to claim in, after
 * the address was proven (docs/decisions/0021).
 */
export function residentClaimablePolicy(unclaimedRow: SQL) {
  return pgPolicy('resident_claimable', { as: 'permissive', for: 'select', to: RESIDENT_ROLE, using: unclaimedRow });
}
