import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildTownIndex, loadStatewideTownShapes, routePoint, routePointByFullScan } from '~/modules/geo/town-routing.server';
import { measure, report } from './measure';

const POINTS = 10_000;
const BUILDS = 20;
// Massachusetts' bounding box; a bit under half of it is land in some town, the rest is sea or a neighbouring state.
const WEST = -73.51;
const EAST = -69.92;
const SOUTH = 41.23;
const NORTH = 42.89;

/** Town routing: building the grid index, and one lookup with it next to scanning every town. */
export async function runRoutingBenchmark(): Promise<void> {
  const shapes = loadStatewideTownShapes();
  const participating = new Set(
    (JSON.parse(readFileSync(path.join(process.cwd(), 'tenants/_statewide/participating-towns.json'), 'utf8')) as { slug: string }[]).map(
      (town) => town.slug,
    ),
  );

  const buildMs: number[] = [];
  for (let i = 0; i < BUILDS; i++) {
    const start = performance.now();
    buildTownIndex(shapes, participating);
    buildMs.push(performance.now() - start);
  }
  const firstBuild = buildMs[0]!;
  const medianBuild = buildMs.sort((a, b) => a - b)[Math.floor(BUILDS / 2)]!;
  console.log(
    `buildTownIndex (${shapes.length} towns): first ${firstBuild.toFixed(1)} ms, median of ${BUILDS} ${medianBuild.toFixed(1)} ms`,
  );

  // Seeded, so every run routes the same points.
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const points = Array.from({ length: POINTS }, () => [SOUTH + random() * (NORTH - SOUTH), WEST + random() * (EAST - WEST)] as const);
  const index = buildTownIndex(shapes, participating);
  const over = (route: typeof routePoint) => {
    let next = 0;
    return async () => {
      const [lat, lng] = points[next++ % POINTS]!;
      return route(index, lat, lng);
    };
  };

  const fullScan = await measure(POINTS, over(routePointByFullScan));
  report('baseline: routePoint by scanning all towns', fullScan);
  report('routePoint with the grid index', await measure(POINTS, over(routePoint)), fullScan);
}
