import { getDatabase, inTransaction, settingsStatement, type TransactionOptions, type Tx } from './client';
import { isTransactionAborted } from './errors';
import { BILLING_ROLE, DELIVERY_ROLE, IDENTITY_ROLE, PROGRAM_ROLE, RESIDENT_ROLE, STATE_ROLE, TOWN_ROLE } from './rls';

export type { TransactionOptions, Tx };

/** For a scope that only reads: writes are refused, and on PostgreSQL it takes one round trip. */
export const READ_ONLY: TransactionOptions = { readOnly: true };

// The role is set with set_config('role', …, true), which is SET LOCAL ROLE, in the same statement
// as the scope's keys, and that statement travels with the scope's first one (inTransaction).

/**
 * Runs `fn` as the non-owner role `app_town` with the town set for this transaction only.
 * Row-level security then limits every town-scoped table to this town's rows.
 */
export function withTown<T>(townId: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(getDatabase(), { role: TOWN_ROLE, 'app.town_id': townIdSetting('withTown', townId) }, fn);
}

/**
 * withTown for a scope that only reads (READ_ONLY), and without JIT: RLS's per-row policy inflates
 * the estimated costs of reading many requests past JIT's threshold, and PostgreSQL would then spend
 * longer compiling than running them.
 */
export function withTownReads<T>(townId: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(getDatabase(), { role: TOWN_ROLE, 'app.town_id': townIdSetting('withTownReads', townId), jit: 'off' }, fn, READ_ONLY);
}

function townIdSetting(scope: string, townId: number): string {
  if (!Number.isInteger(townId) || townId <= 0) throw new Error(`${scope}: invalid town id ${townId}`);
  return String(townId);
}

/**
 * Reference data (the town list, the non-secret user columns) under the town role with no town
 * set: town-scoped tables return nothing here, and accounts' secrets are not granted at all.
 */
export function withGlobal<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T> {
  return inTransaction(getDatabase(), { role: TOWN_ROLE }, fn, options);
}

/**
 * Accounts: users (with password hashes), sessions, emailed tokens, sign-in throttling and account
 * mail, under `app_identity`. Only the auth and accounts code calls this.
 */
export function withIdentity<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T> {
  return inTransaction(getDatabase(), { role: IDENTITY_ROLE }, fn, options);
}

/** The outbox worker: claims and settles every town's messages under `app_delivery`, which reads nothing else. */
export function withDelivery<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(getDatabase(), { role: DELIVERY_ROLE }, fn);
}

/**
 * State staff oversight: reads across every town through the `state_read` policy, which grants
 * SELECT only. Callers must have checked `requireStateStaff`; the name makes the privilege visible.
 */
export function withStateOversight<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(getDatabase(), { role: STATE_ROLE }, fn);
}

/**
 * State program administration: adds towns and writes their lifecycle facts under `app_program`,
 * which can read no town's requests. Callers must have checked `requireStateStaff`.
 */
export function withProgramAdministration<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(getDatabase(), { role: PROGRAM_ROLE }, fn);
}

/**
 * Billing: Stripe's webhooks, the billing page's re-read of Stripe and the lifecycle notices job,
 * under `app_billing`, which writes subscriptions, invoices and notices for any town and reads no
 * town's requests. A town's own rows are written after `enterTown`.
 */
export function withBilling<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(getDatabase(), { role: BILLING_ROLE }, fn);
}

/**
 * Inside `withProgramAdministration` or `withBilling`: continues this transaction as `app_town` for `townId`, so a
 * new town's own rows (categories, the first invitation, audit entries) are written under its
 * policies and together with the town row, or not at all.
 */
export async function enterTown(tx: Tx, townId: number): Promise<void> {
  await tx.execute(settingsStatement({ role: TOWN_ROLE, 'app.town_id': townIdSetting('enterTown', townId) }));
}

/**
 * "My requests" in every town: the read-only `app_resident` role with `app.user_id` set, so the
 * `resident_read` policies return exactly the rows this resident reported or follows.
 */
export function withResident<T>(userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(getDatabase(), { role: RESIDENT_ROLE, 'app.user_id': userId }, fn);
}

/**
 * Claiming (docs/decisions/0021): the read-only `app_resident` role with `app.verified_email` set,
 * so the `resident_claimable` policies show exactly the reports and follows filed under that
 * address alone, in every town. Only the claim opens it, after the address was proven.
 */
export function withVerifiedEmail<T>(email: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(getDatabase(), { role: RESIDENT_ROLE, 'app.verified_email': email.toLowerCase() }, fn);
}

/**
 * Only for moving a request to another town (a corrected location): re-points this transaction's
 * `app.town_id`, so the copy is written under the destination's policies in the same transaction
 * and both towns change together or not at all. Switch back before touching the source again.
 */
export async function switchTown(tx: Tx, townId: number): Promise<void> {
  await tx.execute(settingsStatement({ 'app.town_id': townIdSetting('switchTown', townId) }));
}

/**
 * Statements of one transaction sent at once (postgres.js pipelines them on its connection), waited
 * for together. Unlike Promise.all it settles only when every one has, so nothing of the batch can
 * reach the connection after the transaction ends; and when one fails, the statements after it
 * fail only because the transaction was aborted, so it throws a failure of its own (the first
 * given), whichever reached it first.
 */
export async function together<T extends readonly unknown[] | []>(statements: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = (await Promise.allSettled(statements)) as PromiseSettledResult<unknown>[];
  const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  if (failures.length > 0) throw failures.find((failure) => !isTransactionAborted(failure)) ?? failures[0];
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
