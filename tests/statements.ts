import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import { getDatabase, provideDatabase, type Database } from '#db/client';
import * as schema from '#db/schema';

/** Every statement sent while `run` runs, through a logging handle on the same connection. */
export async function statementsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const handle = getDatabase();
  const statements: string[] = [];
  const logger: Logger = { logQuery: (query) => void statements.push(query) };
  const client = (handle.db as unknown as { $client: PGlite | Sql }).$client;
  const logged = handle.driver === 'pglite' ? drizzlePglite(client as PGlite, { schema, logger }) : drizzlePostgres(client as Sql, { schema, logger });
  provideDatabase({ ...handle, db: logged as unknown as Database });
  try {
    await run();
  } finally {
    provideDatabase(handle);
  }
  return statements;
}
