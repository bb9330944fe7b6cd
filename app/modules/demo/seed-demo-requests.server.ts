import { and, asc, eq, gt, inArray, like, max, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { getDatabase } from '#db/client';
import { outboxMessages, requestEvents, requestFollowers, requestPhotos, serviceRequests, towns, users } from '#db/schema';
import { withStateOversight, withGlobal, withTown } from '#db/scope';
import type { LocationSource, RequestStatus } from '#db/vocabulary';
import { listCategories } from '~/modules/categories/categories.server';
import { locateTown } from '~/modules/geo/locate-town.server';
import { boundingBox, type BBox, type TownGeometry } from '~/modules/geo/geometry';
import { processPhoto, type ProcessedPhoto } from '~/modules/photos/photo-pipeline.server';
import { createServiceRequest } from '~/modules/requests/create-request.server';
import { followRequest } from '~/modules/requests/following.server';
import { applyStatusChange, postPublicReply, type RequestLinks, type StatusAuthor, type StatusChange } from '~/modules/requests/request-updates.server';
import { businessCalendar, serviceTargets } from '~/modules/requests/service-levels';
import { isOpenStatus } from '~/modules/requests/statuses';
import { DEMO_ACCOUNTS } from './demo-accounts';

/** Every demo request's idempotency key starts with this; its presence means the demo is already seeded. */
export const DEMO_REQUEST_KEY_PREFIX = 'demo-';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEMO_SPAN_DAYS = 90;

/** Demo towns and their share of the requests (bigger, busier places get more). */
const DEMO_TOWN_WEIGHTS: Record<string, number> = {
  somerville: 26,
  newton: 16,
  malden: 14,
  'new-bedford': 12,
  lexington: 9,
  lowell: 8,
  salem: 6,
  nantucket: 5,
  northampton: 4,
};

/** What residents write, per default category. No street names: the pin is random, so a named place would be wrong. */
const DESCRIPTIONS: Record<string, string[]> = {
  pothole: [
    'Pothole in the right lane near the intersection. Cars are swerving around it.',
    'Pothole about the size of a dinner plate by the crosswalk; it fills with water when it rains.',
    'Several potholes in a row along the curb where cyclists ride. Hard to see at night.',
    'Last year’s patch has broken up again and left a hole a few inches deep in the middle of the road.',
  ],
  streetlight: [
    'Streetlight out next to the bus stop; the whole block is dark at night.',
    'The light on the pole by the footpath flickers on and off all evening.',
    'Streetlight stays on all day.',
    'Two streetlights in a row are out along the edge of the park. The number on the pole is worn off.',
  ],
  'damaged-sidewalk': [
    'Sidewalk slab pushed up by tree roots, a two-inch lip that people trip on.',
    'Curb ramp at the corner is cracked and crumbling; a wheelchair cannot get over it.',
    'A section of sidewalk is missing, just gravel and a big puddle.',
  ],
  'street-sign': [
    'Stop sign is bent over and faces the wrong way after a car hit it.',
    'Street name sign at the corner is missing; only the post is left.',
    'Speed limit sign is hidden by tree branches and cannot be seen from the road.',
  ],
  'snow-ice': [
    'Sidewalk along the park was never shoveled; solid ice all the way to the corner.',
    'This side street has not been plowed since the storm and cars are getting stuck.',
    'The plow left a wall of snow across the curb ramp at the crosswalk.',
  ],
  'missed-trash-pickup': [
    'Recycling was out by 7 am on collection day and was not picked up; the rest of the street’s was.',
    'Every trash barrel on this block was skipped this week.',
    'Yard waste bags left at the curb were not collected.',
  ],
  graffiti: [
    'Spray-painted tags on the retaining wall by the playground.',
    'Large graffiti in black and red on the side of the bus shelter.',
    'New tags on the underpass wall and on the utility box next to it.',
  ],
  tree: [
    'A large branch came down in the wind and is blocking half the sidewalk.',
    'Dead street tree leaning toward the road; the bark is falling off.',
    'Low branches over the sidewalk hit people’s heads and hide the stop sign.',
  ],
  'illegal-parking': [
    'A car parks across the crosswalk at the corner every morning.',
    'Vehicle blocking the fire hydrant for the last two hours.',
    'Van parked on the sidewalk; people with strollers have to walk in the street.',
  ],
  'abandoned-vehicle': [
    'This car has not moved in three weeks; two flat tires and leaves piled up under it.',
    'Vehicle with no plates parked on the street for over a week.',
    'Old pickup with an expired registration sticker, covered in pollen and parking tickets.',
  ],
  other: [
    'Water is bubbling up through a crack in the road and has been running since yesterday.',
    'Park bench is broken: one slat missing and a nail sticking out.',
    'Storm drain is clogged with leaves and the corner floods every time it rains.',
  ],
};

const NOT_FIXED_REASONS: Record<string, string[]> = {
  pothole: ['The crew could not find a pothole at this location.', 'This road is scheduled for full repaving in the spring; the hole has been marked until then.'],
  streetlight: ['The light was working when the crew checked it at night.'],
  'damaged-sidewalk': ['This walkway is on private property, so the town cannot repair it. We have let the owner know.'],
  'street-sign': ['The sign was already replaced before our crew arrived.'],
  'snow-ice': ['The sidewalk had been cleared by the time an inspector arrived.'],
  'missed-trash-pickup': ['The barrels were put out after the truck had passed; please have them at the curb by 7 am.'],
  graffiti: ['This wall is on private property; we have sent the owner information on our free removal program.'],
  tree: ['The tree is on private property, so the town cannot remove it. We have let the owner know.'],
  'illegal-parking': ['The vehicle was gone when an officer arrived.'],
  'abandoned-vehicle': ['The vehicle is registered and legally parked; it can stay up to the posted limit.'],
  other: ['An inspector visited and could not find the problem described.'],
};

const REFERRAL_TARGETS: Record<string, string[]> = {
  pothole: ['MassDOT (this is a state highway)', 'The utility company that dug the trench here'],
  streetlight: ['The electric utility (the pole and light are theirs)'],
  'damaged-sidewalk': ['MassDOT (this is a state highway)'],
  'street-sign': ['MassDOT (state highway signs)'],
  'snow-ice': ['MassDOT (this is a state highway)'],
  'missed-trash-pickup': ['The town’s trash and recycling contractor'],
  graffiti: ['The utility company that owns the equipment box'],
  tree: ['The electric utility (branches on the power lines)'],
  'illegal-parking': ['Police Department'],
  'abandoned-vehicle': ['Police Department'],
  other: ['Water and Sewer Department', 'Board of Health'],
};

const PROGRESS_REPLIES = [
  'Thanks for the report. A crew has been assigned.',
  'We have added this to this week’s work schedule.',
  'An inspector looked at this today and opened a work order.',
];
const FIXED_REPLIES = ['Fixed today. Thank you for letting us know!', 'The crew finished this morning. Thanks for reporting it.'];

// Vague on purpose: the pin is what places a demo request, and a precise address would contradict it.
const LANDMARKS = ['Near the corner', 'Middle of the block', 'By the bus stop', 'Across from the park entrance', 'Next to the crosswalk'];

const FIRST_NAMES = ['Jamie', 'Pat', 'Alex', 'Sam', 'Chris', 'Dana', 'Robin', 'Morgan', 'Lee', 'Jordan', 'Quinn', 'Avery', 'Casey', 'Drew', 'Rowan', 'Kai'];
const LAST_INITIALS = 'ABCDEFGHJKLMNPRSTW';

/** Mulberry32: a small seeded generator, so the demo is the same on every machine and every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: Random, low: number, high: number) => low + random() * (high - low);

function pickWeighted<T extends string>(random: Random, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][];
  let remaining = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of entries) if ((remaining -= weight) < 0) return value;
  return entries[entries.length - 1]![0];
}

type DemoTown = {
  id: number;
  slug: string;
  name: string;
  trackingCode: string;
  timezone: string;
  county: string;
  bbox: BBox;
  categories: { code: string; targetDays: number; ackTargetDays: number }[];
  staffUserId: string | null;
};

type Reporter = { userId: string | null; email: string | null; name: string | null };

type Step =
  | { kind: 'status'; at: Date; to: RequestStatus; reason?: string; referredTo?: string }
  | { kind: 'duplicate'; at: Date; original: PlannedRequest }
  | { kind: 'reply'; at: Date; message: string }
  | { kind: 'follow'; at: Date; email: string; userId: string | null };

type PlannedRequest = {
  key: string;
  town: DemoTown;
  categoryCode: string;
  description: string;
  address: string | null;
  point: { lat: number; lng: number };
  source: LocationSource;
  createdAt: Date;
  reporter: Reporter;
  withPhoto: boolean;
  status: RequestStatus;
  steps: Step[];
  trackingNumber?: string;
};


/** A point the app itself would route to this town without asking the resident to choose. */
async function isClearlyInside(town: DemoTown, lat: number, lng: number): Promise<boolean> {
  const routed = await locateTown(lat, lng);
  return routed.kind === 'town' && routed.slug === town.slug && routed.how === 'inside' && routed.alternatives.length === 0;
}

async function pointInside(random: Random, town: DemoTown): Promise<{ lat: number; lng: number }> {
  const [west, south, east, north] = town.bbox;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const lat = Number(between(random, south, north).toFixed(6));
    const lng = Number(between(random, west, east).toFixed(6));
    if (await isClearlyInside(town, lat, lng)) return { lat, lng };
  }
  throw new Error(`No point inside ${town.name} after 1000 tries`);
}

