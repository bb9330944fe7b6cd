import { and, eq, sql } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import {
  auditLog,
  categories,
  departments,
  memberships,
  requestEvents,
  requestFollowers,
  requestPhotos,
  responseTemplates,
  serviceRequests,
  staffInvitations,
  townCounters,
} from '#db/schema';
import { withAdmin, withGlobal, withResident, withTown, type Tx } from '#db/scope';
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
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'town_id' and not a.attisdropped)`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const k of keys) expect(k.first_column, String(k.table)).toBe('town_id');
  });

  it('the runtime roles are neither superuser nor BYPASSRLS, and do not own the tables', async () => {
    const roles = await ownerQuery(sql`select rolname, rolsuper, rolbypassrls from pg_roles where rolname in ('app_town', 'app_state', 'app_resident') order by rolname`);
    expect(roles).toEqual([
      { rolname: 'app_resident', rolsuper: false, rolbypassrls: false },
      { rolname: 'app_state', rolsuper: false, rolbypassrls: false },
      { rolname: 'app_town', rolsuper: false, rolbypassrls: false },
    ]);
    const owned = await ownerQuery(sql`select count(*)::int as n from pg_tables where schemaname = 'public' and tableowner in ('app_town', 'app_state', 'app_resident')`);
    expect(owned[0]!.n).toBe(0);
  });

  it('town queries are not OR-ed with the resident policy, so the town_id indexes serve them', async () => {
    const policies = await ownerQuery(sql`select polname, pg_get_userbyid(unnest(polroles)) as role from pg_policy where polrelid = 'service_requests'::regclass order by polname`);
    expect(policies).toEqual([
      { polname: 'resident_read', role: 'app_resident' },
      { polname: 'state_read', role: 'app_state' },
      { polname: 'town_isolation', role: 'app_town' },
    ]);
  });

  it('withTown and withAdmin really switch role', async () => {
    const town = await townBySlug('somerville');
    const inTown = asRows(await withTown(town.id, (tx) => rows(tx, sql`select current_user as who, app.current_town_id() as town`)));
    expect(inTown[0]).toEqual({ who: 'app_town', town: town.id });
    const inAdmin = asRows(await withAdmin((tx) => rows(tx, sql`select current_user as who`)));
    expect(inAdmin[0]).toEqual({ who: 'app_state' });
  });
});

/**
 * The two-town matrix, once per town-scoped table: `seed` writes a row for a town as that town,
 * `insertFor` builds a new row for a town, `key` picks the column the test updates.
 */
type TownTable =
  | typeof categories
  | typeof memberships
  | typeof serviceRequests
  | typeof requestPhotos
  | typeof requestEvents
  | typeof requestFollowers
  | typeof townCounters
  | typeof departments
  | typeof responseTemplates
  | typeof staffInvitations
  | typeof auditLog;
type TableCase = {
  name: string;
  table: TownTable;
  insertFor: (townId: number) => Promise<Row>;
  updateColumn: { set: Row };
  /** The app role may only append (no UPDATE/DELETE grant): changing rows fails outright. */
  appendOnly?: boolean;
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

describe.each<() => Promise<TableCase>>([
  async () => ({
    name: 'categories',
    table: categories,
    insertFor: async (townId) => ({ townId, id: uuidv7(), code: `rls-${uuidv7().slice(-8)}`, name: 'RLS probe', group: 'Test', targetDays: 3 }),
    updateColumn: { set: { name: 'changed by another town' } },
  }),
  async () => ({
    name: 'memberships',
    table: memberships,
    insertFor: async (townId) => ({ townId, userId: (await createUser()).id, role: 'staff' }),
    updateColumn: { set: { role: 'admin' } },
  }),
  async () => ({
    name: 'service_requests',
    table: serviceRequests,
    insertFor: requestRowFor,
    updateColumn: { set: { description: 'changed by another town' } },
  }),
  async () => ({
    name: 'request_photos',
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
  async () => ({
    name: 'request_events',
    table: requestEvents,
    insertFor: async (townId) => ({ townId, id: uuidv7(), requestId: await existingRequestId(townId), kind: 'public_reply', public: true, message: 'probe' }),
    updateColumn: { set: { message: 'changed by another town' } },
  }),
  async () => ({
    name: 'request_followers',
    table: requestFollowers,
    insertFor: async (townId) => ({ townId, id: uuidv7(), requestId: await existingRequestId(townId), email: `f-${uuidv7()}@example.com`, unsubscribeToken: uuidv7() }),
    updateColumn: { set: { email: 'changed@example.com' } },
  }),
  async () => ({
    name: 'departments',
    table: departments,
    insertFor: async (townId) => ({ townId, id: uuidv7(), name: `Dept ${uuidv7()}`, email: 'dpw@example.gov' }),
    updateColumn: { set: { email: 'changed@example.gov' } },
  }),
  async () => ({
    name: 'response_templates',
    table: responseTemplates,
    insertFor: async (townId) => ({ townId, id: uuidv7(), title: 'Fixed', body: 'Thanks, fixed.' }),
    updateColumn: { set: { body: 'changed by another town' } },
  }),
  async () => ({
    name: 'staff_invitations',
    table: staffInvitations,
    insertFor: async (townId) => ({ townId, id: uuidv7(), email: 'new@example.gov', role: 'staff', tokenHash: uuidv7(), expiresAt: new Date(Date.now() + 86_400_000) }),
    updateColumn: { set: { role: 'admin' } },
  }),
  async () => ({
    name: 'audit_log',
    table: auditLog,
    insertFor: async (townId) => ({ townId, id: uuidv7(), action: 'probe', entityType: 'test', entityId: uuidv7() }),
    updateColumn: { set: { action: 'tampered' } },
    appendOnly: true,
  }),
  async () => ({
    name: 'town_counters',
    table: townCounters,
    insertFor: async (townId) => ({ townId, name: `probe-${uuidv7()}`, value: 1 }),
    updateColumn: { set: { value: 999_999 } },
  }),
])('two-town isolation: table %#', (makeCase) => {
  let c: TableCase;
  let townA: number;
  let townB: number;
  let rowB: Row;

  beforeAll(async () => {
    c = await makeCase();
    townA = (await townBySlug('somerville')).id;
    townB = (await townBySlug('malden')).id;
    const rowA = await c.insertFor(townA);
    rowB = await c.insertFor(townB);
    await withTown(townA, (tx) => tx.insert(c.table).values(rowA as never));
    await withTown(townB, (tx) => tx.insert(c.table).values(rowB as never));
  });

  it(`town A sees only its own rows`, async () => {
    const seen = await withTown(townA, (tx) => tx.select({ townId: c.table.townId }).from(c.table));
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((r) => r.townId))).toEqual(new Set([townA]));
  });

  it(`town A cannot insert a row for town B`, async () => {
    const row = await c.insertFor(townB);
    await expect(withTown(townA, (tx) => tx.insert(c.table).values(row as never))).rejects.toThrow();
    const stillThere = await withTown(townB, (tx) => tx.select().from(c.table).where(eq(c.table.townId, townB)));
    expect(stillThere.some((r) => JSON.stringify(r).includes(String(Object.values(row)[1])))).toBe(false);
  });

  it(`town A's updates and deletes of town B's rows affect nothing`, async () => {
    if (c.appendOnly) {
      await expect(withTown(townA, (tx) => tx.update(c.table).set(c.updateColumn.set as never).where(eq(c.table.townId, townB)))).rejects.toThrow();
      await expect(withTown(townA, (tx) => tx.delete(c.table).where(eq(c.table.townId, townB)))).rejects.toThrow();
      expect((await withTown(townB, (tx) => tx.select().from(c.table))).length).toBeGreaterThan(0);
      return;
    }
    const updated = await withTown(townA, (tx) => tx.update(c.table).set(c.updateColumn.set as never).where(eq(c.table.townId, townB)).returning());
    expect(updated).toHaveLength(0);
    const deleted = await withTown(townA, (tx) => tx.delete(c.table).where(eq(c.table.townId, townB)).returning());
    expect(deleted).toHaveLength(0);
    const bRows = await withTown(townB, (tx) => tx.select().from(c.table));
    expect(bRows.length).toBeGreaterThan(0);
    for (const [column, value] of Object.entries(c.updateColumn.set)) expect(bRows.some((r) => (r as Row)[column] === value)).toBe(false);
  });

  it(`town A cannot move its own row into town B`, async () => {
    await expect(
      withTown(townA, (tx) => tx.update(c.table).set({ townId: townB } as never).where(eq(c.table.townId, townA))),
    ).rejects.toThrow();
  });

  it(`no town set means no rows, and no writes`, async () => {
    expect(await withGlobal((tx) => tx.select().from(c.table))).toHaveLength(0);
    const row = await c.insertFor(townA);
    await expect(withGlobal((tx) => tx.insert(c.table).values(row as never))).rejects.toThrow();
  });

  it(`state oversight reads every town but cannot write`, async () => {
    const seen = await withAdmin((tx) => tx.select({ townId: c.table.townId }).from(c.table).where(and(sql`${c.table.townId} in (${townA}, ${townB})`)));
    expect(new Set(seen.map((r) => r.townId))).toEqual(new Set([townA, townB]));
    const row = await c.insertFor(townA);
    await expect(withAdmin((tx) => tx.insert(c.table).values(row as never))).rejects.toThrow();
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
