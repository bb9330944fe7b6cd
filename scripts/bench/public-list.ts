import { pathToFileURL } from 'node:url';
import { closeDatabase } from '#db/client';
import { boundingBox, type TownGeometry } from '~/modules/geo/geometry';
import { loadPublicRequestList, loadRequestMap, parsePublicListFilters, type MapView } from '~/modules/requests/request-list.server';
import { measure, report } from './measure';
import { largestTown, openLargeDatabase, primaryKeyBaseline, StatementLog, summarise } from './staff-queue';

/**
 * The public list (/requests) and its map on a benchmark-scale database
 * (scripts/generate-large-dataset.ts), in its largest town: each view next to a bare 25-row
 * primary-key read in the same town, then EXPLAIN (ANALYZE, BUFFERS) of what each runs.
 *
 *   PUBLIC_LIST_DATABASE=postgres://…/cc_large_xxxx npx tsx scripts/bench/public-list.ts
 *
 * Falls back to STAFF_QUEUE_DATABASE. BENCH_ITERATIONS (default 30) sets the repetitions.
 */
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);

export async function runPublicListBenchmark(): Promise<void> {
  const location = process.env.PUBLIC_LIST_DATABASE ?? process.env.STAFF_QUEUE_DATABASE;
  if (!location) {
    console.log('public list: skipped; set PUBLIC_LIST_DATABASE to a database made by scripts/generate-large-dataset.ts');
    return;
  }
  const log = new StatementLog();
  const { driver, explain } = await openLargeDatabase(location, log);
  try {
    const { town, n } = await largestTown();
    const townId = town.id;
    const [west, south, east, north] = boundingBox(town.boundary as TownGeometry);
    const middle = { lat: (south + north) / 2, lng: (west + east) / 2 };
    console.log(`Public list on ${driver}: ${town.name} has ${n.toLocaleString('en-US')} requests. ${ITERATIONS} iterations each.\n`);

    const baseline = await primaryKeyBaseline(townId, ITERATIONS);

    const near = `lat=${middle.lat}&lng=${middle.lng}`;
    const views: [string, string][] = [
      ['every status, newest first', ''],
      ['page 40', 'page=40'],
      ['open', 'status=open'],
      ['category pothole', 'category=pothole'],
      ['one month', 'from=2025-06-01&to=2025-06-30'],
      ['words "bus stop" (one description in eight)', 'q=bus+stop'],
      ['words "pothole" (also the category)', 'q=pothole'],
      ['words found nowhere', 'q=xylophone'],
      ['near the middle of town', near],
      ['near the middle, open', `${near}&status=open`],
      ['near the middle, page 40', `${near}&page=40`],
    ];
    const townArgs = { id: townId, timezone: town.timezone };
    const filtersOf = (search: string) => {
      const parsed = parsePublicListFilters(new URLSearchParams(search));
      if (!parsed.ok) throw new Error(`bad filters ${search}`);
      return parsed.filters;
    };
    for (const [name, search] of views) {
      const filters = filtersOf(search);
      report(`list: ${name}`, await measure(ITERATIONS, () => loadPublicRequestList(townArgs, filters)), baseline);
      await log.capture(`list: ${name}`, () => loadPublicRequestList(townArgs, filters));
    }

    // A 1366×700 screen's view at each zoom, around the middle of town.
    const viewAt = (zoom: number): MapView => {
      const degreesPerPixel = 360 / (512 * 2 ** zoom);
      const halfWidth = 683 * degreesPerPixel;
      const halfHeight = 350 * degreesPerPixel * 0.74;
      return { bbox: [middle.lng - halfWidth, middle.lat - halfHeight, middle.lng + halfWidth, middle.lat + halfHeight], zoom };
    };
    const maps: [string, string, number][] = [
      ['the whole town (zoom 11)', '', 11],
      ['the whole town, open', 'status=open', 11],
      ['a neighbourhood (zoom 14)', '', 14],
      ['a street (zoom 17)', '', 17],
      ['the whole town, one month', 'from=2025-06-01&to=2025-06-30', 11],
    ];
    for (const [name, search, zoom] of maps) {
      const filters = filtersOf(search);
      const view = viewAt(zoom);
      report(`map: ${name}`, await measure(ITERATIONS, () => loadRequestMap(townArgs, filters, view)), baseline);
      await log.capture(`map: ${name}`, () => loadRequestMap(townArgs, filters, view));
    }

    console.log('\nEXPLAIN (ANALYZE, BUFFERS) of the statements on service_requests, per view:');
    for (const { name, statements } of log.captured) {
      console.log(`\n${name}`);
      for (const { query, params } of statements) {
        const plan = await explain(townId, query, params);
        console.log(`  ${query.includes('count(') && !query.includes('group by') ? 'count' : 'rows'}: ${plan['Actual Total Time']?.toFixed(2)} ms`);
        console.log(summarise(plan).join('\n'));
      }
    }
  } finally {
    await closeDatabase();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runPublicListBenchmark();