/** Within about 20 m of the original, as a second reporter standing nearby would drop the pin. */
async function pointNear(random: Random, town: DemoTown, origin: { lat: number; lng: number }): Promise<{ lat: number; lng: number }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const lat = Number((origin.lat + between(random, -0.00015, 0.00015)).toFixed(6));
    const lng = Number((origin.lng + between(random, -0.0002, 0.0002)).toFixed(6));
    if (await isClearlyInside(town, lat, lng)) return { lat, lng };
  }
  return origin;
}

async function loadDemoTowns(): Promise<DemoTown[]> {
  const slugs = Object.keys(DEMO_TOWN_WEIGHTS);
  const rows = await withGlobal((tx) => tx.select().from(towns).where(inArray(towns.slug, slugs)));
  const staffEmails = DEMO_ACCOUNTS.filter((a) => a.roles?.length).map((a) => a.email);
  const staff = await withGlobal((tx) => tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, staffEmails)));
  const staffIdByEmail = new Map(staff.map((s) => [s.email, s.id]));
  const result: DemoTown[] = [];
  for (const row of rows.sort((a, b) => slugs.indexOf(a.slug) - slugs.indexOf(b.slug))) {
    const categories = (await listCategories(row.id)).filter((c) => DESCRIPTIONS[c.code] && !c.questions.some((q) => q.required));
    if (categories.length === 0) continue;
    // Status changes are signed by the town's demo staff member, else its demo admin.
    const roleHere = (role: string) => DEMO_ACCOUNTS.find((a) => a.roles?.some(([slug, r]) => slug === row.slug && r === role));
    const staffAccount = roleHere('staff') ?? roleHere('admin');
    result.push({
      id: row.id,
      slug: row.slug,
      name: row.name,
      trackingCode: row.trackingCode,
      timezone: row.timezone,
      county: row.county,
      bbox: boundingBox(row.boundary as TownGeometry),
      categories: categories.map((c) => ({ code: c.code, targetDays: c.targetDays, ackTargetDays: c.ackTargetDays })),
      staffUserId: (staffAccount && staffIdByEmail.get(staffAccount.email)) ?? null,
    });
  }
  return result;
}

