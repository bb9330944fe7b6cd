import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { desc, eq, inArray, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { inject } from 'vitest';
import { databaseUrlFor } from '../scripts/scratch-database';
import { getDatabase, inOneMessage, inTransaction, openPostgresClient, type DatabaseHandle, type TransactionOptions } from './client';
import { TOWN_ROLE } from './rls';
import { selectRows } from './rows';
import { townCounters, towns } from './schema';
import { READ_ONLY, withGlobal } from './scope';

describe('a scoped transaction', () => {
  it('runs its first statement under its settings, though they are not waited for on their own', async () => {
    const [row] = await inTransaction(getDatabase(), { role: TOWN_ROLE, 'app.town_id': '7' }, (tx) =>
      selectRows<{ role: string; town: string }>(tx, sql`select current_user::text as role, current_setting('app.town_id') as town`),
    );
    expect(row).toEqual({ role: TOWN_ROLE, town: '7' });
  });

  it('runs nothing when its settings fail, and says why', async () => {
    const renamed = inTransaction(getDatabase(), { role: 'no_such_role' }, (tx) => tx.update(towns).set({ name: 'Renamed' }).where(eq(towns.slug, 'somerville')));
    // Drizzle wraps the driver's error in `cause`.
    const error = (await renamed.catch((e: unknown) => e)) as Error;
    expect(String(error.cause ?? error)).toMatch(/role "no_such_role" does not exist/);
    const [somerville] = await withGlobal((tx) => tx.select({ name: towns.name }).from(towns).where(eq(towns.slug, 'somerville')));
    expect(somerville!.name).toBe('Somerville');
  });

  it('in one message: runs its statement under its settings, and under their row-level security', async () => {
    const [row] = await inOneMessage<{ role: string; town: string }>(getDatabase(), { role: TOWN_ROLE, 'app.town_id': '7' }, sql`select current_user::text as role, current_setting('app.town_id') as town`);
    expect(row).toEqual({ role: TOWN_ROLE, town: '7' });
    const [somerville, malden] = await withGlobal((tx) => tx.select({ id: towns.id }).from(towns).where(inArray(towns.slug, ['somerville', 'malden'])).orderBy(desc(towns.slug)));
    const intoMalden = inOneMessage(getDatabase(), { role: TOWN_ROLE, 'app.town_id': String(somerville!.id) }, sql`insert into ${townCounters} (town_id, name, value) values (${malden!.id}, 'probe', 1)`);
    const error = (await intoMalden.catch((e: unknown) => e)) as Error;
    expect(String(error.cause ?? error)).toMatch(/row-level security/);
  });

  it('in one message: a failing statement leaves nothing behind, and the connection goes on working', async () => {
    const failing = inOneMessage(getDatabase(), { role: TOWN_ROLE, 'app.town_id': '7' }, sql`select 1 / 0`);
    const error = (await failing.catch((e: unknown) => e)) as Error;
    expect(String(error.cause ?? error)).toMatch(/division by zero/);
    // Every connection of the pool, not only one that was not used: none is left in a failed transaction.
    for (let i = 0; i < 8; i++) {
      const [row] = await inOneMessage<{ ok: number }>(getDatabase(), { role: TOWN_ROLE }, sql`select 1 as ok`);
      expect(row).toEqual({ ok: 1 });
    }
  });

  it('in one message: takes numbers and plain names only, since it writes them into the text', async () => {
    const quoted = inOneMessage(getDatabase(), { role: TOWN_ROLE }, sql`select ${"x'; drop table towns; --"} as text`);
    await expect(quoted).rejects.toThrow(/numbers and plain names only/);
    await expect(inOneMessage(getDatabase(), { role: TOWN_ROLE, 'app.user_id': "o'brien" }, sql`select 1`)).rejects.toThrow(/numbers and plain names only/);
  });

  // PGlite runs in the process: it has no round trips to save and no statement cache to check.
  it.runIf(inject('database').driver === 'postgres')('prepares the statements drizzle sends, so the server parses and plans each once per connection', async () => {
    const prepared = await withGlobal(async (tx) => {
      await tx.select({ name: towns.name }).from(towns).where(eq(towns.slug, 'somerville'));
      return selectRows<{ statement: string }>(tx, sql`select statement from pg_prepared_statements`);
    });
    expect(prepared.map((row) => row.statement)).toContain('select "name" from "towns" where "towns"."slug" = $1');
  });
});

// PGlite runs on this thread: the server's other work has to get turns between its transactions.
it.runIf(inject('database').driver === 'pglite')('on PGlite, starts each transaction in a turn of the event loop of its own', async () => {
  let turn = 0;
  let ticking = true;
  const tick = () => {
    turn += 1;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const turns = await Promise.all(
    [1, 2, 3].map(() =>
      inTransaction(getDatabase(), { role: TOWN_ROLE }, async (tx) => {
        await tx.execute(sql`select 1`);
        return turn;
      }),
    ),
  );
  ticking = false;
  expect(new Set(turns).size).toBe(3);
});

describe('a transaction that only reads', () => {
  it('refuses every write, and writes nothing', async () => {
    const renamed = inTransaction(getDatabase(), { role: TOWN_ROLE }, (tx) => tx.update(towns).set({ name: 'Renamed' }).where(eq(towns.slug, 'somerville')), READ_ONLY);
    const error = (await renamed.catch((e: unknown) => e)) as Error;
    expect(String(error.cause ?? error)).toMatch(/read-only transaction/);
    const [somerville] = await withGlobal((tx) => tx.select({ name: towns.name }).from(towns).where(eq(towns.slug, 'somerville')));
    expect(somerville!.name).toBe('Somerville');
  });
});

/**
 * A TCP relay to the test's database that counts round trips: each time the client writes after
 * the server has answered, the client waited for that answer (or sent something after it).
 */
async function countingRelay(): Promise<{ url: string; turns: () => number; reset: () => void; close: () => Promise<void> }> {
  const database = inject('database');
  if (database.driver !== 'postgres') throw new Error('a relay needs the PostgreSQL server');
  const [{ name } = { name: '' }] = await withGlobal((tx) => selectRows<{ name: string }>(tx, sql`select current_database() as name`));
  const target = new URL(databaseUrlFor(database.serverUrl, name));
  const upstreamAt = { port: Number(target.port || 5432), host: target.hostname };
  let turns = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamAt.port, upstreamAt.host);
    let answered = true;
    client.on('data', (chunk) => {
      if (answered) turns += 1;
      answered = false;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      answered = true;
      client.write(chunk);
    });
    for (const [socket, other] of [[client, upstream], [upstream, client]] as const) {
      socket.on('close', () => other.destroy());
      socket.on('error', () => other.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.hostname = '127.0.0.1';
  target.port = String((server.address() as AddressInfo).port);
  return {
    url: target.toString(),
    turns: () => turns,
    reset: () => (turns = 0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// PGlite runs in the process: there is no connection to wait on or to lose.
describe.runIf(inject('database').driver === 'postgres')('a transaction on the PostgreSQL server', () => {
  let relay: Awaited<ReturnType<typeof countingRelay>>;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    relay = await countingRelay();
    handle = openPostgresClient(postgres(relay.url, { max: 1, onnotice: () => {} }));
  });
  afterAll(async () => {
    await handle.close();
    await relay.close();
  });
  const somervilleIds = () => withGlobal((tx) => tx.select({ id: towns.id }).from(towns).where(eq(towns.slug, 'somerville')));
  const somervilleName = (options?: TransactionOptions) =>
    inTransaction(handle, { role: TOWN_ROLE }, (tx) => tx.select({ name: towns.name }).from(towns).where(eq(towns.slug, 'somerville')), options);

  it('sends BEGIN, its settings and its first statement without waiting in between: one round trip, then the COMMIT', async () => {
    // The first use of a statement on a connection waits for its description; after that it is named.
    await somervilleName();
    relay.reset();
    expect(await somervilleName()).toEqual([{ name: 'Somerville' }]);
    expect(relay.turns()).toBe(2);
    // A read-only one answers after that one round trip; its COMMIT leaves afterwards, not waited for.
    relay.reset();
    expect(await somervilleName(READ_ONLY)).toEqual([{ name: 'Somerville' }]);
    expect(relay.turns()).toBe(1);
    await vi.waitFor(() => expect(relay.turns()).toBe(2));
  });

  it('ends a read-only transaction before its connection runs a statement that was waiting for it', async () => {
    const [somerville] = await somervilleIds();
    // The pool has one connection: the counter's message waits for the read to give it back.
    const [names, [counter]] = await Promise.all([
      somervilleName(READ_ONLY),
      inOneMessage<{ value: number }>(
        handle,
        { role: TOWN_ROLE, 'app.town_id': String(somerville!.id) },
        sql`insert into ${townCounters} (town_id, name, value) values (${somerville!.id}, 'probe', 1) returning value::integer as value`,
      ),
    ]);
    expect(names).toEqual([{ name: 'Somerville' }]);
    expect(counter).toEqual({ value: 1 });
  });

  it('fails with a statement\'s own error when the body caught it, and keeps nothing it wrote', async () => {
    const caught = inTransaction(handle, { 'app.probe': '1' }, async (tx) => {
      await tx.update(towns).set({ name: 'Renamed' }).where(eq(towns.slug, 'somerville'));
      await tx.execute(sql`select 1 / 0`).catch(() => null);
      return 'done';
    });
    const error = (await caught.catch((e: unknown) => e)) as Error;
    expect(String(error.cause ?? error)).toMatch(/division by zero/);
    expect(await somervilleName()).toEqual([{ name: 'Somerville' }]);
  });

  // Writing to the closed socket would throw outside any promise and end the process.
  it('refuses a statement sent after its connection closed, and the pool then opens a new one', async () => {
    const admin = postgres(relay.url, { max: 1, onnotice: () => {} });
    try {
      const late = inTransaction(handle, { 'app.probe': '1' }, async (tx) => {
        const [{ pid } = { pid: 0 }] = await selectRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
        await admin`select pg_terminate_backend(${pid})`;
        // Let the connection see its socket close before the next statement.
        await new Promise((resolve) => setTimeout(resolve, 200));
        return tx.execute(sql`select 1`);
      });
      const error = (await late.catch((e: unknown) => e)) as Error;
      expect(String(error.cause ?? error)).toMatch(/connection closed during the transaction/);
      expect(await somervilleName()).toEqual([{ name: 'Somerville' }]);
    } finally {
      await admin.end();
    }
  });
});
