import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import { listCategories } from '~/modules/categories/categories.server';
import { locateTown } from '~/modules/geo/locate-town.server';
import { loadStatewideTownShapes } from '~/modules/geo/town-routing.server';
import { submitReport } from '~/modules/requests/submit-report.server';
import { findTownBySlug } from '~/utils/town-profile.server';
import { townLinks } from '~/utils/town.server';
import type { UploadedFile } from '~/utils/multipart.server';
import { measure, report } from './measure';

const SUBMISSIONS = 200;
// Decoding a 12-megapixel photo takes a good fraction of a second; fewer runs keep `npm run bench` short.
const PHOTO_SUBMISSIONS = 20;
// measure() warms up with min(50, iterations) extra calls, and every call needs a fresh point.
const POINTS_NEEDED = SUBMISSIONS + Math.min(50, SUBMISSIONS) + 2 * PHOTO_SUBMISSIONS;
// Farther apart than the 50 m duplicate search, so no submission is stopped by "is this the same problem?".
const GRID_METERS = 110;
const METERS_PER_DEGREE = 111_195;
const DESCRIPTION = 'Pothole in the right lane near the intersection. Cars are swerving around it.';

/** Grid points that route to Somerville with no border question, i.e. that the form files at once. */
async function somervillePoints(count: number): Promise<{ lat: number; lng: number }[]> {
  const shape = loadStatewideTownShapes().find((s) => s.slug === 'somerville')!;
  const polygons = shape.geometry.type === 'Polygon' ? [shape.geometry.coordinates] : shape.geometry.coordinates;
  const ring = polygons.flatMap((p) => p[0]!);
  const [west, east] = [Math.min(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[0]))];
  const [south, north] = [Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[1]))];
  const dLat = GRID_METERS / METERS_PER_DEGREE;
  const dLng = GRID_METERS / (METERS_PER_DEGREE * Math.cos((((south + north) / 2) * Math.PI) / 180));
  const points: { lat: number; lng: number }[] = [];
  for (let lat = south; lat <= north; lat += dLat) {
    for (let lng = west; lng <= east; lng += dLng) {
      const routed = await locateTown(lat, lng);
      if (routed.kind === 'town' && routed.slug === 'somerville' && routed.how === 'inside' && routed.alternatives.length === 0) points.push({ lat, lng });
    }
  }
  if (points.length < count) throw new Error(`Only ${points.length} grid points in Somerville; need ${count}`);
  return points;
}

/** A phone-camera-sized photo: 4032×3024, noisy enough to weigh what real ones do. */
async function twelveMegapixelJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 4032, height: 3024, channels: 3, background: '#6b8fb0', noise: { type: 'gaussian', mean: 120, sigma: 16 } } })
    .jpeg({ quality: 88 })
    .toBuffer();
}

/**
 * Report submission end to end (form parsing, routing, duplicate check, transaction, photo
 * pipeline and storage), each beside the bare operation it is built around: a single-row insert,
 * and sharp's resize-and-encode of the same photo.
 */
export async function runReportingBenchmark(): Promise<void> {
  const db = getDatabase().db;
  const somerville = (await findTownBySlug('somerville'))!;
  const categories = (await listCategories(somerville.id)).filter((c) => !c.questions.some((q) => q.required)).map((c) => c.code);
  const points = await somervillePoints(POINTS_NEEDED);
  const links = (slug: string) => townLinks(slug);
  let next = 0;
  const submit = (files: UploadedFile[]) => async () => {
    const point = points[next]!;
    const fields = new URLSearchParams({
      idempotencyKey: uuidv7(),
      category: categories[next++ % categories.length]!,
      description: DESCRIPTION,
      lat: String(point.lat),
      lng: String(point.lng),
      locationSource: 'map',
      email: 'bench@example.com',
    });
    const result = await submitReport({ hostTown: somerville, user: null, form: { fields, files, tooManyFiles: false, unreadableParts: 0 }, links });
    if (result.kind !== 'created') throw new Error(`Benchmark submission was not filed: ${JSON.stringify(result)}`);
  };

  // Photos are stored under DATA_DIR; a scratch directory keeps them out of ./data.
  const dataDir = process.env.DATA_DIR;
  const scratchDir = await mkdtemp(path.join(tmpdir(), 'cc-bench-uploads-'));
  process.env.DATA_DIR = scratchDir;
  try {
    await db.execute(sql`create table if not exists bench_baseline (id serial primary key, payload text)`);
    console.log(`\nReport submission, hostTown Somerville, ${SUBMISSIONS} iterations`);
    const insert = await measure(SUBMISSIONS, () => db.execute(sql`insert into bench_baseline (payload) values (${DESCRIPTION})`));
    report('baseline: bare single-row INSERT', insert);
    report('submitReport, no photo', await measure(SUBMISSIONS, submit([])), insert);

    const jpeg = await twelveMegapixelJpeg();
    console.log(`\nWith one 4032×3024 JPEG (${(jpeg.length / 1024 / 1024).toFixed(1)} MB), ${PHOTO_SUBMISSIONS} iterations`);
    const resize = await measure(PHOTO_SUBMISSIONS, () => sharp(jpeg).resize(1600).webp().toBuffer());
    report('baseline: sharp resize(1600).webp()', resize);
    report('submitReport, one 12 MP photo', await measure(PHOTO_SUBMISSIONS, submit([{ label: 'photo.jpg', bytes: jpeg, tooLarge: false }])), resize);
  } finally {
    if (dataDir === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = dataDir;
    await rm(scratchDir, { recursive: true, force: true });
  }
}