const isWinter = (date: Date) => [11, 0, 1, 2].includes(date.getUTCMonth());

/** Statuses of first reports; duplicates are planned separately because they need an earlier original. */
const STATUS_WEIGHTS = { submitted: 12, acknowledged: 10, in_progress: 12, fixed: 44, not_fixed: 8, referred: 7 } as const;
type FirstReportStatus = keyof typeof STATUS_WEIGHTS;
const STATUS_STAGE: Record<FirstReportStatus, number> = { submitted: 0, acknowledged: 1, in_progress: 2, fixed: 3, not_fixed: 3, referred: 3 };
const DUPLICATE_SHARE = 0.07;

/**
 * Every status at least once (when the count allows), the rest weighted; the newest requests get the
 * least advanced statuses (with some noise, so an old request can still be open), as in a real queue.
 */
function assignStatuses(random: Random, requests: PlannedRequest[], now: Date): void {
  const all = Object.keys(STATUS_WEIGHTS) as FirstReportStatus[];
  const pool = [...all.slice(0, requests.length), ...Array.from({ length: Math.max(0, requests.length - all.length) }, () => pickWeighted(random, STATUS_WEIGHTS))];
  const byStage = pool.map((status) => ({ status, rank: STATUS_STAGE[status] + random() })).sort((a, b) => a.rank - b.rank);
  const byAge = requests
    .map((request) => ({ request, rank: (now.getTime() - request.createdAt.getTime()) / DAY + between(random, -15, 15) }))
    .sort((a, b) => a.rank - b.rank);
  byAge.forEach(({ request }, i) => (request.status = byStage[i]!.status));
}

