/**
 * A benchmark-scale database: N service requests (default 1,000,000) across every participating
 * town, in a scratch database of its own (never the configured one).
 *
 *   tsx scripts/generate-large-dataset.ts [--requests N] [--dir DIR] [--drop]
 *
 * Without DATABASE_URL: PGlite in DIR (default: a new temporary directory; an existing non-empty
 * DIR is refused, so ./data can't be filled by mistake). With DATABASE_URL: a new database
 * `cc_large_<random>` on that server. Either way its location is printed; `--drop` removes it at
 * the end (for throughput runs only).
 *
 * Shape of the data:
 * - towns get requests by Zipf (s = 1.1) over their rank. We hold no population figures, so the
 *   rank is cities before towns, then by name; Zipf is about the skew, not who is biggest;
 * - created_at spans the last three years, growing with the tracking number as in real life;
 *   ids are UUIDv7 from created_at, like the app's, so the primary key is appended to;
 * - the chance a request is still open falls with age (3% + 97% × e^(-days/20): recent ones are
 *   mostly open, a 3% backlog never closes); closed ones are mostly fixed; duplicates point at an
 *   earlier request of the same town;
 * - categories are the town's own, skewed toward its first ones; due_at is the category's target
 *   in business days approximated as calendar days plus two per five (no per-row timezone walk);
 * - points are uniform in the town's bounding box, not tested against the boundary: at this scale
 *   what matters is the spread for the location index, and some points land just outside the town;
 * - every request but a still-submitted one was acknowledged: 10 minutes to 4 days after it came
 *   in (skewed short), and never after it was closed or after `now`;
 * - no timeline events, photos or followers: only the requests table is filled.
 *
 * Rows are written set-based (insert … select … from generate_series) inside withTown, because RLS
 * is forced and binds this script's owner connection too; one statement and transaction per batch.
 * Every read names its town_id although RLS already limits it: the policies for app_town OR the
 * town with the resident's own rows, which no index can serve, so RLS alone scans all towns.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { eq, max, sql } from 'drizzle-orm';
import { closeDatabase, createPglite, getDatabase, openPglite, openPostgres, provideDatabase } from '#db/client';
import { serviceRequests, towns } from '#db/schema';
import { withTown } from '#db/scope';
import { createScratchPostgres, databaseUrlFor, dropDatabases, prepareScratchDatabase } from './scratch-database';
import { boundingBox, type BBox, type TownGeometry } from '~/modules/geo/geometry';
import { FIRST_REQUEST_NUMBER } from '~/modules/requests/tracking-number';

const ZIPF_EXPONENT = 1.1;
const SPAN_DAYS = 3 * 365;
const DEFAULT_BATCH = 50_000;

const DESCRIPTIONS = [
  'Pothole in the right lane near the intersection.',
  'Streetlight out next to the bus stop; the block is dark at night.',
  'Sidewalk slab pushed up by tree roots, people trip on it.',
  'Graffiti on the wall by the playground.',
  'Trash was out on time and was not picked up.',
  'Large branch down, blocking half the sidewalk.',
  'Car parked across the crosswalk every morning.',
  'Storm drain clogged with leaves; the corner floods when it rains.',
];
const NOT_FIXED_REASONS = ['The crew could not find the problem at this location.', 'This is on private property; the owner has been told.'];
const REFERRAL_TARGETS = ['MassDOT (state highway)', 'The electric utility', 'Police Department'];

export type GenerationProgress = { town: string; townRows: number; townTotal: number; done: number; total: number; elapsedMs: number };

type Town = { id: number; slug: string; trackingCode: string; bbox: BBox };

/** Requests per town by Zipf over rank; the rounding remainder goes to the first town. */
export function zipfShares(total: number, townCount: number, exponent = ZIPF_EXPONENT): number[] {
  const weights = Array.from({ length: townCount }, (_, i) => 1 / (i + 1) ** exponent);
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.floor((total * w) / sum));
  shares[0]! += total - shares.reduce((a, b) => a + b, 0);
  return shares;
}

const textArray = (values: string[]) => sql`(array[${sql.join(values.map((v) => sql`${v}::text`), sql`, `)}])`;

