import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql, type ExtractTablesWithRelations, type Logger, type RelationalSchemaConfig, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgDialect, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres, PostgresJsSession, PostgresJsTransaction, type PostgresJsSessionOptions } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { isTransactionAborted } from './errors';
import { selectRows } from './rows';
import * as schema from './schema';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
type Relations = ExtractTablesWithRelations<typeof schema>;
export type Tx = PgTransaction<PgQueryResultHKT, typeof schema, Relations>;
/** Settings for one transaction only (`set_config(name, value, true)`): the role and the scope's keys. */
export type TransactionSettings = Readonly<Record<string, string>>;
export type DatabaseHandle = {
  db: Database;
  driver: 'pglite' | 'postgres';
  close: () => Promise<void>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel`, and `onListen` each time the listening
   * connection is (re)established: a notification sent while it was down is lost.
   */
  listen: (channel: string, onNotify: () => void, onListen: () => void) => Promise<() => Promise<void>>;
};

let current: DatabaseHandle | undefined;

export function openPostgres(url: string, options: { max?: number } = {}): DatabaseHandle {
  const countStatements = process.env.BENCH_COUNT_STATEMENTS === '1' ? statementCounter() : undefined;
  return openPostgresClient(postgres(url, { max: options.max ?? 10, onnotice: () => {}, debug: countStatements }));
}

/**
 * For the HTTP benchmark (scripts/bench/http.ts) only: counts what this process sends and prints
 * the totals on SIGUSR2, so statements and transactions per request are measured in the real
 * server. Nothing reads them but the benchmark; no HTTP endpoint exposes them.
 */
function statementCounter(): (connection: number, query: string) => void {
  const counts = { statements: 0, transactions: 0 };
  process.on('SIGUSR2', () => console.log(`bench-statement-count ${JSON.stringify(counts)}`));
  return (_connection, query) => {
    // Several statements in one message (inOneMessage) are one implicit transaction.
    const parts = query.split(/;\s*/).filter(Boolean);
    if (parts.length > 1) {
      counts.transactions += 1;
      counts.statements += parts.length;
      return;
    }
    const keyword = /^\s*(\w+)/.exec(query)?.[1]?.toLowerCase();
    if (keyword === 'begin') counts.transactions += 1;
    else if (keyword !== 'commit' && keyword !== 'rollback') counts.statements += 1;
  };
}

/**
 * The client as drizzle should see it: every statement prepared. Drizzle asks postgres.js for an
 * unnamed statement unless the query is named, and postgres.js then sends each statement with
 * parameters twice (Parse and Describe, a wait for the parameter types, then Bind and Execute):
 * two round trips and a fresh parse and plan every time. Prepared, each is one round trip after its
 * first use on a connection, and PostgreSQL reuses the plan.
 */
function preparingEveryStatement<T extends postgres.Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, parameters, { ...options, prepare: true });
      }
      // A transaction, or a savepoint inside one (drizzle's nested transaction), hands its body a new client.
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: postgres.TransactionSql) => unknown;
          const open = Reflect.get(target, property) as (...a: unknown[]) => unknown;
          return open(...args, (tx: postgres.TransactionSql) => body(preparingEveryStatement(tx)));
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

export function openPostgresClient(client: postgres.Sql): DatabaseHandle {
  const subscriptions: Promise<() => Promise<void>>[] = [];
  return {
    db: drizzlePostgres(preparingEveryStatement(client), { schema }) as unknown as Database,
    driver: 'postgres',
    // Unlisten first: ending with a channel still subscribed makes postgres.js re-listen on the
    // closing connection, and end() then never settles.
    close: async () => {
      await Promise.allSettled(subscriptions.map(async (subscription) => (await subscription)()));
      await client.end();
    },
    // postgres.js keeps one extra connection for LISTEN and re-subscribes after it drops.
    listen: (channel, onNotify, onListen) => {
      const subscription = client.listen(channel, onNotify, onListen).then(({ unlisten }) => unlisten);
      subscriptions.push(subscription);
      return subscription;
    },
  };
}

/** A PGlite with the extensions the migrations create (pg_trgm for text search, btree_gist for the request list's location index). */
export function createPglite(options: Omit<PGliteOptions, 'extensions'> & { dataDir?: string } = {}): PGlite {
  return new PGlite({ ...options, extensions: { btree_gist, pg_trgm } });
}

export function openPglite(client: PGlite): DatabaseHandle {
  return {
    db: drizzlePglite(client, { schema }) as unknown as Database,
    driver: 'pglite',
    close: () => client.close(),
    listen: async (channel, onNotify, onListen) => {
      const unlisten = await client.listen(channel, onNotify);
      onListen();
      return () => unlisten();
    },
  };
}

/** What drizzle keeps inside its postgres.js database and hands to each transaction it opens. */
type PostgresJsInternals = {
  dialect: PgDialect;
  session: { client: postgres.Sql; schema: RelationalSchemaConfig<Relations>; options: PostgresJsSessionOptions; logger: Logger };
};

/** `set_config(name, value, true)` for each setting, in one statement: they hold until the transaction ends. */
export function settingsStatement(settings: TransactionSettings): SQL {
  const names = Object.keys(settings);
  if (names.length === 0 || names.some((name) => !/^[a-z_.]+$/.test(name))) throw new Error(`invalid transaction settings ${names.join(', ')}`);
  // The names are the code's own, written out so that logs show which scope a transaction is.
  return sql`select ${sql.join(
    names.map((name) => sql`set_config(${sql.raw(`'${name}'`)}, ${settings[name]}, true)`),
    sql`, `,
  )}`;
}

/** `readOnly`: the transaction refuses every write (BEGIN READ ONLY) and, on PostgreSQL, ends without waiting for its COMMIT. */
export type TransactionOptions = { readOnly?: boolean };

/**
 * Runs `fn` in a transaction of `handle` whose first statement applies `settings`. On PostgreSQL
 * BEGIN and the settings are sent before `fn` starts but not waited for, so they reach the server
 * together with `fn`'s first statement, in one round trip, and always ahead of it: if they fail,
 * every statement after them fails and the transaction rolls back with their error.
 */
export function inTransaction<T>(handle: DatabaseHandle, settings: TransactionSettings, fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if (handle.driver === 'pglite') {
    // SET TRANSACTION READ ONLY as a setting, in the same statement rather than one more.
    const statement = settingsStatement(options.readOnly ? { ...settings, transaction_read_only: 'on' } : settings);
    return inTurnOfItsOwn(handle, () =>
      handle.db.transaction(async (tx) => {
        await tx.execute(statement);
        return fn(tx as Tx);
      }),
    );
  }
  return inPipelinedTransaction(handle.db as unknown as PostgresJsInternals, settingsStatement(settings), fn, options.readOnly ?? false);
}

const pgliteTurns = new WeakMap<DatabaseHandle, Promise<unknown>>();

/**
 * PGlite runs on this thread and answers in microtasks, so transactions waiting for it used to run
 * one after another within a single turn of the event loop, and Node accepted and read new
 * connections only between turns: under 50 concurrent submissions a turn took 200–400 ms and took in
 * one new connection, and the last of a burst waited 3–6 s. Each transaction now starts in a turn of
 * its own, after the one before it (PGlite runs one at a time anyway).
 */
function inTurnOfItsOwn<T>(handle: DatabaseHandle, run: () => Promise<T>): Promise<T> {
  const turn = (pgliteTurns.get(handle) ?? Promise.resolve()).then(() => new Promise((resolve) => setImmediate(resolve))).then(run);
  pgliteTurns.set(handle, turn.catch(() => undefined));
  return turn;
}

/** What postgres.js's pool keeps of a connection: `reserved` is this reservation's until the connection closes. */
type PooledConnection = { reserved: unknown };

/**
 * A transaction on a connection reserved from the pool, because postgres.js's own `begin` waits for
 * BEGIN's answer before it runs the body: a round trip of its own every time. A read-only one goes
 * back to the pool with its COMMIT still in flight (nothing written, nothing for it to refuse);
 * postgres.js sends the next statements on that connection behind it. It builds the drizzle
 * transaction the way drizzle's own `transaction` does.
 */
async function inPipelinedTransaction<T>({ dialect, session }: PostgresJsInternals, statement: SQL, fn: (tx: Tx) => Promise<T>, readOnly: boolean): Promise<T> {
  const reserved = await session.client.reserve();
  let connection: PooledConnection | undefined;
  let lease: unknown;
  // Once the connection closes, the pool has taken it back, and a statement written to it would throw outside any promise.
  const open = () => connection === undefined || connection.reserved === lease;
  // A statement's failure aborts the transaction even when `fn` catches it.
  let failure: unknown;
  let commitInFlight = false;
  const send = (text: string, parameters: postgres.ParameterOrJSON<never>[] = [], options: postgres.UnsafeQueryOptions = {}) => {
    if (!open()) throw new Error('the database connection closed during the transaction');
    const query = reserved.unsafe(text, parameters, { ...options, prepare: true });
    query.catch((error: unknown) => (failure ??= error));
    return query;
  };
  const onexecute = (pooled: PooledConnection) => {
    connection = pooled;
    lease = pooled.reserved;
    return true;
  };
  try {
    void send(readOnly ? 'begin read only' : 'begin', [], { onexecute } as postgres.UnsafeQueryOptions);
    const query = dialect.sqlToQuery(statement);
    session.logger.logQuery(query.sql, query.params);
    const configured = send(query.sql, query.params as string[]);
    const client = new Proxy(reserved, {
      get(target, property, receiver) {
        if (property === 'unsafe') return send;
        if (property === 'begin' || property === 'savepoint') throw new Error('a scope\'s transaction takes no nested transaction');
        return Reflect.get(target, property, receiver);
      },
    });
    // As drizzle's own transaction does (its types do not admit a ReservedSql as a session's client).
    const txSession = new PostgresJsSession(client as unknown as postgres.Sql, dialect, session.schema, session.options);
    const tx = new PostgresJsTransaction(dialect, txSession as unknown as ConstructorParameters<typeof PostgresJsTransaction>[1], session.schema) as unknown as Tx;
    let result: T;
    try {
      result = await fn(tx);
      await configured;
      if (failure !== undefined) throw failure;
      if (!readOnly) await send('commit');
    } catch (error) {
      if (open()) await send('rollback').catch(() => {});
      // When the settings failed, `fn` saw only "transaction aborted": report their error instead.
      await configured;
      throw isTransactionAborted(error) && failure !== undefined ? failure : error;
    }
    if (readOnly && open()) {
      void send('commit');
      commitInFlight = true;
    }
    return result;
  } finally {
    // postgres.js hands a query to its connection a microtask after it is sent, and the pool runs a
    // waiting query as soon as the connection is released: released now, that query would run
    // inside this transaction, ahead of the COMMIT.
    if (commitInFlight) setImmediate(() => open() && reserved.release());
    else if (open()) reserved.release();
  }
}

/**
 * Runs one statement under `settings` in a transaction of its own. On PostgreSQL the settings and the
 * statement go to the server as one message, a simple query of two statements, which PostgreSQL runs
 * as one implicit transaction: a row the statement locks is held only while the server runs it and
 * commits, never across a round trip. The simple protocol takes no parameters, so the values are
 * written into the text, and only numbers and plain names (letters, digits, `_`, `.`, `-`) are taken.
 */
export async function inOneMessage<T>(handle: DatabaseHandle, settings: TransactionSettings, statement: SQL): Promise<T[]> {
  const { dialect, session } = handle.db as unknown as PostgresJsInternals;
  // Inlining is safe for what no quote or backslash can be in: numbers and plain names (refused on both drivers alike).
  const values = [...Object.values(settings), ...dialect.sqlToQuery(statement).params];
  const unsafe = values.find((value) => !(typeof value === 'number' && Number.isFinite(value)) && !(typeof value === 'string' && /^[\w.-]*$/.test(value)));
  if (unsafe !== undefined) throw new Error(`inOneMessage takes numbers and plain names only, not ${JSON.stringify(unsafe)}`);
  if (handle.driver === 'pglite') return inTransaction(handle, settings, (tx) => selectRows<T>(tx, statement));
  const text = [settingsStatement(settings), statement].map((part) => dialect.sqlToQuery(part.inlineParams()).sql).join('; ');
  session.logger.logQuery(text, []);
  const results = (await session.client.unsafe(text)) as unknown as T[][];
  return results.at(-1)!;
}

/** DATABASE_URL selects a real PostgreSQL server; without it the embedded PGlite in DATA_DIR. */
function openConfiguredDatabase(): DatabaseHandle {
  const url = process.env.DATABASE_URL;
  // Validated with the rest of the environment at start-up (app/utils/env.server.ts); db/ sits below the app.
  if (url) return openPostgres(url, { max: Number(process.env.DATABASE_POOL_SIZE || 10) });
  const dir = path.resolve(process.env.DATA_DIR ?? './data', 'pglite');
  mkdirSync(dir, { recursive: true });
  return openPglite(createPglite({ dataDir: dir }));
}

/** One instance per process: PGlite allows a single opener of its data directory. */
export function getDatabase(): DatabaseHandle {
  current ??= openConfiguredDatabase();
  return current;
}

/** Tests and scripts hand in an already opened database (a cloned PGlite, a per-file Postgres). */
export function provideDatabase(handle: DatabaseHandle): void {
  current = handle;
}

export async function closeDatabase(): Promise<void> {
  const handle = current;
  current = undefined;
  await handle?.close();
}
