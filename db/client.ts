import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
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
};

let current: DatabaseHandle | undefined;

export function openPostgres(url: string, options: { max?: number } = {}): DatabaseHandle {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  return { db: drizzlePostgres(client, { schema }) as unknown as Database, driver: 'postgres', close: () => client.end() };
}

export function openPglite(client: PGlite): DatabaseHandle {
  return { db: drizzlePglite(client, { schema }) as unknown as Database, driver: 'pglite', close: () => client.close() };
}

/** DATABASE_URL selects a real PostgreSQL server; without it the embedded PGlite in DATA_DIR. */
function openConfiguredDatabase(): DatabaseHandle {
  const url = process.env.DATABASE_URL;
  if (url) return openPostgres(url);
  const dir = path.resolve(process.env.DATA_DIR ?? './data', 'pglite');
  mkdirSync(dir, { recursive: true });
  return openPglite(new PGlite(dir));
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
