import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
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
    const keyword = /^\s*(\w+)/.exec(query)?.[1]?.toLowerCase();
    if (keyword === 'begin') counts.transactions += 1;
    else if (keyword !== 'commit' && keyword !== 'rollback') counts.statements += 1;
  };
}

export function openPostgresClient(client: postgres.Sql): DatabaseHandle {
  const subscriptions: Promise<() => Promise<void>>[] = [];
  return {
    db: drizzlePostgres(client, { schema }) as unknown as Database,
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
