import { and, eq, sql } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import {
  apiKeys,
  auditLog,
  categories,
  departments,
  memberships,
  outboxMessages,
  programCategories,
  requestEvents,
  requestFollowers,
  requestFixedChecks,
  requestOverdueNotices,
  staffDigests,
  townClosureDays,
  requestTokens,
  requestDailyStatChanges,
  requestDailyStats,
  requestPhotos,
  responseTemplates,
  serviceRequests,
  staffInvitations,
  townCounters,
  townInvoices,
  townSubscriptions,
  lifecycleNotices,
  users,
  open311UpdateReceipts,
  webhookDeliveries,
  webhookEndpoints,
  savedQueueViews,
  requestSearchWords,
} from '#db/schema';
import { withBilling, withStateOversight, withDelivery, withGlobal, withIdentity, withProgramAdministration, withResident, withTown, withVerifiedEmail, type Tx } from '#db/scope';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { createUser, townBySlug } from './factories';

type Row = Record<string, unknown>;
const rows = async (tx: Tx, query: ReturnType<typeof sql>) => (await tx.execute(query)) as unknown as Row[] | { rows: Row[] };
const asRows = (result: Row[] | { rows: Row[] }): Row[] => (Array.isArray(result) ? result : result.rows);
const ownerQuery = async (query: ReturnType<typeof sql>) => asRows(await getDatabase().db.execute(query) as unknown as Row[] | { rows: Row[] });

describe('catalog audit', () => {
  it('every table with a town_id has RLS enabled and forced, and a town policy', async () => {
    const tables = await ownerQuery(sql`
      select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
             (select count(*) from pg_policy p where p.polrelid = c.oid and p.polname = 'town_isolation')::int as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'town_id' and not a.attisdropped)`);
    expect(tables.map((t) => t.table).sort()).toEqual(expect.arrayContaining(['categories', 'memberships']));
    for (const t of tables) expect(t, String(t.table)).toMatchObject({ enabled: true, forced: true, policies: 1 });
  });

  it('town_id leads the primary key of every town-scoped table', async () => {
    const keys = await ownerQuery(sql`
      select c.relname as table, (select a.attname from pg_attribute a where a.attrelid = c.oid and a.attnum = i.indkey[0]) as first_column
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      where i.indisprimary and n.nspname = 'public'
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'town_id' and a.attnotnull and not a.attisdropped)`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const k of keys) expect(k.first_column, String(k.table)).toBe('town_id');
  });

  it('only the outbox has a nullable town_id (account mail belongs to no town)', async () => {
    const nullable = await ownerQuery(sql`
      select c.relname as table from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and a.attname = 'town_id' and not a.attnotnull and not a.attisdropped`);
    expect(nullable.map((t) => t.table)).toEqual(['outbox_messages']);
  });

  it('the runtime roles are neither superuser nor BYPASSRLS, and do not own the tables', async () => {
    const roles = await ownerQuery(sql`select rolname, rolsuper, rolbypassrls from pg_roles where rolname in (${sql.join(RUNTIME_ROLES.map((r) => sql`${r}`), sql`, `)}) order by rolname`);
    expect(roles).toEqual([
      { rolname: 'app_billing', rolsuper: false, rolbypassrls: false },
      { rolname: 'app_delivery', rolsuper: false, rolbypassrls: false },
      { rolname: 'app_identity', rolsuper: false, rolbypassrls: false },
      { rolname: 'app_program', rolsuper: false, rolbypassrls: false },
      { rolname: 'app_resident', rolsuper: false, rolbypassrls: false },
      { rolname: 'app_state', rolsuper: false, rolbypassrls: false },
      { rolname: 'app_town', rolsuper: false, rolbypassrls: false },
    ]);
    const owned = await ownerQuery(sql`select count(*)::int as n from pg_tables where schemaname = 'public' and tableowner in (${sql.join(RUNTIME_ROLES.map((r) => sql`${r}`), sql`, `)})`);
    expect(owned[0]!.n).toBe(0);
  });

  it('town queries are not OR-ed with the resident policy, so the town_id indexes serve them', async () => {
    const policies = await ownerQuery(sql`select polname, pg_get_userbyid(unnest(polroles)) as role from pg_policy where polrelid = 'service_requests'::regclass order by polname`);
    expect(policies).toEqual([
      { polname: 'resident_claimable', role: 'app_resident' },
      { polname: 'resident_read', role: 'app_resident' },
      { polname: 'state_read', role: 'app_state' },
      { polname: 'town_isolation', role: 'app_town' },
    ]);
  });

  it('withTown and withStateOversight really switch role', async () => {
    const town = await townBySlug('somerville');
    const inTown = asRows(await withTown(town.id, (tx) => rows(tx, sql`select current_user as who, app.current_town_id() as town`)));
    expect(inTown[0]).toEqual({ who: 'app_town', town: town.id });
    const inOversight = asRows(await withStateOversight((tx) => rows(tx, sql`select current_user as who`)));
    expect(inOversight[0]).toEqual({ who: 'app_state' });
  });
});

/** A refusal by privilege (SQLSTATE 42501), as opposed to a policy or constraint saying no. */
async function expectDenied(attempt: Promise<unknown>, label?: string): Promise<void> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e as { code?: string; cause?: { code?: string } },
  );
  expect(error?.code ?? error?.cause?.code, `${label ?? 'query'} is refused by privilege`).toBe('42501');
}