/** Numbers `from`..`to` of a town whose requests are numbered `first`..`first + count - 1`, in one statement. */
function insertBatch(town: Town, first: number, count: number, from: number, to: number, now: Date) {
  const start = new Date(now.getTime() - SPAN_DAYS * 86_400_000);
  const [west, south, east, north] = town.bbox;
  // Materialised CTEs: each row's random draws are taken once and reused, never re-evaluated.
  return sql`
    with cats as materialized (
      select array_agg(id order by sort_order, name) as ids, array_agg(target_days order by sort_order, name) as target_days,
        array_agg(department_id order by sort_order, name) as department_ids
      from categories where town_id = ${town.id}::int and active
    ),
    draws as materialized (
      select n,
        ${start.toISOString()}::timestamptz + ((n - ${first}::int) + random()) / ${count}::int * ${SPAN_DAYS}::int * interval '1 day' as created_at,
        random() as r_open, random() as r_status, random() as r_pick, random() as r_cat, random() as r_close,
        random() as r_lat, random() as r_lng, random() as r_reporter, random() as r_ack
      from generate_series(${from}::int, ${to}::int) as n
    ),
    shaped as materialized (
      select d.*,
        case
          when d.r_open < 0.03 + 0.97 * exp(-extract(epoch from ${now.toISOString()}::timestamptz - d.created_at) / 86400 / 20)
            then (array['submitted', 'acknowledged', 'in_progress'])[1 + floor(d.r_pick * 3)::int]
          when d.r_status < 0.76 or d.n = ${first}::int then 'fixed'
          when d.r_status < 0.88 then 'not_fixed'
          when d.r_status < 0.94 then 'referred'
          else 'duplicate'
        end as status,
        least(d.created_at + interval '30 minutes' + d.r_close * d.r_close * interval '30 days', ${now.toISOString()}::timestamptz) as finished_at,
        d.created_at + interval '10 minutes' + d.r_ack * d.r_ack * interval '4 days' as acknowledged_at,
        1 + floor(power(d.r_cat, 1.6) * cardinality(cats.ids))::int as category
      from draws d cross join cats
    )
    insert into service_requests (
      town_id, id, number, tracking_number, category_id, status, status_reason, referred_to, description,
      lat, lng, location_source, reporter_email, idempotency_key, created_at, updated_at, closed_at, acknowledged_at, department_id, due_at
    )
    select ${town.id}::int,
      encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from s.created_at) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid,
      s.n, ${town.trackingCode}::text || '-' || s.n,
      cats.ids[s.category],
      s.status,
      case when s.status = 'not_fixed' then ${textArray(NOT_FIXED_REASONS)}[1 + floor(s.r_pick * ${NOT_FIXED_REASONS.length}::int)::int] end,
      case when s.status = 'referred' then ${textArray(REFERRAL_TARGETS)}[1 + floor(s.r_pick * ${REFERRAL_TARGETS.length}::int)::int] end,
      ${textArray(DESCRIPTIONS)}[1 + floor(s.r_cat * ${DESCRIPTIONS.length}::int)::int],
      ${south}::float8 + s.r_lat * ${north - south}::float8,
      ${west}::float8 + s.r_lng * ${east - west}::float8,
      case when s.r_reporter < 0.6 then 'map' when s.r_reporter < 0.85 then 'device' when s.r_reporter < 0.95 then 'photo' else 'coordinates' end,
      case when s.r_reporter < 0.65 then 'reporter' || floor(s.r_reporter * 1000000)::int || '@example.com' end,
      'bulk-' || s.n,
      s.created_at,
      case when s.status in ('submitted', 'acknowledged', 'in_progress') then s.created_at else s.finished_at end,
      case when s.status in ('submitted', 'acknowledged', 'in_progress') then null else s.finished_at end,
      case
        when s.status = 'submitted' then null
        when s.status in ('acknowledged', 'in_progress') then least(s.acknowledged_at, ${now.toISOString()}::timestamptz)
        else least(s.acknowledged_at, s.finished_at)
      end,
      cats.department_ids[s.category],
      s.created_at + (cats.target_days[s.category] + 2 * (cats.target_days[s.category] / 5)) * interval '1 day'
    from shaped s cross join cats`;
}

/**
 * Fills the provided database (getDatabase()) with `requests` requests over all its towns, linking
 * each duplicate to its original, and moves each town's counter to its highest number.
 */
