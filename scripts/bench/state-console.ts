import { pathToFileURL } from 'node:url';
import { desc, eq, sql } from 'drizzle-orm';
import { closeDatabase, createPglite, getDatabase, openPglite, openPostgres, provideDatabase } from '#db/client';
import { selectRows } from '#db/rows';
import * as schema from '#db/schema';
import { withStateOversight, withTown } from '#db/scope';
import { parseConsoleQuery } from '~/modules/oversight/console-query';
import { loadStateConsole } from '~/modules/oversight/console.server';
import { formatPeriod, lastCompleteQuarter, PROGRAM_TIME_ZONE } from '~/modules/oversight/kpi';
import { addDays, dayIn } from '~/utils/calendar-day';
import { loadProgramReport } from '~/modules/oversight/program-report.server';
import { requestStatsDifferences } from '~/modules/oversight/request-stats.server';
import { loadTownOverview } from '~/modules/oversight/town-overview.server';
import type { StateStaff } from '~/utils/capabilities.server';
import { stateStaffFor } from '../../tests/capabilities';
import { measure, report } from './measure';

/**
 * The state console on a benchmark-scale database (scripts/generate-large-dataset.ts): the console,
 * a drill-down of the largest town and the program report, each beside a primary-key read, with the
 * 200 ms p95 target; the same figures computed straight from the requests (no rollup) for scale; and
 * the proof that the rollup equals a recomputation from the requests, town by town.
 *
 *   STATE_CONSOLE_DATABASE=postgres://…/cc_large_xxxx npx tsx scripts/bench/state-console.ts
 *   (STAFF_QUEUE_DATABASE is used when STATE_CONSOLE_DATABASE is not set; a PGlite directory works too)
 *
 * BENCH_ITERATIONS (default 30) sets the repetitions.
 */
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const TARGET_P95_MS = 200;

const BENCHMARK_STATE_STAFF = { id: '00000000-0000-7000-8000-000000000001', email: 'state-console-benchmark@example.invalid' };

/** The console reads as state staff: one is added to the benchmark database (once), through the owner connection as operators do. */
async function benchmarkStateStaff(): Promise<StateStaff> {
  await getDatabase().db.insert(schema.users).values({ ...BENCHMARK_STATE_STAFF, passwordHash: '!', isStateStaff: true }).onConflictDoNothing();
  return stateStaffFor(BENCHMARK_STATE_STAFF);
}

function verdict(name: string, result: { p95: number }) {
  const ms = result.p95 / 1000;
  console.log(`  ${name}: p95 ${ms.toFixed(0)} ms, target ≤ ${TARGET_P95_MS} ms: ${ms <= TARGET_P95_MS ? 'PASS' : 'FAIL'}`);
}

