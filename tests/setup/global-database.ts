import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { buildPgliteTemplate, createScratchPostgres, dropDatabases } from '../../scripts/scratch-database';

declare module 'vitest' {
  export interface ProvidedContext {
    database: { driver: 'pglite'; dumpPath: string } | { driver: 'postgres'; serverUrl: string; template: string };
  }
}

/** Builds the migrated database once per run; each test file then gets its own copy. */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const template = `cc_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    await createScratchPostgres(serverUrl, template);
    project.provide('database', { driver: 'postgres', serverUrl, template });
    return async () => {
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      const copies = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`${template}%`}`;
      await admin.end();
      await dropDatabases(serverUrl, copies.map((c) => c.datname));
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'cc-test-'));
  const dumpPath = path.join(dir, 'template.tar');
  await writeFile(dumpPath, Buffer.from(await (await buildPgliteTemplate()).arrayBuffer()));
  project.provide('database', { driver: 'pglite', dumpPath });
  return () => rm(dir, { recursive: true, force: true });
}