/** Spreads steps' relative times (hours after creation) over what is left until now. */
function schedule(createdAt: Date, now: Date, offsetsInHours: number[]): Date[] {
  const available = now.getTime() - createdAt.getTime() - 10 * 60_000;
  const last = offsetsInHours[offsetsInHours.length - 1] ?? 0;
  const scale = last * HOUR > available * 0.95 ? (available * 0.9) / (last * HOUR) : 1;
  return offsetsInHours.map((hours) => new Date(createdAt.getTime() + hours * HOUR * scale));
}

function planSteps(random: Random, request: PlannedRequest, now: Date, neighbours: Reporter[], resident: Reporter | null): void {
  type Draft = (Step extends infer S ? (S extends Step ? Omit<S, 'at'> : never) : never) & { hours: number };
  const drafts: Draft[] = [];
  let hours = 0;
  const after = (low: number, high: number) => (hours += between(random, low, high));
  const code = request.categoryCode;

  // Neighbours who say "me too" before the town acts, so they hear about every change.
  if (random() < 0.3) {
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
      const follower = resident && random() < 0.2 ? resident : pick(random, neighbours);
      if (follower.email && follower.email !== request.reporter.email) drafts.push({ kind: 'follow', email: follower.email, userId: follower.userId, hours: after(0.5, 6) });
    }
  }
  const status = request.status;
  const acknowledgedFirst = status === 'acknowledged' || (status === 'in_progress' && random() < 0.7) || (['fixed', 'not_fixed'].includes(status) && random() < 0.8) || (status === 'referred' && random() < 0.5);
  if (acknowledgedFirst) {
    drafts.push({ kind: 'status', to: 'acknowledged', hours: after(2, 30) });
    if (random() < 0.35) drafts.push({ kind: 'reply', message: pick(random, PROGRESS_REPLIES), hours: after(0.2, 4) });
  }
  if (status === 'in_progress' || (status === 'fixed' && random() < 0.5)) drafts.push({ kind: 'status', to: 'in_progress', hours: after(12, 96) });
  if (status === 'fixed') {
    drafts.push({ kind: 'status', to: 'fixed', hours: after(6, 140) });
    if (random() < 0.4) drafts.push({ kind: 'reply', message: pick(random, FIXED_REPLIES), hours: after(0.1, 2) });
  }
  if (status === 'not_fixed') drafts.push({ kind: 'status', to: 'not_fixed', reason: pick(random, NOT_FIXED_REASONS[code]!), hours: after(12, 120) });
  if (status === 'referred') drafts.push({ kind: 'status', to: 'referred', referredTo: pick(random, REFERRAL_TARGETS[code]!), hours: after(4, 72) });

  const times = schedule(request.createdAt, now, drafts.map((d) => d.hours));
  request.steps.push(...drafts.map(({ hours: _hours, ...step }, i) => ({ ...step, at: times[i]! }) as Step));
}

function makeNeighbours(random: Random): Reporter[] {
  return Array.from({ length: 40 }, (_, i) => {
    const first = pick(random, FIRST_NAMES);
    const initial = pick(random, [...LAST_INITIALS]);
    return { userId: null, email: `${first.toLowerCase()}.${initial.toLowerCase()}${i + 1}@example.com`, name: random() < 0.5 ? `${first} ${initial}.` : null };
  });
}