const RUNTIME_ROLES = ['app_town', 'app_state', 'app_resident', 'app_identity', 'app_delivery', 'app_program', 'app_billing'] as const;
type RuntimeRole = (typeof RUNTIME_ROLES)[number];
type Grants = Record<string, Record<string, string[]>>;

const TOWN_TABLES = [
  'categories',
  'memberships',
  'town_counters',
  'service_requests',
  'request_photos',
  'request_events',
  'request_followers',
  'departments',
  'response_templates',
  'staff_invitations',
  // Written by the trigger on service_requests, which runs as the changer (docs/decisions/0017).
  'request_daily_stats',
];
const FULL = ['DELETE', 'INSERT', 'SELECT', 'UPDATE'];

/**
 * The reviewed expectation: every table and column each runtime role (and PUBLIC) may touch. A
 * grant that is not here, or one that is missing, fails the audit below. See docs/decisions/0010.
 */
const EXPECTED_GRANTS: Record<RuntimeRole | 'PUBLIC', Record<string, string[]>> = {
  app_town: {
    ...Object.fromEntries(TOWN_TABLES.map((t) => [t, FULL])),
    // Open311 keys: created, checked, marked used and revoked; never deleted (docs/decisions/0022).
    api_keys: ['INSERT', 'SELECT', 'UPDATE(last_used_at, revoked_at, revoked_by_user_id)'],
    // Webhook endpoints: created, listed, enabled or disabled, deleted; URL, events and secret never change (docs/decisions/0024).
    webhook_endpoints: ['DELETE', 'INSERT', 'SELECT', 'UPDATE(auto_disabled_at, enabled, failing_since)'],
    // A back office's updates: one receipt each, never changed.
    open311_update_receipts: ['INSERT', 'SELECT'],
    // Queued with the change they report, or again by hand; their outcome is the worker's to write.
    webhook_deliveries: ['INSERT', 'SELECT'],
    // Named queue views: saved, listed, deleted; saving under the same name replaces (delete and insert).
    saved_queue_views: ['DELETE', 'INSERT', 'SELECT'],
    // The queue's search words, written by the triggers on service_requests and categories as the
    // changer; a status change moves the request's words to the new status.
    request_search_words: ['DELETE', 'INSERT', 'SELECT', 'UPDATE(status)'],
    // The rollup's pending changes: appended by the trigger, then moved into the rollup (docs/decisions/0017, addendum).
    request_daily_stat_changes: ['DELETE', 'INSERT', 'SELECT'],
    audit_log: ['INSERT', 'SELECT'],
    outbox_messages: ['INSERT'],
    program_categories: ['SELECT'],
    // Emailed links: issued, checked, used once, deleted long after they expire (docs/decisions/0021).
    request_tokens: ['DELETE', 'INSERT', 'SELECT', 'UPDATE(used_at)'],
    // "Is it fixed?" asks: append-only, so each close is asked about once.
    request_fixed_checks: ['INSERT', 'SELECT'],
    // Service levels (docs/decisions/0026): closure days added and removed by the admin, never edited;
    // overdue notices and digests append-only, so each is sent once.
    town_closure_days: ['DELETE', 'INSERT', 'SELECT'],
    request_overdue_notices: ['INSERT', 'SELECT'],
    staff_digests: ['INSERT', 'SELECT'],
    // The billing page and the grace banner; only billing writes them.
    town_invoices: ['SELECT'],
    town_subscriptions: ['SELECT'],
    towns: ['SELECT', 'UPDATE(accent_color, banner_message, boundary, boundary_confirmed_at, categories_reviewed_at, contact, logo_key, updated_at, welcome_message)'],
    users: ['SELECT(display_name, email, id)'],
  },
  app_state: {
    ...Object.fromEntries([...TOWN_TABLES, 'audit_log', 'towns'].map((t) => [t, ['SELECT']])),
    lifecycle_notices: ['SELECT'],
    oversight_reads: ['INSERT'],
    // Figures add the rollup's pending changes.
    request_daily_stat_changes: ['SELECT'],
    // Business days past due are counted in each town's calendar.
    town_closure_days: ['SELECT'],
    program_categories: ['SELECT'],
    town_invoices: ['SELECT'],
    town_subscriptions: ['SELECT'],
    users: ['SELECT(created_at, display_name, email, email_verified_at, id, is_state_staff, last_signed_in_at)'],
  },
  app_resident: {
    // "My requests" names each request's category.
    categories: ['SELECT'],
    request_followers: ['SELECT'],
    service_requests: ['SELECT'],
    towns: ['SELECT'],
  },
  app_identity: {
    email_tokens: ['INSERT', 'SELECT', 'UPDATE(used_at)'],
    outbox_messages: ['INSERT'],
    pending_sign_ups: ['INSERT', 'SELECT', 'UPDATE(used_at)'],
    rate_limit_counters: ['DELETE', 'INSERT', 'SELECT', 'UPDATE(hits)'],
    sessions: ['DELETE', 'INSERT', 'SELECT', 'UPDATE(expires_at)'],
    users: ['INSERT(display_name, email, email_verified_at, id, password_hash)', 'SELECT', 'UPDATE(email_verified_at, last_signed_in_at, password_hash)'],
  },
  app_delivery: {
    dev_mailbox: ['INSERT', 'SELECT'],
    outbox_messages: ['SELECT(attempts, id, kind, payload, run_at, status, town_id)', 'UPDATE(attempts, last_error, run_at, sent_at, status)'],
    // Where a webhook goes and what signs it, read at delivery; the endpoint's failure record.
    webhook_endpoints: ['SELECT(enabled, failing_since, id, secret, town_id, url)', 'UPDATE(failing_since)'],
    // Claims what is due, sends it, records each attempt.
    webhook_deliveries: [
      'SELECT(attempts, endpoint_id, event, event_id, id, next_attempt_at, status, town_id)',
      'UPDATE(attempts, delivered_at, last_attempt_at, last_error, last_response_status, next_attempt_at, status)',
    ],
  },
  // Adds towns and writes their lifecycle facts; a new town's own rows are written as app_town (enterTown).
  app_program: {
    // Purchase orders only (the policy), recorded and voided.
    town_subscriptions: ['INSERT', 'SELECT', 'UPDATE(ended_at, updated_at)'],
    towns: ['INSERT', 'SELECT', 'UPDATE(cohort, grant_end, grant_start, left_program_at, live_since, updated_at)'],
  },
  // Stripe's webhooks, the billing page's re-read and the lifecycle notices; a town's audit and mail are written as app_town (enterTown).
  app_billing: {
    lifecycle_notices: ['INSERT', 'SELECT'],
    stripe_events: ['INSERT', 'SELECT'],
    town_invoices: ['INSERT', 'SELECT', 'UPDATE'],
    town_subscriptions: ['INSERT', 'SELECT', 'UPDATE'],
    towns: ['SELECT', 'UPDATE(stripe_customer_id, updated_at)'],
    users: ['SELECT(display_name, email, id, is_state_staff)'],
  },
  PUBLIC: {},
};

