import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { desc, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { closeDatabase, openPostgres, provideDatabase } from '#db/client';
import { databaseUrlFor, dropDatabases } from '../scratch-database';
import * as schema from '#db/schema';
import { withStateOversight, withTown } from '#db/scope';
import { grantTownRole } from '~/utils/memberships.server';
import { findTownBySlug } from '~/utils/town-profile.server';
import { startSession } from '~/utils/auth.server';
import { cookieFrom, createUser } from '../../tests/factories';

/**
 * The real server over HTTP (build/index.js, as `npm run serve` runs it), driven by a fixed number
 * of keep-alive clients, each target next to a baseline measured in the same run:
 * - on PostgreSQL (DATABASE_URL: a scratch database on that server, prepared as `npm run db:prepare`
 *   does with the demo data, dropped afterwards): report submission against a bare node:http +
 *   postgres.js insert server; the town home page, `/requests` and a request page (signed out, so
 *   from the shared page cache after the first render, and signed in, rendered every time) and the
 *   staff queue against the server's own `/healthz`; then statements and transactions per request, counted by
 *   a one-process server started with BENCH_COUNT_STATEMENTS=1;
 * - with STAFF_QUEUE_DATABASE set to a PostgreSQL database made by `npm run data:large`: the staff
 *   queue of its largest town at 10 clients;
 * - the embedded default (PGlite in a temporary DATA_DIR): 50 concurrent submissions, p99 and the
 *   slowest one.
 * The load generator shares the machine with the server, so absolute numbers are low; the ratios are what count.
 * BENCH_HTTP_SECONDS (default 5) sets each target's duration.
 */
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const CLIENTS = 50;
const COUNTED_REQUESTS = 10;

type Call = { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: Buffer };
type LoadResult = { requests: number; errors: number; perSecond: number; p50: number; p99: number; max: number };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function ensureBuild(): void {
  if (existsSync('build/index.js')) return;
  console.log('building (npm run build)…');
  const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

function send(agent: http.Agent, port: number, call: Call, timeoutMs = 30_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, agent, method: call.method, path: call.path, headers: call.headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    // A connection the starting server accepted but never answers must not hang the benchmark.
    request.setTimeout(timeoutMs, () => request.destroy(new Error('timed out')));
    request.end(call.body);
  });
}

/** `clients` loops, each sending its next request when the last one is answered, for `seconds` after a one-second warm-up. */
async function drive(port: number, clients: number, seconds: number, next: () => Call, ok: (status: number) => boolean): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let errors = 0;
  const warmUpEnds = performance.now() + 1000;
  const ends = warmUpEnds + seconds * 1000;
  const client = async () => {
    while (performance.now() < ends) {
      const started = performance.now();
      const status = await send(agent, port, next()).catch(() => 0);
      if (started < warmUpEnds) continue;
      latencies.push(performance.now() - started);
      if (!ok(status)) errors += 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? 0 };
}

type Server = { port: number; child: ChildProcess; output: string[]; stop: () => Promise<void> };

/** Starts `node <entry>` with `env` on a free port and waits until it answers. */
async function startServer(entry: string[], env: Record<string, string>, readyPath: string | null = '/healthz'): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, entry, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  const agent = new http.Agent();
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output.join('\n')}`);
    const status = await send(agent, port, { method: readyPath ? 'GET' : 'POST', path: readyPath ?? '/', headers: { Host: 'localhost' } }, 1000).catch(() => 0);
    if (status > 0) break;
    if (attempt > 300) throw new Error(`server did not start: ${output.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  agent.destroy();
  return { port, child, output, stop };
}

function townHeaders(port: number, slug: string, cookie?: string): Record<string, string> {
  return { Host: `${slug}.localhost:${port}`, ...(cookie ? { Cookie: cookie } : {}) };
}