/**
 * The demo resident's pothole in Somerville, fixed four days ago: the hourly job asks them "Is it
 * fixed?" as soon as the app starts, so the question is in their dev mailbox (docs/decisions/0021).
 */
async function fixedCheckStory(random: Random, now: Date, demoTowns: DemoTown[], resident: Reporter): Promise<PlannedRequest | null> {
  const town = demoTowns.find((t) => t.slug === 'somerville');
  if (!town?.categories.some((c) => c.code === 'pothole')) return null;
  const createdAt = new Date(now.getTime() - 9 * DAY);
  return {
    key: '',
    town,
    categoryCode: 'pothole',
    description: 'Deep pothole in the bike lane; the patch from last spring has broken up again.',
    address: null,
    point: await pointInside(random, town),
    source: 'map',
    createdAt,
    reporter: resident,
    withPhoto: false,
    status: 'fixed',
    steps: [
      { kind: 'status', to: 'acknowledged', at: new Date(now.getTime() - 8 * DAY) },
      { kind: 'status', to: 'fixed', at: new Date(now.getTime() - 4 * DAY) },
    ],
  };
}

async function planRequests(random: Random, count: number, now: Date, demoTowns: DemoTown[], resident: Reporter | null): Promise<PlannedRequest[]> {
  const neighbours = makeNeighbours(random);
  const weights = Object.fromEntries(demoTowns.map((t) => [t.slug, DEMO_TOWN_WEIGHTS[t.slug]!]));
  const duplicates = count >= 2 ? Math.max(1, Math.round(count * DUPLICATE_SHARE)) : 0;
  const planned: PlannedRequest[] = [];
  for (let i = 0; i < count - duplicates; i++) {
    const slug = pickWeighted(random, weights);
    const town = demoTowns.find((t) => t.slug === slug)!;
    const createdAt = new Date(now.getTime() - between(random, 0.05, DEMO_SPAN_DAYS) * DAY);
    const categories = town.categories.filter((c) => c.code !== 'snow-ice' || isWinter(createdAt));
    const categoryCode = pick(random, categories).code;
    const roll = random();
    const reporter = resident && roll < 0.15 ? resident : roll < 0.75 ? pick(random, neighbours) : { userId: null, email: null, name: null };
    planned.push({
      key: '',
      town,
      categoryCode,
      description: pick(random, DESCRIPTIONS[categoryCode]!),
      address: random() < 0.2 ? pick(random, LANDMARKS) : null,
      point: await pointInside(random, town),
      source: random() < 0.7 ? 'map' : 'device',
      createdAt,
      reporter,
      withPhoto: random() < 1 / 3,
      status: 'submitted',
      steps: [],
    });
  }
  assignStatuses(random, planned, now);
  for (const request of planned) planSteps(random, request, now, neighbours, resident);

  for (let i = 0; i < duplicates; i++) {
    const original = pick(random, planned.slice(0, count - duplicates));
    const createdAt = new Date(original.createdAt.getTime() + Math.min(between(random, 1, 48) * HOUR, (now.getTime() - original.createdAt.getTime()) / 2));
    const [closedAt] = schedule(createdAt, now, [between(random, 1, 30)]);
    planned.push({
      ...original,
      description: pick(random, DESCRIPTIONS[original.categoryCode]!),
      address: null,
      point: await pointNear(random, original.town, original.point),
      createdAt,
      reporter: pick(random, neighbours),
      withPhoto: random() < 0.2,
      status: 'duplicate',
      steps: [{ kind: 'duplicate', at: closedAt!, original }],
    });
  }
  // The story takes the place of a fixed request that no duplicate points at, so the count stays.
  const originals = new Set(planned.flatMap((r) => r.steps.flatMap((s) => (s.kind === 'duplicate' ? [s.original] : []))));
  const replaced = planned.findIndex((r) => r.status === 'fixed' && !originals.has(r));
  const story = resident && replaced >= 0 ? await fixedCheckStory(random, now, demoTowns, resident) : null;
  if (story) planned.splice(replaced, 1, story);
  // Created oldest first, so tracking numbers grow with time as they would have.
  planned.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  planned.forEach((request, i) => (request.key = `${DEMO_REQUEST_KEY_PREFIX}${String(i + 1).padStart(4, '0')}`));
  return planned;
}