/** What the catalog grants each runtime role (and PUBLIC) on every relation in public, tables and columns alike. */
async function actualGrants(query: (q: ReturnType<typeof sql>) => Promise<Row[]>): Promise<Grants> {
  const rows = await query(sql`
    with grantees as (select oid, rolname from pg_roles where rolname in (${sql.join(RUNTIME_ROLES.map((r) => sql`${r}`), sql`, `)}) union all select 0, 'PUBLIC'),
    relations as (select c.oid, c.relname, c.relacl from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'v', 'm', 'S', 'p'))
    select g.rolname as role, r.relname as "table", acl.privilege_type as privilege, null::text as "column"
      from relations r cross join lateral aclexplode(r.relacl) acl join grantees g on g.oid = acl.grantee
    union all
    select g.rolname, r.relname, acl.privilege_type, a.attname::text
      from relations r join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
      cross join lateral aclexplode(a.attacl) acl join grantees g on g.oid = acl.grantee`);
  const grants: Grants = Object.fromEntries([...RUNTIME_ROLES, 'PUBLIC'].map((r) => [r, {}]));
  const columns = new Map<string, string[]>();
  for (const row of rows) {
    const [role, table, privilege] = [String(row.role), String(row.table), String(row.privilege)];
    if (row.column === null) (grants[role]![table] ??= []).push(privilege);
    else (columns.get(`${role}\u0000${table}\u0000${privilege}`) ?? columns.set(`${role}\u0000${table}\u0000${privilege}`, []).get(`${role}\u0000${table}\u0000${privilege}`)!).push(String(row.column));
  }
  for (const [key, cols] of columns) {
    const [role, table, privilege] = key.split('\u0000') as [string, string, string];
    (grants[role]![table] ??= []).push(`${privilege}(${cols.sort().join(', ')})`);
  }
  for (const tables of Object.values(grants)) for (const list of Object.values(tables)) list.sort();
  return grants;
}

/** One line per difference, naming role, table and privilege, so a failure says exactly what changed. */
function grantDifferences(actual: Grants): string[] {
  const lines: string[] = [];
  for (const role of [...RUNTIME_ROLES, 'PUBLIC'] as const) {
    const expected = EXPECTED_GRANTS[role];
    for (const table of new Set([...Object.keys(expected), ...Object.keys(actual[role] ?? {})])) {
      const want = new Set(expected[table] ?? []);
      const have = new Set(actual[role]?.[table] ?? []);
      for (const p of have) if (!want.has(p)) lines.push(`unexpected: ${role} ${table} ${p}`);
      for (const p of want) if (!have.has(p)) lines.push(`missing: ${role} ${table} ${p}`);
    }
  }
  return lines;
}

