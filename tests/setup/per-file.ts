import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, beforeEach, inject, vi } from 'vitest';
import { closeDatabase, createPglite, openPglite, openPostgres, provideDatabase } from '#db/client';
import { databaseUrlFor, dropDatabases } from '../../scripts/scratch-database';

const database = inject('database');
let copyName: string | undefined;

let dataDir: string | undefined;

beforeAll(async () => {
  delete process.env.RESEND_API_KEY;
  // Mail lands in the dev mailbox, which exists only in demo mode; tests of production mode unset it.
  process.env.DEMO_MODE = 'true';
  // Uploaded photos go to DATA_DIR/uploads; each file gets its own.
  dataDir = await mkdtemp(path.join(tmpdir(), 'cc-data-'));
  process.env.DATA_DIR = dataDir;
  if (database.driver === 'pglite') {
    const dump = await readFile(database.dumpPath);
    provideDatabase(openPglite(createPglite({ loadDataDir: new Blob([dump]) })));
    return;
  }
  copyName = `${database.template}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(database.serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${copyName}" TEMPLATE "${database.template}"`);
  } finally {
    await admin.end();
  }
  provideDatabase(openPostgres(databaseUrlFor(database.serverUrl, copyName), { max: 4 }));
});

afterAll(async () => {
  await closeDatabase();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (copyName && database.driver === 'postgres') await dropDatabases(database.serverUrl, [copyName]);
});

// An unexpected console.error is a bug somewhere; tests that expect one mock it themselves.
let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error');
});
afterEach(() => {
  const calls = consoleError.mock.calls as unknown[][];
  consoleError.mockRestore();
  if (calls.length > 0) throw new Error(`console.error was called: ${calls.map((c) => c.map(String).join(' ')).join('\n')}`);
});