const SCENE_COLOURS = { car: ['#b03a2e', '#1f618d', '#7d8c8d', '#f4f6f6', '#212f3d'], graffiti: ['#e74c3c', '#8e44ad', '#27ae60', '#111111', '#f1c40f'] };

/** A simple drawn scene per category; enough to show how photos look in the app without shipping pictures. */
function sceneSvg(random: Random, categoryCode: string): string {
  const j = (value: number, spread: number) => Math.round(value + between(random, -spread, spread));
  const road = `<polygon points="0,480 640,480 ${j(420, 30)},230 ${j(220, 30)},230" fill="#6e6e6e"/><polygon points="316,480 324,480 321,230 319,230" fill="#e8d44d" opacity="0.8"/>`;
  const car = (colour: string, flat: boolean) =>
    `<rect x="${j(200, 40)}" y="300" width="240" height="80" rx="18" fill="${colour}"/><rect x="250" y="262" width="140" height="50" rx="12" fill="${colour}"/><rect x="262" y="270" width="116" height="32" rx="6" fill="#a9cce3"/>` +
    `<circle cx="260" cy="382" r="24" fill="#1c1c1c"/>${flat ? '<ellipse cx="390" cy="394" rx="30" ry="12" fill="#1c1c1c"/>' : '<circle cx="390" cy="382" r="24" fill="#1c1c1c"/>'}`;
  const scenes: Record<string, string> = {
    pothole: `${road}<ellipse cx="${j(330, 60)}" cy="${j(400, 25)}" rx="${j(70, 20)}" ry="${j(22, 6)}" fill="#2a2622"/>`,
    streetlight: `${road}<rect x="${j(480, 20)}" y="90" width="12" height="340" fill="#3d3d3d"/><rect x="${j(420, 10)}" y="90" width="80" height="18" rx="6" fill="#2b2b2b"/>`,
    'damaged-sidewalk': `<rect y="260" width="640" height="220" fill="#c8c6c0"/><path d="M0 370 H640 M210 260 V480 M430 260 V480" stroke="#9a978f" stroke-width="4"/><polyline points="${j(120, 30)},300 200,350 170,400 260,460" fill="none" stroke="#3b3935" stroke-width="5"/>`,
    'street-sign': `${road}<rect x="${j(470, 20)}" y="180" width="10" height="250" fill="#8a8a8a" transform="rotate(${j(14, 6)} 475 430)"/><polygon points="440,120 480,120 508,148 508,188 480,216 440,216 412,188 412,148" fill="#c0392b" transform="rotate(${j(25, 10)} 460 168)"/>`,
    'snow-ice': `${road}<path d="M0 480 Q ${j(160, 30)} ${j(330, 30)} 320 430 T 640 ${j(400, 30)} V480 Z" fill="#f4f7fb"/><ellipse cx="${j(200, 40)}" cy="450" rx="110" ry="20" fill="#dde8f2"/>`,
    'missed-trash-pickup': `${road}<rect x="${j(90, 20)}" y="300" width="70" height="110" rx="6" fill="#1e5631"/><rect x="${j(180, 20)}" y="310" width="66" height="100" rx="6" fill="#1f4e8c"/><ellipse cx="${j(290, 20)}" cy="400" rx="40" ry="28" fill="#222"/>`,
    graffiti: `<rect y="120" width="640" height="360" fill="#9c4a2f"/><path d="M0 180 H640 M0 240 H640 M0 300 H640 M0 360 H640 M0 420 H640" stroke="#c9b8a6" stroke-width="3"/><path d="M${j(120, 40)} ${j(330, 40)} C 200 180, 300 420, ${j(420, 40)} 250 S 560 300, 520 380" fill="none" stroke="${pick(random, SCENE_COLOURS.graffiti)}" stroke-width="14"/><path d="M${j(160, 30)} 400 Q 260 260 ${j(360, 40)} 390" fill="none" stroke="${pick(random, SCENE_COLOURS.graffiti)}" stroke-width="10"/>`,
    tree: `<rect y="250" width="640" height="230" fill="#5d8a3c"/><rect x="${j(120, 30)}" y="360" width="380" height="34" rx="14" fill="#6b4226" transform="rotate(${j(-8, 6)} 320 377)"/><circle cx="${j(470, 30)}" cy="350" r="70" fill="#2e6b2e"/><circle cx="${j(530, 30)}" cy="380" r="55" fill="#3b7d3b"/>`,
    'illegal-parking': `${road}${car(pick(random, SCENE_COLOURS.car), false)}`,
    'abandoned-vehicle': `${road}${car('#8c7b6b', true)}`,
    other: `${road}<polygon points="${j(300, 40)},440 340,300 380,440" fill="#e67e22"/><rect x="315" y="360" width="50" height="14" fill="#fdfefe"/>`,
  };
  const sky = categoryCode === 'streetlight' ? ['#1b2a4a', '#5a6f96'] : ['#7fb3e6', '#e3edf6'];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">` +
    `<stop offset="0" stop-color="${sky[0]}"/><stop offset="1" stop-color="${sky[1]}"/></linearGradient></defs>` +
    `<rect width="640" height="480" fill="url(#sky)"/><rect y="230" width="640" height="250" fill="#8b9a78"/>${scenes[categoryCode] ?? scenes.other}</svg>`
  );
}

