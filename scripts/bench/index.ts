import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { closeDatabase, createPglite, getDatabase, openPglite, openPostgres, provideDatabase } from '#db/client';
import { createScratchPostgres, databaseUrlFor, dropDatabases, prepareScratchDatabase } from '../scratch-database';
import { withTown } from '#db/scope';
import { listCategories } from '~/modules/categories/categories.server';
import { findTownBySlug } from '~/utils/town-profile.server';
import { resolveSite } from '~/utils/town.server';
import { measure, report } from './measure';
import { runHttpBenchmark } from './http';
import { runOpen311Benchmark } from './open311';
import { runReportingBenchmark } from './reporting';
import { runRoutingBenchmark } from './routing';
import { runPublicListBenchmark } from './public-list';
import { runStaffQueueBenchmark } from './staff-queue';
import { runStateConsoleBenchmark } from './state-console';

/**
 * Tenancy overhead: what `withTown` (transaction + role + town setting) and host resolution cost
 * next to the bare query they wrap; then report submission (scripts/bench/reporting.ts) and town
 * routing (scripts/bench/routing.ts), the staff queue and the state console at scale and the real server over HTTP
 * (scripts/bench/http.ts). Runs on a scratch database: a fresh PGlite, or with
 * DATABASE_URL a temporary database on that server, dropped afterwards.
 */
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const serverUrl = process.env.DATABASE_URL;
const scratchName = `cc_bench_${randomBytes(4).toString('hex')}`;
if (serverUrl) {
  await createScratchPostgres(serverUrl, scratchName);
  provideDatabase(openPostgres(databaseUrlFor(serverUrl, scratchName)));
} else {
  const handle = openPglite(createPglite());
  await prepareScratchDatabase(handle);
}

try {
  const db = getDatabase();
  const somerville = (await findTownBySlug('somerville'))!.id;
  console.log(`Benchmarks on ${db.driver}, ${ITERATIONS} iterations each\n`);
  const bare = await measure(ITERATIONS, () => db.db.execute(sql`select 1`));
  report('baseline: bare select 1', bare);
  report('withTown + select 1', await measure(ITERATIONS, () => withTown(somerville, (tx) => tx.execute(sql`select 1`))), bare);
  report("withTown + list a town's categories", await measure(ITERATIONS, () => listCategories(somerville)), bare);
  report('resolveSite (host → town profile)', await measure(ITERATIONS, () => resolveSite({ request: new Request('http://somerville.localhost:3000/'), context: { clientIp: 'bench' } })), bare);
  await runReportingBenchmark();
  console.log('\nTown routing');
  await runRoutingBenchmark();
} finally {
  await closeDatabase();
  if (serverUrl) await dropDatabases(serverUrl, [scratchName]);
}

// The staff queue and the state console need a database of realistic size (npm run data:large); they say "skipped" without one.
await runStaffQueueBenchmark();
await runPublicListBenchmark();
await runStateConsoleBenchmark();
await runOpen311Benchmark();
await runHttpBenchmark();
