import { count, eq, inArray } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import { categories, departments, oversightReads, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { formatPeriod, MIN_VOLUME, PROGRAM_TIME_ZONE, quarterOf } from '~/modules/oversight/kpi';
import { dayIn } from '~/utils/calendar-day';
import { loader as reportCsvLoader } from '~/routes/state.report[.]csv';
import { loader as reportLoader } from '~/routes/state.report';
import { loader as consoleLoader } from '~/routes/state._index';
import { loader as townLoader } from '~/routes/state.towns.$slug';
import { grantTownRole } from '~/utils/memberships.server';
import { startSession } from '~/utils/auth.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { parseCsv } from '../csv';
import { browserRequest, createUser, requestRow, townBySlug } from '../factories';
import { signInEveryone, STATE_PAGE_MATRIX, type MatrixPerson } from '../people';
import { settle } from '../requests';

const STATE = 'http://localhost:3000';
const SOMERVILLE = 'http://somerville.localhost:3000';
const ctx = { clientIp: '10.7.7.7' };

type Loader = (args: never) => Promise<Response>;
const open = (loader: Loader, url: string, cookie: string | null, params: Record<string, string> = {}) =>
  settle(loader({ request: browserRequest(url, { cookie }), params, context: ctx } as never));

/** Every page of the console, with what its loader needs. */
const PAGES: [string, Loader, string, Record<string, string>][] = [
  ['console', consoleLoader as Loader, '/state', {}],
  ['town drill-down', townLoader as Loader, '/state/towns/somerville', { slug: 'somerville' }],
  ['program report', reportLoader as Loader, '/state/report?quarter=2026-Q4', {}],
  ['program report CSV', reportCsvLoader as Loader, '/state/report.csv?quarter=2026-Q4', {}],
];

type ConsoleData = {
  view: {
    rows: {
      slug: string;
      name: string;
      cohort: string;
      county: string;
      lifecycle: string;
      figures: {
        received: { last30: number; last90: number; last365: number };
        period: Record<string, number | null>;
        backlog: { open: number; medianAgeDays: number | null };
        trend: number[];
      };
      staff: { active: number; members: number };
      standings: Record<string, { rank: number; of: number; cue: string | null } | undefined>;
    }[];
    townCount: number;
    period: { value: string; from: string; to: string };
  };
};

describe('the state console', () => {
  let cookies: Record<MatrixPerson, string | null>;
  // Four towns with enough acknowledged requests to rank (acknowledged after 1, 2, 3 and 4 hours), and one with one too few.
  const RANKED = [
    ['andover', 1],
    ['ashland', 2],
    ['ayer', 3],
    ['braintree', 4],
  ] as const;
  const TOO_FEW = 'brookfield';
  let andover: TownProfile;
  let stateUser: { id: string };

  beforeAll(async () => {
    const everyone = await signInEveryone(SOMERVILLE);
    cookies = everyone.cookies;
    stateUser = everyone.people.state;

    // Two days ago, so every acknowledgement (hours later) is in the past and in the last 30 days.
    const createdAt = new Date(Date.now() - 2 * 86_400_000);
    const fill = async (slug: string, requests: number, ackHours: number) => {
      const town = await townBySlug(slug);
      const [pothole] = await withTown(town.id, (tx) => tx.select({ id: categories.id }).from(categories).where(eq(categories.code, 'pothole')));
      const rows = Array.from({ length: requests }, () =>
        requestRow(town, pothole!.id, { createdAt, acknowledgedAt: new Date(createdAt.getTime() + ackHours * 3_600_000 - 60_000), status: 'acknowledged' }),
      );
      await withTown(town.id, (tx) => tx.insert(serviceRequests).values(rows));
    };
    for (const [slug, hours] of RANKED) await fill(slug, MIN_VOLUME, hours);
    await fill(TOO_FEW, MIN_VOLUME - 1, 0);

    // Andover's team and configuration, for the drill-down.
    andover = await townBySlug('andover');
    await createUser({ email: 'never.signed.in@andover.example', displayName: 'Nora Never', roles: [[andover, 'staff']] });
    const signedIn = await createUser({ email: 'signed.in@andover.example', roles: [[andover, 'admin']] });
    await startSession(signedIn.id, new Request(STATE));
    const works = uuidv7();
    await withTown(andover.id, async (tx) => {
      await tx.insert(departments).values([
        { townId: andover.id, id: works, name: 'Public Works', email: 'dpw@andover.example' },
        { townId: andover.id, id: uuidv7(), name: 'Parks', email: null },
      ]);
      await tx.update(categories).set({ departmentId: works }).where(eq(categories.code, 'graffiti'));
      await tx.update(categories).set({ departmentId: null }).where(eq(categories.code, 'pothole'));
    });
  });

  for (const [page, loader, path, params] of PAGES) {
    it.each(STATE_PAGE_MATRIX)(`${page} (${path}): %s gets %i`, async (who, status) => {
      expect((await open(loader, `${STATE}${path}`, cookies[who]!, params)).status).toBe(status);
    });
    it(`${page} exists only on the statewide host`, async () => {
      expect((await open(loader, `${SOMERVILLE}${path}`, cookies.state!, params)).status).toBe(404);
    });
  }

  const consoleData = async (search = '') => (await (await open(consoleLoader as Loader, `${STATE}/state${search}`, cookies.state!)).json()) as ConsoleData;

  it('shows every town, with its figures from the rollup', async () => {
    const { view } = await consoleData();
    expect(view.rows).toHaveLength(view.townCount);
    expect(view.period.value).toBe('90d');
    const ayer = view.rows.find((r) => r.slug === 'ayer')!;
    expect(ayer.figures.received).toEqual({ last30: MIN_VOLUME, last90: MIN_VOLUME, last365: MIN_VOLUME });
    expect(ayer.figures.period).toMatchObject({ received: MIN_VOLUME, acknowledged: MIN_VOLUME, medianHoursToAcknowledge: 3, closed: 0, medianBusinessDaysToClose: null, acknowledgedLate: 0 });
    expect(ayer.figures.backlog.open).toBe(MIN_VOLUME);
    expect(ayer.figures.trend.at(-1)).toBe(MIN_VOLUME);
    expect(ayer.figures.trend.slice(0, -1).every((n) => n === 0)).toBe(true);
  });

  it(`ranks and marks a figure only where it rests on at least ${MIN_VOLUME} requests`, async () => {
    const { view } = await consoleData();
    const ack = Object.fromEntries(view.rows.filter((r) => r.standings.ack).map((r) => [r.slug, r.standings.ack]));
    expect(ack).toEqual({
      andover: { rank: 1, of: 4, cue: 'leading' },
      ashland: { rank: 2, of: 4, cue: null },
      ayer: { rank: 3, of: 4, cue: null },
      braintree: { rank: 4, of: 4, cue: 'trailing' },
    });
    const tooFew = view.rows.find((r) => r.slug === TOO_FEW)!;
    expect(tooFew.figures.period.medianHoursToAcknowledge).toBe(0);
    expect(tooFew.standings.ack).toBeUndefined();
  });

  it('sorts by any column from the query string; unranked towns come after the ranked ones either way', async () => {
    // Brookfield's 0 hours would come first, but rest on too few requests: it sorts with the unranked, by name.
    const byAck = (await consoleData('?sort=ack&dir=desc')).view.rows.map((r) => r.slug);
    expect(byAck.slice(0, 4)).toEqual(['braintree', 'ayer', 'ashland', 'andover']);
    const byAckAscending = (await consoleData('?sort=ack')).view.rows.map((r) => r.slug);
    expect(byAckAscending.slice(0, 4)).toEqual(['andover', 'ashland', 'ayer', 'braintree']);
    const unranked = byAckAscending.slice(4);
    expect(unranked).toContain(TOO_FEW);
    expect(unranked).toEqual([...unranked].sort());
    const byBacklog = (await consoleData('?sort=backlog&dir=desc')).view.rows.map((r) => r.slug);
    expect(byBacklog.slice(0, 5)).toEqual(['andover', 'ashland', 'ayer', 'braintree', TOO_FEW]);
    const byName = (await consoleData('?sort=nonsense&dir=sideways')).view.rows.map((r) => r.name);
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b)));
  });

  it('filters by cohort, county and lifecycle, and ranks among the towns shown', async () => {
    const { view: all } = await consoleData();
    const ayer = all.rows.find((r) => r.slug === 'ayer')!;
    const inCounty = (await consoleData(`?county=${encodeURIComponent(ayer.county)}`)).view;
    expect(inCounty.rows.length).toBeGreaterThan(0);
    expect(inCounty.rows.every((r) => r.county === ayer.county)).toBe(true);
    const inCohort = (await consoleData(`?cohort=${encodeURIComponent(ayer.cohort)}`)).view;
    expect(inCohort.rows.every((r) => r.cohort === ayer.cohort)).toBe(true);
    expect(inCohort.rows.map((r) => r.slug)).toContain('ayer');
    const inLifecycle = (await consoleData(`?lifecycle=${ayer.lifecycle}`)).view;
    expect(inLifecycle.rows.every((r) => r.lifecycle === ayer.lifecycle)).toBe(true);
    const rankedInCounty = inCounty.rows.filter((r) => r.standings.ack);
    for (const row of rankedInCounty) expect(row.standings.ack!.of).toBe(rankedInCounty.length);
  });

  it('compares one program category: only its requests count', async () => {
    const graffiti = (await consoleData('?category=graffiti')).view.rows.find((r) => r.slug === 'ayer')!;
    expect(graffiti.figures.period.received).toBe(0);
    expect(graffiti.standings.ack).toBeUndefined();
    const potholes = (await consoleData('?category=pothole')).view.rows.find((r) => r.slug === 'ayer')!;
    expect(potholes.figures.period.received).toBe(MIN_VOLUME);
  });

  it('records no oversight read: it shows counts, not people', async () => {
    const reads = async () => (await getDatabase().db.select({ n: count() }).from(oversightReads))[0]!.n;
    const before = await reads();
    await consoleData();
    expect(await reads()).toBe(before);
  });

  describe('a town’s drill-down', () => {
    const drillDown = async (slug: string, search = '') => open(townLoader as Loader, `${STATE}/state/towns/${slug}${search}`, cookies.state!, { slug });

    it('has the console’s figures for the town, and the same over the last twelve months', async () => {
      const { overview } = await (await drillDown('ayer')).json();
      const row = (await consoleData()).view.rows.find((r) => r.slug === 'ayer')!;
      expect(overview.figures).toEqual(row.figures);
      expect(overview.monthly).toHaveLength(12);
      const thisMonth = dayIn(new Date(Date.now() - 2 * 86_400_000), PROGRAM_TIME_ZONE).slice(0, 7);
      expect(overview.monthly.find((m: { month: string }) => m.month === thisMonth).figures).toMatchObject({ received: MIN_VOLUME, medianHoursToAcknowledge: 3 });
      expect(overview.byProgramCategory).toEqual([expect.objectContaining({ category: expect.objectContaining({ code: 'pothole' }), open: MIN_VOLUME })]);
    });

    it('shows the team and configuration health, and records that it showed people', async () => {
      const reads = () => getDatabase().db.select().from(oversightReads).where(eq(oversightReads.stateStaffUserId, stateUser.id));
      const before = (await reads()).length;
      const { overview } = await (await drillDown('andover')).json();
      expect(overview.team.map((m: { email: string }) => m.email).sort()).toEqual(['never.signed.in@andover.example', 'signed.in@andover.example']);
      expect(overview.health.neverSignedIn).toEqual([{ name: 'Nora Never', email: 'never.signed.in@andover.example' }]);
      expect(overview.health.departmentsWithoutEmail).toEqual([{ name: 'Parks' }]);
      const withoutDepartment = overview.health.categoriesWithoutDepartment.map((c: { code: string }) => c.code);
      expect(withoutDepartment).toContain('pothole');
      expect(withoutDepartment).not.toContain('graffiti');
      expect(overview.staff).toEqual({ active: 1, members: 2 });
      const after = await reads();
      expect(after).toHaveLength(before + 1);
      expect(after.at(-1)).toMatchObject({ townIds: [andover.id], what: expect.stringContaining('andover') });
    });

    it('is 404 for a town that does not take part', async () => {
      expect((await drillDown('boston')).status).toBe(404);
    });
  });

  describe('the program report', () => {
    const quarter = formatPeriod(quarterOf(dayIn(new Date(Date.now() - 2 * 86_400_000), PROGRAM_TIME_ZONE)));

    it('has, for a quarter, exactly the console’s figures for that quarter', async () => {
      const { report } = await (await open(reportLoader as Loader, `${STATE}/state/report?quarter=${quarter}`, cookies.state!)).json();
      const { view } = await consoleData(`?period=${quarter}`);
      expect(report.quarter).toBe(quarter);
      for (const town of report.towns as { slug: string; figures: Record<string, unknown> }[]) {
        expect(town.figures, town.slug).toEqual(view.rows.find((r) => r.slug === town.slug)!.figures.period);
      }
      const ayer = report.towns.find((t: { slug: string }) => t.slug === 'ayer');
      expect(ayer.byProgramCategory).toEqual([expect.objectContaining({ category: expect.objectContaining({ code: 'pothole' }), figures: expect.objectContaining({ received: MIN_VOLUME }) })]);
    });

    it('as CSV: one line per town and one per town and program category, with the same numbers', async () => {
      const response = await open(reportCsvLoader as Loader, `${STATE}/state/report.csv?quarter=${quarter}`, cookies.state!);
      expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('Content-Disposition')).toBe(`attachment; filename="commonwealth-connect-${quarter}.csv"`);
      const [header, ...lines] = parseCsv((await response.text()).replace(/^\uFEFF/, ''));
      const column = (line: string[], name: string) => line[header!.indexOf(name)];
      const { view } = await consoleData();
      expect(lines.filter((l) => column(l, 'program_category_code') === '')).toHaveLength(view.townCount);
      const ayer = lines.filter((l) => column(l, 'town_slug') === 'ayer');
      expect(ayer.map((l) => [column(l, 'program_category_code'), column(l, 'received'), column(l, 'median_hours_to_acknowledge'), column(l, 'still_open'), column(l, `at_least_${MIN_VOLUME}_requests`)])).toEqual([
        ['', String(MIN_VOLUME), '3', String(MIN_VOLUME), 'yes'],
        ['pothole', String(MIN_VOLUME), '3', String(MIN_VOLUME), 'yes'],
      ]);
      const brookfield = lines.find((l) => column(l, 'town_slug') === TOO_FEW && column(l, 'program_category_code') === '')!;
      expect(column(brookfield, `at_least_${MIN_VOLUME}_requests`)).toBe('no');
    });

    it('falls back to the last complete quarter for a malformed one', async () => {
      const { report } = await (await open(reportLoader as Loader, `${STATE}/state/report?quarter=2026-Q9`, cookies.state!)).json();
      expect(report.quarter).toMatch(/^\d{4}-Q[1-4]$/);
      expect(report.quarter).not.toBe('2026-Q9');
    });
  });

  it('no page changes a request or the rollup (a GET never changes state)', async () => {
    const snapshot = async () =>
      Promise.all(
        RANKED.map(async ([slug]) => {
          const town = await townBySlug(slug);
          return withTown(town.id, (tx) => tx.select().from(serviceRequests).where(inArray(serviceRequests.townId, [town.id])));
        }),
      );
    const before = await snapshot();
    for (const [, loader, path, params] of PAGES) await open(loader, `${STATE}${path}`, cookies.state!, params);
    expect(await snapshot()).toEqual(before);
  });
});

describe('sign-in is remembered for the console', () => {
  it('a new session records when the account signed in', async () => {
    const town = await townBySlug('malden');
    const user = await createUser();
    await grantTownRole(town.id, user.id, 'staff');
    const before = Date.now();
    await startSession(user.id, new Request(STATE));
    const [row] = await getDatabase().db.query.users.findMany({ where: (u, { eq: equals }) => equals(u.id, user.id) });
    expect(row!.lastSignedInAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});