/** A 640×480 JPEG, as a phone would upload it, through the same pipeline as a real upload. */
async function demoPhoto(random: Random, categoryCode: string): Promise<ProcessedPhoto> {
  const jpeg = await sharp(Buffer.from(sceneSvg(random, categoryCode))).jpeg({ quality: 85 }).toBuffer();
  return processPhoto(jpeg);
}

/** Moves the timeline from "now" (when the modules wrote it) to the planned dates. */
async function backdate(request: PlannedRequest): Promise<void> {
  const eventTimes = [request.createdAt, ...request.steps.filter((s) => s.kind !== 'follow').map((s) => s.at)];
  const lastAt = eventTimes[eventTimes.length - 1]!;
  const statusTimes = request.steps.filter((s) => s.kind === 'status' || s.kind === 'duplicate').map((s) => s.at);
  const closedAt = isOpenStatus(request.status) ? null : statusTimes[statusTimes.length - 1]!;
  const category = request.town.categories.find((c) => c.code === request.categoryCode)!;
  await withTown(request.town.id, async (tx) => {
    const [row] = await tx
      .update(serviceRequests)
      .set({
        createdAt: request.createdAt,
        updatedAt: lastAt,
        closedAt,
        acknowledgedAt: statusTimes[0] ?? null,
        // The demo towns have no closure days.
        ...serviceTargets(request.createdAt, category, businessCalendar(request.town, [])),
      })
      .where(eq(serviceRequests.trackingNumber, request.trackingNumber!))
      .returning({ id: serviceRequests.id });
    const requestId = row!.id;
    const events = await tx
      .select({ id: requestEvents.id })
      .from(requestEvents)
      .where(eq(requestEvents.requestId, requestId))
      .orderBy(asc(requestEvents.createdAt), asc(requestEvents.id));
    if (events.length !== eventTimes.length) throw new Error(`${request.trackingNumber}: expected ${eventTimes.length} events, found ${events.length}`);
    for (const [i, event] of events.entries()) await tx.update(requestEvents).set({ createdAt: eventTimes[i]! }).where(eq(requestEvents.id, event.id));
    await tx.update(requestPhotos).set({ createdAt: request.createdAt }).where(eq(requestPhotos.requestId, requestId));
    await tx.update(requestFollowers).set({ createdAt: request.createdAt }).where(eq(requestFollowers.requestId, requestId));
    for (const step of request.steps) {
      if (step.kind === 'follow') {
        await tx
          .update(requestFollowers)
          .set({ createdAt: step.at })
          .where(and(eq(requestFollowers.requestId, requestId), eq(sql`lower(${requestFollowers.email})`, step.email.toLowerCase())));
      }
    }
  });
}