export async function runStateConsoleBenchmark(): Promise<void> {
  const location = process.env.STATE_CONSOLE_DATABASE ?? process.env.STAFF_QUEUE_DATABASE;
  if (!location) {
    console.log('state console: skipped; set STATE_CONSOLE_DATABASE (or STAFF_QUEUE_DATABASE) to a database made by scripts/generate-large-dataset.ts');
    return;
  }
  provideDatabase(/^postgres(ql)?:\/\//.test(location) ? openPostgres(location, { max: 2 }) : openPglite(createPglite({ dataDir: location })));
  try {
    const db = getDatabase();
    const perTown = await withStateOversight((tx) =>
      tx
        .select({ townId: schema.serviceRequests.townId, n: sql<number>`count(*)::int` })
        .from(schema.serviceRequests)
        .groupBy(schema.serviceRequests.townId)
        .orderBy(desc(sql`count(*)`)),
    );
    const total = perTown.reduce((sum, t) => sum + t.n, 0);
    const [largest] = await withStateOversight((tx) => tx.select().from(schema.towns).where(eq(schema.towns.id, perTown[0]!.townId)));
    const [rollupRows] = await withStateOversight((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(schema.requestDailyStats));
    const stateStaff = await benchmarkStateStaff();
    const today = dayIn(new Date(), PROGRAM_TIME_ZONE);
    const quarter = lastCompleteQuarter(today);
    console.log(
      `\nState console on ${db.driver}: ${total.toLocaleString('en-US')} requests in ${perTown.length} towns, ${rollupRows!.n.toLocaleString('en-US')} rollup rows; ` +
        `largest town ${largest!.name} (${perTown[0]!.n.toLocaleString('en-US')}). ${ITERATIONS} iterations each.\n`,
    );

    const [someRequest] = await withStateOversight((tx) => tx.select({ townId: schema.serviceRequests.townId, id: schema.serviceRequests.id }).from(schema.serviceRequests).limit(1));
    const baseline = await measure(ITERATIONS, () =>
      withStateOversight((tx) => tx.select().from(schema.serviceRequests).where(sql`${schema.serviceRequests.townId} = ${someRequest!.townId} and ${schema.serviceRequests.id} = ${someRequest!.id}`)),
    );
    report('baseline: one request by primary key', baseline);

    const [topCategory] = await withStateOversight((tx) =>
      tx
        .select({ code: schema.categories.code })
        .from(schema.categories)
        .innerJoin(schema.serviceRequests, sql`${schema.serviceRequests.townId} = ${schema.categories.townId} and ${schema.serviceRequests.categoryId} = ${schema.categories.id}`)
        .where(eq(schema.serviceRequests.townId, largest!.id))
        .groupBy(schema.categories.code)
        .orderBy(desc(sql`count(*)`))
        .limit(1),
    );
    const views: [string, string][] = [
      ['state console (default: last 90 days)', ''],
      ['state console, sorted by median time to close', 'sort=close&dir=desc'],
      [`state console, program category ${topCategory!.code}`, `category=${topCategory!.code}`],
      ['state console, last 30 days', 'period=30d'],
      ['state console, last 365 days', 'period=365d'],
      [`state console, ${formatPeriod(quarter)}`, `period=${formatPeriod(quarter)}`],
    ];
    const results = new Map<string, { p50: number; p95: number; mean: number }>();
    for (const [name, search] of views) {
      const query = parseConsoleQuery(new URLSearchParams(search));
      const result = await measure(ITERATIONS, () => loadStateConsole(stateStaff, query));
      results.set(name, result);
      report(name, result, baseline);
    }
    const drillDown = await measure(ITERATIONS, () => loadTownOverview(stateStaff, largest!.slug, parseConsoleQuery(new URLSearchParams())));
    report(`town drill-down: ${largest!.slug} (largest)`, drillDown, baseline);
    const reportResult = await measure(ITERATIONS, () => loadProgramReport(stateStaff, quarter));
    report(`program report ${formatPeriod(quarter)}`, reportResult, baseline);

    console.log('\nTargets (p95):');
    verdict('state console (default)', results.get(views[0]![0])!);
    verdict(`town drill-down of ${largest!.slug}`, drillDown);

    // What the console's 90-day histograms cost without the rollup: every request of the period read
    // and counted, town by town (the measure function is the town role's, as the trigger's is).
    const from = addDays(today, -89);
    const direct = await measure(Math.min(ITERATIONS, 3), async () => {
      for (const { townId } of perTown) {
        await withTown(townId, (tx) =>
          selectRows(
            tx,
            sql`
              select m.measure, m.value, count(*)::integer as n
                from service_requests r join towns t on t.id = r.town_id
                cross join lateral request_daily_stat_measures(r.status, r.created_at, r.acknowledged_at, r.closed_at, r.due_at, t.timezone) m
               where r.town_id = ${townId} and r.created_at >= (${from}::date - 1)::timestamptz and m.day >= ${from}::date
               group by 1, 2`,
          ),
        );
      }
    });
    report('without the rollup: 90-day histograms from requests', direct, baseline);

    // The proof on this data: each town's rollup equals a recomputation from its requests.
    const started = performance.now();
    let differences = 0;
    for (const { townId } of perTown) differences += (await requestStatsDifferences(townId)).length;
    console.log(
      `\nRollup against a recomputation from the requests, ${perTown.length} towns: ${differences} differing rows ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s): ${differences === 0 ? 'EQUAL' : 'DIFFERENT'}`,
    );
  } finally {
    await closeDatabase();
  }
}

// Run as a script; imported (by scripts/bench/index.ts) it only exports the benchmark.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStateConsoleBenchmark();