/** A report as the form sends it (multipart, no photo), at a fresh spot in Somerville and with a fresh idempotency key. */
function submission(port: number): Call {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const fields: Record<string, string> = {
    idempotencyKey: randomUUID(),
    locationSource: 'map',
    category: 'pothole',
    // Well inside Somerville, so no answer asks which town is meant.
    lat: (42.384 + Math.random() * 0.008).toFixed(6),
    lng: (-71.112 + Math.random() * 0.014).toFixed(6),
    description: 'Benchmark pothole by the crosswalk',
    email: 'bench@example.com',
    notDuplicate: '1',
  };
  const body = Buffer.from(
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') + `--${boundary}--\r\n`,
  );
  const origin = `http://somerville.localhost:${port}`;
  // The edge's origin check is satisfied the way a browser satisfies it, not bypassed.
  return { method: 'POST', path: '/report', body, headers: { ...townHeaders(port, 'somerville'), Origin: origin, 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

type Row = { name: string; result: LoadResult; baseline?: { name: string; perSecond: number }; target?: { ratio?: number; p99?: number; max?: number }; counts?: { statements: number; transactions: number } };

function verdict(row: Row): string {
  const { result, baseline, target } = row;
  if (!target) return '';
  const checks: boolean[] = [result.errors === 0];
  if (target.ratio !== undefined && baseline) checks.push(result.perSecond / baseline.perSecond >= target.ratio);
  if (target.p99 !== undefined) checks.push(result.p99 <= target.p99);
  if (target.max !== undefined) checks.push(result.max <= target.max);
  return checks.every(Boolean) ? 'PASS' : 'FAIL';
}

function printRows(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.log(
    `${'target'.padEnd(34)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}${'errors'.padStart(8)}  ${'baseline'.padEnd(26)}${'ratio'.padStart(7)}  ${'target'.padEnd(26)}${'verdict'.padEnd(8)}stmts/tx per request`,
  );
  for (const row of rows) {
    const { result, baseline, target, counts } = row;
    const ratio = baseline ? (result.perSecond / baseline.perSecond).toFixed(2) : '';
    const wanted = [target?.ratio !== undefined ? `≥ ${target.ratio}×` : null, target?.p99 !== undefined ? `p99 ≤ ${target.p99}` : null, target?.max !== undefined ? `max ≤ ${target.max}` : null]
      .filter(Boolean)
      .join(', ');
    console.log(
      `${row.name.padEnd(34)}${result.perSecond.toFixed(0).padStart(8)}${result.p50.toFixed(0).padStart(9)}${result.p99.toFixed(0).padStart(9)}${result.max.toFixed(0).padStart(9)}${String(result.errors).padStart(8)}  ` +
        `${(baseline ? `${baseline.name} ${baseline.perSecond.toFixed(0)}/s` : '').padEnd(26)}${ratio.padStart(7)}  ${wanted.padEnd(26)}${verdict(row).padEnd(8)}` +
        `${counts ? `${counts.statements.toFixed(1)} / ${counts.transactions.toFixed(1)}` : ''}`,
    );
  }
}

/** Asks a BENCH_COUNT_STATEMENTS=1 server for its totals (it prints them on SIGUSR2). */
async function statementTotals(server: Server): Promise<{ statements: number; transactions: number }> {
  const seen = server.output.length;
  server.child.kill('SIGUSR2');
  for (;;) {
    const line = server.output.slice(seen).find((l) => l.startsWith('bench-statement-count '));
    if (line) return JSON.parse(line.slice('bench-statement-count '.length)) as { statements: number; transactions: number };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until the server sends no statement of its own for half a second: its start-up jobs (notices, service levels) would count against the first rows. */
async function quietened(server: Server): Promise<void> {
  for (let last = await statementTotals(server); ; ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await statementTotals(server);
    if (now.statements === last.statements) return;
    last = now;
  }
}

async function countPerRequest(server: Server, next: () => Call): Promise<{ statements: number; transactions: number }> {
  const agent = new http.Agent({ keepAlive: true });
  await send(agent, server.port, next());
  const before = await statementTotals(server);
  for (let i = 0; i < COUNTED_REQUESTS; i++) await send(agent, server.port, next());
  const after = await statementTotals(server);
  agent.destroy();
  return { statements: (after.statements - before.statements) / COUNTED_REQUESTS, transactions: (after.transactions - before.transactions) / COUNTED_REQUESTS };
}

/** A staff member of `slug` (or, without `role`, a resident) with a session, written straight into the database the server uses. */
async function sessionCookie(databaseUrl: string, slug: string, role?: 'staff'): Promise<string> {
  provideDatabase(openPostgres(databaseUrl, { max: 2 }));
  try {
    const town = (await findTownBySlug(slug))!;
    const user = await createUser({ email: `bench-${role ?? 'resident'}-${randomBytes(4).toString('hex')}@example.com` });
    if (role) await grantTownRole(town.id, user.id, role);
    return cookieFrom(await startSession(user.id, new Request(`http://${slug}.localhost/`)));
  } finally {
    await closeDatabase();
  }
}

async function somervilleTrackingNumber(databaseUrl: string): Promise<string> {
  provideDatabase(openPostgres(databaseUrl, { max: 1 }));
  try {
    const town = (await findTownBySlug('somerville'))!;
    const [row] = await withTown(town.id, (tx) =>
      tx.select({ trackingNumber: schema.serviceRequests.trackingNumber }).from(schema.serviceRequests).where(eq(schema.serviceRequests.townId, town.id)).limit(1),
    );
    if (!row) throw new Error('the prepared database has no Somerville request');
    return row.trackingNumber;
  } finally {
    await closeDatabase();
  }
}

function prepareDatabase(env: Record<string, string>): void {
  const prepared = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-database.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (prepared.status !== 0) throw new Error('preparing the benchmark database failed');
}

// The bench itself runs with its own settings; the server gets only what it needs.
const SERVER_ENV = { NODE_ENV: 'production', DEMO_MODE: 'true', ROOT_DOMAIN: 'localhost' };

async function benchPostgres(serverUrl: string): Promise<void> {
  const name = `cc_bench_http_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = databaseUrlFor(serverUrl, name);
  const servers: Server[] = [];
  try {
    console.log(`\nHTTP benchmark: preparing scratch database ${name} (npm run db:prepare with the demo data)…`);
    prepareDatabase({ DATABASE_URL: url, DEMO_MODE: 'true' });
    const cookie = await sessionCookie(url, 'somerville', 'staff');
    const resident = await sessionCookie(url, 'somerville');
    const tracking = await somervilleTrackingNumber(url);
    const app = await startServer(['build/index.js'], { ...SERVER_ENV, DATABASE_URL: url });
    servers.push(app);
    const get = (pathname: string, withCookie?: string) => (): Call => ({ method: 'GET', path: pathname, headers: townHeaders(app.port, 'somerville', withCookie) });
    const is200 = (status: number) => status === 200;
    // Signed out, the three public pages are served from the shared page cache after the first
    // render (app/utils/shared-page-cache.server.ts); a signed-in resident's are rendered every time.
    const pages: [string, () => Call, number | undefined][] = [
      ['town home /', get('/'), 0.5],
      ['/requests', get('/requests'), 0.5],
      [`request page /requests/${tracking}`, get(`/requests/${tracking}`), 0.5],
      ['town home / (signed in)', get('/', resident), undefined],
      ['/requests (signed in)', get('/requests', resident), undefined],
      [`request page (signed in)`, get(`/requests/${tracking}`, resident), undefined],
      ['staff queue /staff (signed in)', get('/staff', cookie), 0.3],
      // What a browser with JavaScript asks for the queue's next page or another filter: the root and the
      // console's frame keep their data (app/utils/revalidation.ts), so this one request is all of it.
      ['staff queue next page, JS (_data)', get('/staff?page=1&_data=routes%2Fstaff._index', cookie), undefined],
    ];
    const rows: Row[] = [];
    const healthz = await drive(app.port, CLIENTS, SECONDS, get('/healthz'), is200);
    rows.push({ name: 'baseline: /healthz', result: healthz });
    for (const [label, next, ratio] of pages) {
      rows.push({ name: label, result: await drive(app.port, CLIENTS, SECONDS, next, is200), baseline: { name: '/healthz', perSecond: healthz.perSecond }, target: ratio === undefined ? undefined : { ratio } });
    }

    const bare = await startServer(['--import', 'tsx', 'scripts/bench/bare-insert-server.ts'], { DATABASE_URL: url }, null);
    servers.push(bare);
    const bareResult = await drive(bare.port, CLIENTS, SECONDS, () => ({ ...submission(bare.port), path: '/' }), (s) => s === 302);
    await bare.stop();
    rows.push({ name: 'baseline: bare node:http insert', result: bareResult });
    rows.push({
      name: 'report submission (no photo)',
      result: await drive(app.port, CLIENTS, SECONDS, () => submission(app.port), (s) => s === 302),
      baseline: { name: 'bare insert', perSecond: bareResult.perSecond },
      target: { ratio: 0.15, p99: 250 },
    });
    await app.stop();

    // One process, so one counter sees every statement; no outbox polling in between.
    const counting = await startServer(['build/index.js'], { ...SERVER_ENV, DATABASE_URL: url, WEB_CONCURRENCY: '1', BENCH_COUNT_STATEMENTS: '1', OUTBOX_POLL_MS: '3600000' });
    servers.push(counting);
    await quietened(counting);
    const callsByRow = new Map<string, () => Call>([
      ['baseline: /healthz', () => ({ method: 'GET', path: '/healthz', headers: townHeaders(counting.port, 'somerville') })],
      ...pages.map(([label, next]): [string, () => Call] => [label, () => ({ ...next(), headers: { ...next().headers, Host: `somerville.localhost:${counting.port}` } })]),
      ['report submission (no photo)', () => submission(counting.port)],
    ]);
    for (const row of rows) {
      const next = callsByRow.get(row.name);
      if (next) row.counts = await countPerRequest(counting, next);
    }
    await counting.stop();
    const workers = process.env.WEB_CONCURRENCY ?? 'one per core';
    printRows(`HTTP on PostgreSQL (${CLIENTS} clients, ${SECONDS} s each, server processes: ${workers}); statements / transactions per request counted in a one-process server`, rows);
    // What the submission targets ask, set beside what this server does for its cheapest database request.
    console.log(
      `  for scale: /healthz (one transaction, one statement) is ${(healthz.perSecond / bareResult.perSecond).toFixed(2)}× the bare insert; ` +
        `${CLIENTS} clients each waiting for its answer get p99 ≤ 250 ms only at ≥ ${CLIENTS / 0.25} answers/s (Little's law: mean wait = clients ÷ throughput)`,
    );
  } finally {
    for (const server of servers) if (server.child.exitCode === null) await server.stop();
    await dropDatabases(serverUrl, [name]);
  }
}

/** The staff queue of the largest town of a `npm run data:large` database, at the 10 clients the issue measured. */
async function benchLargeStaffQueue(largeUrl: string): Promise<void> {
  provideDatabase(openPostgres(largeUrl, { max: 2 }));
  let slug: string;
  try {
    const [largest] = await withStateOversight((tx) =>
      tx
        .select({ slug: schema.towns.slug })
        .from(schema.serviceRequests)
        .innerJoin(schema.towns, eq(schema.towns.id, schema.serviceRequests.townId))
        .groupBy(schema.towns.slug)
        .orderBy(desc(sql`count(*)`))
        .limit(1),
    );
    slug = largest!.slug;
  } finally {
    await closeDatabase();
  }
  const cookie = await sessionCookie(largeUrl, slug, 'staff');
  const app = await startServer(['build/index.js'], { ...SERVER_ENV, DATABASE_URL: largeUrl });
  try {
    const get = (pathname: string, withCookie?: string) => (): Call => ({ method: 'GET', path: pathname, headers: townHeaders(app.port, slug, withCookie) });
    const healthz = await drive(app.port, 10, SECONDS, get('/healthz'), (s) => s === 200);
    const queue = await drive(app.port, 10, SECONDS, get('/staff', cookie), (s) => s === 200);
    const search = await drive(app.port, 10, SECONDS, get('/staff?q=bus+stop', cookie), (s) => s === 200);
    const baseline = { name: '/healthz', perSecond: healthz.perSecond };
    printRows(`Staff queue on the large database, town ${slug} (10 clients)`, [
      { name: 'baseline: /healthz', result: healthz },
      { name: 'staff queue default view', result: queue, baseline, target: { ratio: 0.3 } },
      { name: 'staff queue text "bus stop"', result: search, baseline },
    ]);
  } finally {
    await app.stop();
  }
}

async function benchEmbedded(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cc-bench-http-'));
  try {
    const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
    prepareDatabase(env);
    const app = await startServer(['build/index.js'], { ...SERVER_ENV, ...env });
    try {
      const result = await drive(app.port, CLIENTS, SECONDS, () => submission(app.port), (s) => s === 302);
      printRows(`Embedded default (PGlite, one process): ${CLIENTS} concurrent submissions`, [
        // The slowest answer bounds starvation: every client got through within it.
        { name: 'report submission (no photo)', result, target: { p99: 1500, max: 3000 } },
      ]);
    } finally {
      await app.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function runHttpBenchmark(): Promise<void> {
  ensureBuild();
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) await benchPostgres(serverUrl);
  else console.log('\nHTTP on PostgreSQL: skipped; set DATABASE_URL to a PostgreSQL server (a scratch database is created and dropped)');
  const large = process.env.STAFF_QUEUE_DATABASE;
  if (large && /^postgres(ql)?:\/\//.test(large)) await benchLargeStaffQueue(large);
  else console.log('\nStaff queue over HTTP on the large database: skipped; set STAFF_QUEUE_DATABASE to a PostgreSQL database made by `npm run data:large`');
  await benchEmbedded();
}

// Run as a script; imported by scripts/bench/index.ts it only exports the benchmark.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runHttpBenchmark();