async function fileRequest(random: Random, request: PlannedRequest, links: RequestLinks): Promise<void> {
  const { town } = request;
  const created = await createServiceRequest({
    town,
    categoryCode: request.categoryCode,
    description: request.description,
    location: { ...request.point, address: request.address, source: request.source },
    answers: {},
    reporter: request.reporter,
    photos: request.withPhoto ? [await demoPhoto(random, request.categoryCode)] : [],
    idempotencyKey: request.key,
    links,
  });
  if (created.kind !== 'filed') throw new Error(`Demo request ${request.key} refused: ${JSON.stringify(created)}`);
  request.trackingNumber = created.trackingNumber;
  const trackingNumber = created.trackingNumber;
  // Nobody signs in to make a demo's history, so there is no capability: the staff steps are written
  // directly, signed by the town's demo staff account (or nobody, in a town without one).
  const author: StatusAuthor = { kind: 'staff', userId: town.staffUserId };
  const changeStatus = (change: Omit<StatusChange, 'author'>) =>
    withTown(town.id, (tx) => applyStatusChange(tx, town.id, trackingNumber, { ...change, author }, links));
  for (const step of request.steps) {
    let result: { ok: boolean; message?: string } | boolean;
    if (step.kind === 'follow') result = await followRequest(town.id, trackingNumber, { userId: step.userId, email: step.email });
    else if (step.kind === 'reply') result = await withTown(town.id, (tx) => postPublicReply(tx, trackingNumber, step.message, town.staffUserId, links));
    else if (step.kind === 'duplicate') result = await changeStatus({ to: 'duplicate', duplicateOfTrackingNumber: step.original.trackingNumber });
    else result = await changeStatus({ to: step.to, reason: step.reason, referredTo: step.referredTo });
    if (result === false || (typeof result === 'object' && !result.ok)) throw new Error(`Demo request ${request.trackingNumber}: step ${step.kind} failed ${JSON.stringify(result)}`);
  }
  await backdate(request);
}

/**
 * A living demo: requests in several towns over the last 90 days, in every status, with timelines,
 * followers and photos, all filed through the same modules as real reports. Runs once: if any demo
 * request exists it does nothing.
 */
export async function seedDemoRequests(options: { count?: number; now?: Date; linksFor: (townSlug: string) => RequestLinks }): Promise<{ created: number }> {
  const { count = 300, now = new Date(), linksFor } = options;
  const [existing] = await withStateOversight((tx) =>
    tx.select({ id: serviceRequests.id }).from(serviceRequests).where(like(serviceRequests.idempotencyKey, `${DEMO_REQUEST_KEY_PREFIX}%`)).limit(1),
  );
  if (existing) return { created: 0 };

  const demoTowns = await loadDemoTowns();
  if (demoTowns.length === 0) throw new Error('No demo towns in the database; run the registry sync first');
  const residentEmail = 'resident@demo.test';
  const [residentRow] = await withGlobal((tx) => tx.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.email, residentEmail)));
  const resident = residentRow ? { userId: residentRow.id, email: residentEmail, name: residentRow.displayName } : null;

  const random = seededRandom(20_121_217);
  const planned = await planRequests(random, count, now, demoTowns, resident);
  const db = getDatabase().db;
  const [outboxBefore] = await db.select({ id: max(outboxMessages.id) }).from(outboxMessages);
  for (const request of planned) await fileRequest(random, request, linksFor(request.town.slug));

  // The modules queue an email to every reporter, follower and department on every change: hundreds
  // of messages to made-up addresses that would bury real sign-in links in the dev mailbox. Every
  // request email names its tracking number in the subject; only this run's emails about demo
  // requests are removed, so anything the app queued meanwhile stays. (\m and \M are PostgreSQL's
  // word boundaries: SOM-1001 does not match SOM-10010.)
  const demoTrackingNumbers = `\\m(${planned.map((r) => r.trackingNumber).join('|')})\\M`;
  await db.delete(outboxMessages).where(and(gt(outboxMessages.id, outboxBefore?.id ?? 0), sql`${outboxMessages.payload} ->> 'subject' ~ ${demoTrackingNumbers}`));
  return { created: planned.length };
}