describe('grants audit', () => {
  it('every table and column a runtime role can touch is in the reviewed expectation, and nothing more', async () => {
    expect(grantDifferences(await actualGrants(ownerQuery))).toEqual([]);
  });

  // A function's default ACL lets PUBLIC execute it; the app's own (trigger) functions are for the database alone,
  // but for the pure functions their triggers call as the town role: the rollup's measures (docs/decisions/0017)
  // and the queue's search words.
  it("no runtime role or PUBLIC may call the app's own functions (extensions' functions are theirs), but for the reviewed ones", async () => {
    const callable = await ownerQuery(sql`
      with grantees as (select oid, rolname from pg_roles where rolname in (${sql.join(RUNTIME_ROLES.map((r) => sql`${r}`), sql`, `)}) union all select 0, 'PUBLIC'),
      own as (
        select p.oid, p.proname, coalesce(p.proacl, acldefault('f', p.proowner)) as acl
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'))
      select own.proname || ' ' || g.rolname as grant from own cross join lateral aclexplode(own.acl) acl join grantees g on g.oid = acl.grantee where acl.privilege_type = 'EXECUTE'`);
    expect(callable.map((row) => String(row.grant)).sort()).toEqual(['request_daily_stat_measures app_town', 'request_search_words_of app_town']);
  });

  it('fails when the town role is granted users.is_state_staff again', async () => {
    const rolledBack = new Error('rolled back');
    let differences: string[] = [];
    await getDatabase()
      .db.transaction(async (tx) => {
        await tx.execute(sql`grant select (is_state_staff), update (is_state_staff) on users to app_town`);
        differences = grantDifferences(await actualGrants(async (q) => asRows(await rows(tx, q))));
        throw rolledBack;
      })
      .catch((error: unknown) => {
        if (error !== rolledBack) throw error;
      });
    expect(differences).toEqual(['unexpected: app_town users SELECT(display_name, email, id, is_state_staff)', 'unexpected: app_town users UPDATE(is_state_staff)', 'missing: app_town users SELECT(display_name, email, id)']);
  });

  it('code in a town scope cannot update users, read password hashes or sessions, or read any outbox row', async () => {
    const town = (await townBySlug('somerville')).id;
    const victim = await createUser();
    await expectDenied(withTown(town, (tx) => tx.update(users).set({ isStateStaff: true }).where(eq(users.id, victim.id))));
    await expectDenied(withTown(town, (tx) => tx.execute(sql`select password_hash from users limit 1`)));
    await expectDenied(withTown(town, (tx) => tx.execute(sql`select id from sessions limit 1`)));
    await expectDenied(withTown(town, (tx) => tx.select({ id: outboxMessages.id }).from(outboxMessages)));
    expect(await withTown(town, (tx) => tx.select({ email: users.email }).from(users).where(eq(users.id, victim.id)))).toEqual([{ email: victim.email }]);
  });

  it('state oversight reads town rows and non-secret user columns, never secrets or mail', async () => {
    await expectDenied(withStateOversight((tx) => tx.execute(sql`select password_hash from users limit 1`)));
    for (const table of ['sessions', 'email_tokens', 'pending_sign_ups', 'rate_limit_counters', 'outbox_messages', 'dev_mailbox']) {
      await expectDenied(withStateOversight((tx) => tx.execute(sql`select 1 from ${sql.identifier(table)} limit 1`)), table);
    }
    await expectDenied(withStateOversight((tx) => tx.execute(sql`update towns set name = name`)));
  });

  it('nobody at run time can make an account state staff, not even the identity role', async () => {
    const victim = await createUser();
    await expectDenied(withIdentity((tx) => tx.update(users).set({ isStateStaff: true }).where(eq(users.id, victim.id))));
    await expectDenied(
      withIdentity((tx) => tx.execute(sql`insert into users (id, email, password_hash, is_state_staff) values (${uuidv7()}, ${`x-${uuidv7()}@example.com`}, 'x', true)`)),
    );
  });

  it('program administration writes towns and their lifecycle facts, and reads no town data or account', async () => {
    for (const table of ['service_requests', 'categories', 'memberships', 'audit_log', 'users', 'outbox_messages']) {
      await expectDenied(withProgramAdministration((tx) => tx.execute(sql`select 1 from ${sql.identifier(table)} limit 1`)), table);
    }
    await expectDenied(withProgramAdministration((tx) => tx.execute(sql`update towns set welcome_message = 'x'`)), 'a town profile column');
    await expectDenied(withProgramAdministration((tx) => tx.execute(sql`delete from towns where false`)), 'deleting a town');
    const somerville = (await townBySlug('somerville')).id;
    // The lifecycle columns it may write, written and rolled back.
    const rolledBack = new Error('rolled back');
    await expect(
      withProgramAdministration(async (tx) => {
        await tx.execute(sql`update towns set left_program_at = now() where id = ${somerville}`);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    // A town's admin cannot write them for its own town, nor the grant term.
    await expectDenied(withTown(somerville, (tx) => tx.execute(sql`update towns set live_since = now() where id = ${somerville}`)), 'live_since as app_town');
    await expectDenied(withTown(somerville, (tx) => tx.execute(sql`update towns set grant_end = grant_end where id = ${somerville}`)), 'grant_end as app_town');
  });

  it('billing writes subscriptions, invoices and notices, reads the accounts it emails, and no town data or secret', async () => {
    for (const table of ['service_requests', 'categories', 'memberships', 'audit_log', 'outbox_messages', 'sessions']) {
      await expectDenied(withBilling((tx) => tx.execute(sql`select 1 from ${sql.identifier(table)} limit 1`)), table);
    }
    await expectDenied(withBilling((tx) => tx.execute(sql`select password_hash from users limit 1`)), 'password hashes');
    await expectDenied(withBilling((tx) => tx.execute(sql`update towns set grant_end = grant_end`)), 'the grant term');
    await expectDenied(withBilling((tx) => tx.execute(sql`delete from town_subscriptions where false`)), 'deleting a subscription');
  });

  it('state staff record purchase orders, never card subscriptions; a town cannot write its own billing', async () => {
    const somerville = (await townBySlug('somerville')).id;
    const period = { townId: somerville, status: 'active', periodStart: new Date(), periodEnd: new Date(Date.now() + 86_400_000) };
    const rolledBack = new Error('rolled back');
    await expect(
      withProgramAdministration(async (tx) => {
        await tx.insert(townSubscriptions).values({ ...period, id: uuidv7(), source: 'purchase_order', purchaseOrderNumber: 'PO-1', amountCents: 100 });
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    await expect(withProgramAdministration((tx) => tx.insert(townSubscriptions).values({ ...period, id: uuidv7(), source: 'stripe', stripeSubscriptionId: `sub_${uuidv7()}` }))).rejects.toThrow();
    await expectDenied(withTown(somerville, (tx) => tx.insert(townSubscriptions).values({ ...period, id: uuidv7(), source: 'purchase_order' })), 'app_town insert');
    await expectDenied(withTown(somerville, (tx) => tx.execute(sql`update towns set stripe_customer_id = 'cus_x' where id = ${somerville}`)), 'stripe_customer_id as app_town');
  });

  it('the program categories are read by the town and state roles and written by none', async () => {
    const town = (await townBySlug('somerville')).id;
    const probe = { code: `probe-${uuidv7().slice(-8)}`, name: 'Probe', description: 'Probe', defaultTargetDays: 1, sortOrder: 99 };
    expect((await withTown(town, (tx) => tx.select({ code: programCategories.code }).from(programCategories))).length).toBeGreaterThan(0);
    expect((await withStateOversight((tx) => tx.select({ code: programCategories.code }).from(programCategories))).length).toBeGreaterThan(0);
    for (const [label, scope] of [
      ['app_town', (fn: (tx: Tx) => Promise<unknown>) => withTown(town, fn)],
      ['app_state', withStateOversight],
      ['app_resident', (fn: (tx: Tx) => Promise<unknown>) => withResident(uuidv7(), fn)],
      ['app_identity', withIdentity],
      ['app_delivery', withDelivery],
      ['app_program', withProgramAdministration],
      ['app_billing', withBilling],
    ] as const) {
      await expectDenied(scope((tx) => tx.insert(programCategories).values(probe)), `${label} insert`);
      await expectDenied(scope((tx) => tx.update(programCategories).set({ name: 'Renamed' })), `${label} update`);
      await expectDenied(scope((tx) => tx.delete(programCategories)), `${label} delete`);
    }
  });

  it('identity writes only account mail; delivery reads mail and webhook endpoints, nothing else', async () => {
    const town = (await townBySlug('somerville')).id;
    await expect(withIdentity((tx) => tx.insert(outboxMessages).values({ townId: town, kind: 'email', payload: {} }))).rejects.toThrow();
    await expectDenied(withIdentity((tx) => tx.select({ id: outboxMessages.id }).from(outboxMessages)));
    await expectDenied(withDelivery((tx) => tx.execute(sql`select email from users limit 1`)));
    await expectDenied(withDelivery((tx) => tx.execute(sql`select id from service_requests limit 1`)));
  });
});

/**
 * The two-town matrix, generated from the catalog: every table with a `town_id` column must have a
 * case here (the first test fails naming any that does not), and each check follows what the
 * catalog grants the town and state roles, so a privilege the role lacks must be refused outright.
 */
type TableCase = {
  table: Parameters<Tx['insert']>[0] & { townId: AnyPgColumn };
  insertFor: (townId: number) => Promise<Row>;
  updateColumn: { set: Row };
  /** Rows the town role may only read are written by billing (the webhooks, the notices job). */
  writtenByBilling?: true;
};

/** A request row for `townId`, using one of that town's categories. */
async function requestRowFor(townId: number): Promise<Row> {
  const [category] = await withTown(townId, (tx) => tx.select({ id: categories.id }).from(categories).limit(1));
  const number = Math.floor(Math.random() * 1e8) + 1_000_000;
  return {
    townId,
    id: uuidv7(),
    number,
    trackingNumber: `RLS-${number}`,
    categoryId: category!.id,
    description: 'RLS probe',
    lat: 42.38,
    lng: -71.1,
    locationSource: 'coordinates',
    idempotencyKey: uuidv7(),
  };
}

/** An existing request of `townId`, inserted as that town, for child-table rows to point at. */
async function existingRequestId(townId: number): Promise<string> {
  const row = await requestRowFor(townId);
  await withTown(townId, (tx) => tx.insert(serviceRequests).values(row as never));
  return row.id as string;
}

/** A row of the state rollup or of its pending changes, at a value no request produces. */
async function rollupRowFor(townId: number) {
  const [category] = await withTown(townId, (tx) => tx.select({ id: categories.id }).from(categories).limit(1));
  return { townId, day: '2026-01-05', categoryId: category!.id, measure: 'ack_hours' as const, value: Math.floor(Math.random() * 1e8) + 1_000_000, n: 1 };
}

const ISOLATION_CASES: Record<string, () => TableCase> = {
  categories: () => ({
    table: categories,
    insertFor: async (townId) => ({ townId, id: uuidv7(), code: `rls-${uuidv7().slice(-8)}`, name: 'RLS probe', group: 'Test', programCategory: 'other', targetDays: 3 }),
    updateColumn: { set: { name: 'changed by another town' } },
  }),
  memberships: () => ({
    table: memberships,
    insertFor: async (townId) => ({ townId, userId: (await createUser()).id, role: 'staff' }),
    updateColumn: { set: { role: 'admin' } },
  }),
  service_requests: () => ({
    table: serviceRequests,
    insertFor: requestRowFor,
    updateColumn: { set: { description: 'changed by another town' } },
  }),
  request_photos: () => ({
    table: requestPhotos,
    insertFor: async (townId) => ({
      townId,
      id: uuidv7(),
      requestId: await existingRequestId(townId),
      displayKey: 'requests/x/y.webp',
      thumbnailKey: 'requests/x/y-thumb.webp',
      width: 10,
      height: 10,
      sortOrder: 0,
    }),
    updateColumn: { set: { displayKey: 'requests/other/town.webp' } },
  }),
  request_events: () => ({
    table: requestEvents,
    insertFor: async (townId) => ({ townId, id: uuidv7(), requestId: await existingRequestId(townId), kind: 'public_reply', public: true, message: 'probe' }),
    updateColumn: { set: { message: 'changed by another town' } },
  }),
  request_followers: () => ({
    table: requestFollowers,
    insertFor: async (townId) => ({ townId, id: uuidv7(), requestId: await existingRequestId(townId), email: `f-${uuidv7()}@example.com`, unsubscribeToken: uuidv7() }),
    updateColumn: { set: { email: 'changed@example.com' } },
  }),
  departments: () => ({
    table: departments,
    insertFor: async (townId) => ({ townId, id: uuidv7(), name: `Dept ${uuidv7()}`, email: 'dpw@example.gov' }),
    updateColumn: { set: { email: 'changed@example.gov' } },
  }),
  response_templates: () => ({
    table: responseTemplates,
    insertFor: async (townId) => ({ townId, id: uuidv7(), title: 'Fixed', body: 'Thanks, fixed.' }),
    updateColumn: { set: { body: 'changed by another town' } },
  }),
  staff_invitations: () => ({
    table: staffInvitations,
    insertFor: async (townId) => ({ townId, id: uuidv7(), email: 'new@example.gov', role: 'staff', tokenHash: uuidv7(), expiresAt: new Date(Date.now() + 86_400_000) }),
    updateColumn: { set: { role: 'admin' } },
  }),
  api_keys: () => ({
    table: apiKeys,
    insertFor: async (townId) => ({ townId, id: uuidv7(), name: 'Work orders', keyHash: uuidv7(), keyPrefix: 'probe', scopes: ['requests.create'] }),
    updateColumn: { set: { revokedAt: new Date() } },
  }),
  webhook_endpoints: () => ({
    table: webhookEndpoints,
    insertFor: async (townId) => ({ townId, id: uuidv7(), url: 'https://hooks.example.org/probe', events: ['request.created'], secret: 'whsec_probe' }),
    updateColumn: { set: { enabled: false } },
  }),
  open311_update_receipts: () => ({
    table: open311UpdateReceipts,
    insertFor: async (townId) => {
      const keyId = uuidv7();
      await withTown(townId, (tx) => tx.insert(apiKeys).values({ townId, id: keyId, name: 'Back office', keyHash: uuidv7(), keyPrefix: 'probe', scopes: ['updates.create'] }));
      const request = await requestRowFor(townId);
      await withTown(townId, (tx) => tx.insert(serviceRequests).values(request as typeof serviceRequests.$inferInsert));
      return { townId, apiKeyId: keyId, updateId: uuidv7(), id: uuidv7(), requestId: request.id, status: 'FIXED' };
    },
    updateColumn: { set: { status: 'OPEN' } },
  }),
  webhook_deliveries: () => ({
    table: webhookDeliveries,
    insertFor: async (townId) => {
      const endpointId = uuidv7();
      await withTown(townId, (tx) => tx.insert(webhookEndpoints).values({ townId, id: endpointId, url: 'https://hooks.example.org/probe', events: ['request.created'], secret: 'whsec_probe' }));
      const eventId = uuidv7();
      return { townId, id: uuidv7(), endpointId, eventId, eventType: 'request.created', event: { id: eventId } };
    },
    updateColumn: { set: { status: 'delivered' } },
  }),
  audit_log: () => ({
    table: auditLog,
    insertFor: async (townId) => ({ townId, id: uuidv7(), action: 'probe', entityType: 'test', entityId: uuidv7() }),
    updateColumn: { set: { action: 'tampered' } },
  }),
  request_daily_stats: () => ({
    table: requestDailyStats,
    insertFor: rollupRowFor,
    updateColumn: { set: { n: 999 } },
  }),
  request_daily_stat_changes: () => ({
    table: requestDailyStatChanges,
    insertFor: rollupRowFor,
    // app_town has no UPDATE here: the matrix expects the update to be refused by privilege.
    updateColumn: { set: { n: 999 } },
  }),
  town_counters: () => ({
    table: townCounters,
    insertFor: async (townId) => ({ townId, name: `probe-${uuidv7()}`, value: 1 }),
    updateColumn: { set: { value: 999_999 } },
  }),
  town_subscriptions: () => ({
    table: townSubscriptions,
    insertFor: async (townId) => ({
      townId,
      id: uuidv7(),
      source: 'stripe',
      status: 'active',
      periodStart: new Date(),
      periodEnd: new Date(Date.now() + 365 * 86_400_000),
      stripeSubscriptionId: `sub_${uuidv7()}`,
    }),
    updateColumn: { set: { status: 'canceled' } },
    writtenByBilling: true,
  }),
  town_invoices: () => ({
    table: townInvoices,
    insertFor: async (townId) => ({ townId, stripeInvoiceId: `in_${uuidv7()}`, status: 'paid', amountDueCents: 490_000, amountPaidCents: 490_000, currency: 'usd', stripeStateAt: new Date() }),
    updateColumn: { set: { amountPaidCents: 0 } },
    writtenByBilling: true,
  }),
  lifecycle_notices: () => ({
    table: lifecycleNotices,
    insertFor: async (townId) => ({ townId, kind: 'grace', serviceEnd: `20${Math.floor(Math.random() * 70) + 30}-01-01`, emailed: true }),
    updateColumn: { set: { emailed: false } },
    writtenByBilling: true,
  }),
  request_tokens: () => ({
    table: requestTokens,
    insertFor: async (townId) => ({
      townId,
      id: uuidv7(),
      requestId: await existingRequestId(townId),
      purpose: 'manage',
      tokenHash: uuidv7(),
      email: 'reporter@example.com',
      expiresAt: new Date(Date.now() + 86_400_000),
    }),
    updateColumn: { set: { usedAt: new Date() } },
  }),
  request_fixed_checks: () => ({
    table: requestFixedChecks,
    insertFor: async (townId) => ({ townId, requestId: await existingRequestId(townId), closedAt: new Date(), recipients: 1 }),
    // app_town has no UPDATE here: the matrix expects the update to be refused by privilege.
    updateColumn: { set: { recipients: 9 } },
  }),
  town_closure_days: () => ({
    table: townClosureDays,
    insertFor: async (townId) => ({ townId, day: `20${Math.floor(Math.random() * 60) + 40}-0${Math.floor(Math.random() * 9) + 1}-1${Math.floor(Math.random() * 9)}`, name: 'Probe closure' }),
    // app_town has no UPDATE here: the matrix expects the update to be refused by privilege.
    updateColumn: { set: { name: 'changed by another town' } },
  }),
  request_overdue_notices: () => ({
    table: requestOverdueNotices,
    insertFor: async (townId) => ({ townId, requestId: await existingRequestId(townId), dueAt: new Date(), recipients: 1 }),
    updateColumn: { set: { recipients: 9 } },
  }),
  staff_digests: () => ({
    table: staffDigests,
    insertFor: async (townId) => ({ townId, userId: (await createUser()).id, day: '2031-03-04', requests: 1 }),
    updateColumn: { set: { requests: 9 } },
  }),
  saved_queue_views: () => ({
    table: savedQueueViews,
    insertFor: async (townId) => ({ townId, id: uuidv7(), ownerUserId: (await createUser()).id, name: `View ${uuidv7()}`, query: 'overdue=1', shared: true }),
    // app_town has no UPDATE here: the matrix expects the update to be refused by privilege.
    updateColumn: { set: { name: 'changed by another town' } },
  }),
  request_search_words: () => ({
    table: requestSearchWords,
    // An earlier case's request: a new one would add its own words (the trigger) and change the count the matrix compares.
    insertFor: async (townId) => ({ townId, word: `probe${uuidv7().slice(-8)}`, status: 'submitted', requestId: (await withTown(townId, (tx) => tx.select({ id: serviceRequests.id }).from(serviceRequests).limit(1)))[0]?.id ?? (await existingRequestId(townId)) }),
    updateColumn: { set: { status: 'fixed' } },
  }),
  outbox_messages: () => ({
    table: outboxMessages,
    insertFor: async (townId) => ({ townId, kind: 'email', payload: { to: `probe-${uuidv7()}@example.com`, subject: 'probe', text: 'probe', html: 'probe' } }),
    updateColumn: { set: { status: 'failed' } },
  }),
};

it('every table with a town_id column has a case in the two-town matrix', async () => {
  const tables = await ownerQuery(sql`
    select c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
      and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'town_id' and not a.attisdropped)`);
  const missing = tables.map((t) => String(t.table)).filter((t) => !(t in ISOLATION_CASES));
  expect(missing, `tables without a two-town isolation case: ${missing.join(', ')}`).toEqual([]);
  expect(Object.keys(ISOLATION_CASES).sort()).toEqual(tables.map((t) => String(t.table)).sort());
});

/** Table privileges a role holds (table-level or on any column), from the catalog. */
async function privilegesOf(role: string, table: string): Promise<Set<string>> {
  const result = await ownerQuery(sql`
    select p.privilege from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE']) as p(privilege)
    where has_table_privilege(${role}, ${table}, p.privilege) or (p.privilege <> 'DELETE' and has_any_column_privilege(${role}, ${table}, p.privilege))`);
  return new Set(result.map((r) => String(r.privilege)));
}

const ownerRowsOf = (table: string, townId: number) => ownerQuery(sql`select * from ${sql.identifier(table)} where town_id = ${townId}`);

describe.each(Object.keys(ISOLATION_CASES))('two-town isolation: %s', (name) => {
  let c: TableCase;
  let townA: number;
  let townB: number;
  let town: Set<string>;
  let state: Set<string>;

  beforeAll(async () => {
    c = ISOLATION_CASES[name]!();
    townA = (await townBySlug('somerville')).id;
    townB = (await townBySlug('malden')).id;
    town = await privilegesOf('app_town', name);
    state = await privilegesOf('app_state', name);
    const rowA = await c.insertFor(townA);
    const rowB = await c.insertFor(townB);
    const write = (townId: number, row: Row) =>
      c.writtenByBilling ? withBilling((tx) => tx.insert(c.table).values(row as never)) : withTown(townId, (tx) => tx.insert(c.table).values(row as never));
    await write(townA, rowA);
    await write(townB, rowB);
  });

  it(`town A sees only its own rows, or may not read at all`, async () => {
    const read = withTown(townA, (tx) => tx.select({ townId: c.table.townId }).from(c.table));
    if (!town.has('SELECT')) return expectDenied(read, `${name}: app_town has no SELECT`);
    const seen = await read;
    expect(seen.length, `${name}: town A sees its own rows`).toBeGreaterThan(0);
    expect(new Set(seen.map((r) => r.townId)), `${name}: only town A's rows`).toEqual(new Set([townA]));
  });

  it(`town A cannot insert a row for town B`, async () => {
    const before = (await ownerRowsOf(name, townB)).length;
    const row = await c.insertFor(townB);
    await expect(withTown(townA, (tx) => tx.insert(c.table).values(row as never)), `${name}: insert for town B`).rejects.toThrow();
    expect((await ownerRowsOf(name, townB)).length, `${name}: town B's rows unchanged`).toBe(before);
  });

  it(`town A's updates and deletes of town B's rows affect nothing`, async () => {
    const before = await ownerRowsOf(name, townB);
    const update = () => withTown(townA, (tx) => tx.update(c.table).set(c.updateColumn.set as never).where(eq(c.table.townId, townB)).returning({ townId: c.table.townId }));
    const remove = () => withTown(townA, (tx) => tx.delete(c.table).where(eq(c.table.townId, townB)).returning({ townId: c.table.townId }));
    if (town.has('UPDATE') && town.has('SELECT')) expect(await update(), `${name}: update of town B`).toHaveLength(0);
    else await expectDenied(update(), `${name}: app_town may not update`);
    if (town.has('DELETE') && town.has('SELECT')) expect(await remove(), `${name}: delete of town B`).toHaveLength(0);
    else await expectDenied(remove(), `${name}: app_town may not delete`);
    expect(await ownerRowsOf(name, townB), `${name}: town B's rows unchanged`).toEqual(before);
  });

  it(`town A cannot move its own row into town B`, async () => {
    await expect(
      withTown(townA, (tx) => tx.update(c.table).set({ townId: townB } as never).where(eq(c.table.townId, townA))),
      `${name}: move into town B`,
    ).rejects.toThrow();
  });

  it(`no town set means no rows, and no writes`, async () => {
    const read = withGlobal((tx) => tx.select({ townId: c.table.townId }).from(c.table));
    if (town.has('SELECT')) expect(await read, `${name}: rows with no town set`).toHaveLength(0);
    else await expectDenied(read, `${name}: app_town has no SELECT`);
    const row = await c.insertFor(townA);
    await expect(withGlobal((tx) => tx.insert(c.table).values(row as never)), `${name}: insert with no town set`).rejects.toThrow();
  });

  it(`state oversight reads every town (or nothing at all) and cannot write`, async () => {
    const read = withStateOversight((tx) => tx.select({ townId: c.table.townId }).from(c.table).where(and(sql`${c.table.townId} in (${townA}, ${townB})`)));
    if (state.has('SELECT')) expect(new Set((await read).map((r) => r.townId)), `${name}: state sees both towns`).toEqual(new Set([townA, townB]));
    else await expectDenied(read, `${name}: app_state has no SELECT`);
    expect([...state].filter((p) => p !== 'SELECT'), `${name}: app_state holds only SELECT`).toEqual([]);
    const row = await c.insertFor(townA);
    await expect(withStateOversight((tx) => tx.insert(c.table).values(row as never)), `${name}: state insert`).rejects.toThrow();
  });
});

describe('claiming (withVerifiedEmail)', () => {
  it('shows only the reports and follows filed under that address alone, in any town, and writes nothing', async () => {
    const malden = (await townBySlug('malden')).id;
    const somerville = (await townBySlug('somerville')).id;
    const address = `claim-${uuidv7().slice(-12)}@example.com`;
    const unclaimed: Row = { ...(await requestRowFor(malden)), reporterEmail: address.toUpperCase() };
    const claimed: Row = { ...(await requestRowFor(somerville)), reporterEmail: address, reporterUserId: (await createUser()).id };
    const someoneElses: Row = { ...(await requestRowFor(somerville)), reporterEmail: 'someone-else@example.com' };
    for (const row of [unclaimed, claimed, someoneElses]) await withTown(row.townId as number, (tx) => tx.insert(serviceRequests).values(row as never));

    const seen = await withVerifiedEmail(address, (tx) => tx.select({ id: serviceRequests.id }).from(serviceRequests));
    expect(seen.map((r) => r.id)).toEqual([unclaimed.id]);
    expect(await withVerifiedEmail('', (tx) => tx.select({ id: serviceRequests.id }).from(serviceRequests))).toEqual([]);
    await expectDenied(withVerifiedEmail(address, (tx) => tx.update(serviceRequests).set({ reporterUserId: null })), 'claiming as app_resident');
    await expectDenied(withVerifiedEmail(address, (tx) => tx.select({ id: requestTokens.id }).from(requestTokens)), 'emailed links');
  });
});

describe('resident scope ("my requests")', () => {
  it('reads only the resident’s own requests, in any town, and writes nothing', async () => {
    const somerville = (await townBySlug('somerville')).id;
    const malden = (await townBySlug('malden')).id;
    const resident = await createUser();
    const mine: Row = { ...(await requestRowFor(malden)), reporterUserId: resident.id };
    await withTown(malden, (tx) => tx.insert(serviceRequests).values(mine as never));
    await existingRequestId(somerville);

    const seen = await withResident(resident.id, (tx) => tx.select({ id: serviceRequests.id }).from(serviceRequests));
    expect(seen.map((r) => r.id)).toEqual([mine.id]);
    // The resident role has no write grant at all.
    await expect(withResident(resident.id, (tx) => tx.update(serviceRequests).set({ description: 'edited' }))).rejects.toThrow();
    const another = await requestRowFor(malden);
    await expect(withResident(resident.id, (tx) => tx.insert(serviceRequests).values(another as never))).rejects.toThrow();
  });
});