export async function generateLargeDataset(options: {
  requests: number;
  now?: Date;
  batchSize?: number;
  onProgress?: (progress: GenerationProgress) => void;
}): Promise<{ rows: number; elapsedMs: number; perTown: { slug: string; rows: number }[] }> {
  const { requests, now = new Date(), batchSize = DEFAULT_BATCH, onProgress } = options;
  const db = getDatabase().db;
  const rows = await db.select({ id: towns.id, slug: towns.slug, name: towns.name, type: towns.type, trackingCode: towns.trackingCode, boundary: towns.boundary }).from(towns);
  const ranked = rows.sort((a, b) => Number(a.type !== 'city') - Number(b.type !== 'city') || a.name.localeCompare(b.name));
  const shares = zipfShares(requests, ranked.length);
  const started = performance.now();
  let done = 0;
  for (const [rank, row] of ranked.entries()) {
    const town: Town = { id: row.id, slug: row.slug, trackingCode: row.trackingCode, bbox: boundingBox(row.boundary as TownGeometry) };
    const count = shares[rank]!;
    if (count === 0) continue;
    const [highest] = await withTown(town.id, (tx) => tx.select({ number: max(serviceRequests.number) }).from(serviceRequests).where(eq(serviceRequests.townId, town.id)));
    const next = highest?.number ? highest.number + 1 : FIRST_REQUEST_NUMBER;
    for (let from = next; from < next + count; from += batchSize) {
      const to = Math.min(from + batchSize, next + count) - 1;
      await withTown(town.id, async (tx) => {
        await tx.execute(insertBatch(town, next, count, from, to, now));
        // Each duplicate's original: an earlier request of the same town, a short way back in the
        // numbering, found through the unique (town_id, number) index. The numbers are computed in a
        // materialised CTE because under RLS PostgreSQL 15 won't use `number = <arithmetic>` (not
        // leakproof) as an index condition, and scans the whole town for every duplicate instead.
        await tx.execute(sql`
          with originals as materialized (
            select n, greatest(${next}::int, n - 1 - n % 37) as original from generate_series(${from}::int, ${to}::int) as n
          )
          update service_requests d
          set duplicate_of_id = (select o.id from service_requests o where o.town_id = d.town_id and o.number = originals.original)
          from originals
          where d.town_id = ${town.id}::int and d.status = 'duplicate' and d.number = originals.n`);
      });
      done += to - from + 1;
      onProgress?.({ town: town.slug, townRows: to - next + 1, townTotal: count, done, total: requests, elapsedMs: performance.now() - started });
    }
    await withTown(town.id, (tx) =>
      tx.execute(sql`
        insert into town_counters (town_id, name, value)
        select ${town.id}::int, 'request_number', max(number) from service_requests where town_id = ${town.id}::int
        on conflict (town_id, name) do update set value = excluded.value`),
    );
  }
  // Fresh statistics, so benchmark plans reflect the data rather than an empty table, and a visibility
  // map, so index-only scans (the queue's counts and words) skip the heap as they do on a settled database.
  // The rollup's queue of changes is empty but holds every row this filled as dead ones until vacuumed,
  // and every figure reads it: on a server without autovacuum the state console took 2 s instead of 0.2 s.
  await db.execute(sql`vacuum analyze service_requests, request_search_words, request_daily_stats, request_daily_stat_changes`);
  return { rows: done, elapsedMs: performance.now() - started, perTown: ranked.map((t, i) => ({ slug: t.slug, rows: shares[i]! })) };
}

async function main() {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '1000000' }, dir: { type: 'string' }, drop: { type: 'boolean', default: false } } });
  const requests = Number(values.requests);
  if (!Number.isSafeInteger(requests) || requests <= 0) throw new Error(`--requests must be a positive integer, not ${values.requests}`);
  const serverUrl = process.env.DATABASE_URL;
  let location: string;
  let remove: () => Promise<void>;
  if (serverUrl) {
    const name = `cc_large_${randomBytes(4).toString('hex')}`;
    await createScratchPostgres(serverUrl, name);
    provideDatabase(openPostgres(databaseUrlFor(serverUrl, name), { max: 2 }));
    location = `PostgreSQL database ${name} (${databaseUrlFor(serverUrl, name).replace(/\/\/[^@/]*@/, '//')})`;
    remove = () => dropDatabases(serverUrl, [name]);
    console.log(`Drop it later with: psql "${serverUrl}" -c 'DROP DATABASE "${name}" WITH (FORCE)'`);
  } else {
    const dir = path.resolve(values.dir ?? (await mkdtemp(path.join(tmpdir(), 'cc-large-'))));
    const existing = await readdir(dir).catch(() => []);
    if (existing.length > 0) throw new Error(`${dir} is not empty; give a new directory with --dir`);
    await prepareScratchDatabase(openPglite(createPglite({ dataDir: dir })));
    location = `PGlite in ${dir}`;
    remove = () => rm(dir, { recursive: true, force: true });
    console.log(`Remove it later with: rm -rf ${dir}`);
  }
  console.log(`Generating ${requests.toLocaleString('en-US')} requests into ${location}`);
  const result = await generateLargeDataset({
    requests,
    onProgress: (p) =>
      console.log(
        `${((100 * p.done) / p.total).toFixed(0).padStart(3)}%  ${p.town.padEnd(14)} ${p.townRows.toLocaleString('en-US')}/${p.townTotal.toLocaleString('en-US')}` +
          `  total ${p.done.toLocaleString('en-US')}  ${Math.round(p.done / (p.elapsedMs / 1000)).toLocaleString('en-US')} rows/s`,
      ),
  });
  const seconds = result.elapsedMs / 1000;
  const top = result.perTown.slice(0, 3).map((t) => `${t.slug} ${t.rows.toLocaleString('en-US')}`).join(', ');
  console.log(`${result.rows.toLocaleString('en-US')} requests in ${seconds.toFixed(1)} s (${Math.round(result.rows / seconds).toLocaleString('en-US')} rows/s on ${getDatabase().driver}); largest: ${top}`);
  await closeDatabase();
  if (values.drop) {
    await remove();
    console.log(`Dropped ${location}`);
  } else {
    console.log(`Kept ${location}`);
  }
}

// Run as a script; imported (by its test) it only exports the generator.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
