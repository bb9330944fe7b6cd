import postgres from 'postgres';
import { createPglite, openPglite, openPostgres, provideDatabase, type DatabaseHandle } from '#db/client';
import { migrateDatabase } from '#db/migrate';
import { loadTownRegistry } from '~/modules/towns/registry.server';
import { syncTownRegistry } from '~/modules/towns/tenant-sync.server';
import { towns } from '#db/schema';
import { sql } from 'drizzle-orm';

/**
 * Scratch databases for tests and benchmarks: migrated and loaded with the real town registry,
 * never the configured database.
 */
export async function prepareScratchDatabase(handle: DatabaseHandle): Promise<void> {
  // The sync writes town-scoped rows through withTown, which uses the process's database.
  provideDatabase(handle);
  await migrateDatabase(handle);
  await syncTownRegistry(handle.db, await loadTownRegistry());
  // The registry's grant terms ended years ago, which would leave every town lapsed; tests and
  // benchmarks work in towns whose service runs (a three-year term, a year in), and the lifecycle
  // tests set the terms they are about.
  await handle.db.update(towns).set({ grantStart: sql`current_date - 365`, grantEnd: sql`current_date + 730` });
}

export async function buildPgliteTemplate(): Promise<Blob> {
  const client = createPglite();
  await prepareScratchDatabase(openPglite(client));
  const dump = await client.dumpDataDir('none');
  await client.close();
  return dump;
}

export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A run-unique template database on the server, so concurrent CI runs never share one. */
export async function createScratchPostgres(serverUrl: string, name: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const handle = openPostgres(databaseUrlFor(serverUrl, name), { max: 1 });
  try {
    await prepareScratchDatabase(handle);
  } finally {
    await handle.close();
  }
}

export async function dropDatabases(serverUrl: string, names: string[]): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    for (const name of names) await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
