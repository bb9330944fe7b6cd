/**
 * The state console's rollup (`request_daily_stats`) against the requests, town by town:
 *
 *   tsx scripts/rebuild-request-stats.ts --check        report the towns whose rollup differs from a recomputation
 *   tsx scripts/rebuild-request-stats.ts                recompute every town's rollup
 *   tsx scripts/rebuild-request-stats.ts --town malden  one town
 *
 * On the configured database (DATABASE_URL, else PGlite in DATA_DIR). The trigger on service_requests
 * keeps the rollup current, and migration 0019 filled it for the requests before it; this is for data
 * written with the trigger disabled, or a repair. Each town is its own transaction (see
 * rebuildRequestDailyStats for what it locks).
 */
import { parseArgs } from 'node:util';
import { asc, eq } from 'drizzle-orm';
import { closeDatabase, getDatabase } from '#db/client';
import { towns } from '#db/schema';
import { rebuildRequestDailyStats, requestStatsDifferences } from '~/modules/oversight/request-stats.server';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false }, town: { type: 'string' } } });
try {
  const chosen = await getDatabase()
    .db.select({ id: towns.id, slug: towns.slug })
    .from(towns)
    .where(values.town ? eq(towns.slug, values.town) : undefined)
    .orderBy(asc(towns.slug));
  if (values.town && chosen.length === 0) throw new Error(`No town ${values.town}`);
  let differing = 0;
  for (const town of chosen) {
    const differences = await requestStatsDifferences(town.id);
    if (differences.length > 0) differing++;
    if (values.check) {
      if (differences.length > 0) console.log(`${town.slug}: ${differences.length} rows differ`);
      continue;
    }
    const started = performance.now();
    await rebuildRequestDailyStats(town.id);
    console.log(`${town.slug}: rebuilt in ${Math.round(performance.now() - started)} ms${differences.length > 0 ? ` (${differences.length} rows differed)` : ''}`);
  }
  console.log(`${chosen.length} towns, ${differing} of them differing from a recomputation${values.check ? '' : ' before the rebuild'}`);
  if (values.check && differing > 0) process.exitCode = 1;
} finally {
  await closeDatabase();
}
