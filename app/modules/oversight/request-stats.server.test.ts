import { eq, inArray, sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { uuidv7 } from '#db/ids';
import { selectRows } from '#db/rows';
import { categories, serviceRequests } from '#db/schema';
import { withStateOversight, withTown } from '#db/scope';
import { ALL_CATEGORIES, type RequestStatus } from '#db/vocabulary';
import { createServiceRequest } from '~/modules/requests/create-request.server';
import { withdrawRequest } from '~/modules/requests/request-updates.server';
import { CLOSED_STATUSES, OPEN_STATUSES } from '~/modules/requests/statuses';
import { acknowledge, changeStatus, correctLocation, recategorise } from '~/modules/staff/request-work.server';
import { townLinks } from '~/utils/town.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { residentFor, townStaffFor } from '../../../tests/capabilities';
import { createUser, requestRow, townBySlug } from '../../../tests/factories';
import { PLACES } from '../../../tests/requests';
import { ACKNOWLEDGE_WITHIN_BUSINESS_DAYS, businessDaysBetween, hoursToAcknowledge } from './kpi';
import { dayIn } from '~/utils/calendar-day';
import {
  rebuildRequestDailyStats,
  requestStatsDifferences,
  selectBacklog,
  selectPeriodFigures,
  selectReceivedCounts,
  selectWeeklyReceived,
} from './request-stats.server';

type RequestRow = typeof serviceRequests.$inferSelect;
type StatRow = { day: string; categoryId: string; measure: string; value: number; n: number };

/**
 * The per-request rules of kpi.ts, written out here in TypeScript as the specification the
 * database's `request_daily_stat_measures` must meet.
 */
function expectedStats(requests: RequestRow[], timeZone: string): StatRow[] {
  const counts = new Map<string, StatRow>();
  // Counted under the request's category and under all categories together.
  const add = (r: RequestRow, day: string, measure: string, value = 0) => {
    for (const categoryId of [r.categoryId, ALL_CATEGORIES]) {
      const key = `${day}|${categoryId}|${measure}|${value}`;
      const row = counts.get(key) ?? counts.set(key, { day, categoryId, measure, value, n: 0 }).get(key)!;
      row.n++;
    }
  };
  for (const r of requests) {
    const day = dayIn(r.createdAt, timeZone);
    const open = (OPEN_STATUSES as readonly RequestStatus[]).includes(r.status);
    const closed = (CLOSED_STATUSES as readonly RequestStatus[]).includes(r.status);
    const late = (until: Date) => businessDaysBetween(day, dayIn(until, timeZone)) > ACKNOWLEDGE_WITHIN_BUSINESS_DAYS;
    add(r, day, 'received');
    if (r.acknowledgedAt) add(r, day, 'ack_hours', hoursToAcknowledge(r.createdAt, r.acknowledgedAt));
    if (r.acknowledgedAt ? late(r.acknowledgedAt) : !open && r.closedAt !== null && late(r.closedAt)) add(r, day, 'ack_late');
    if (closed && r.closedAt) add(r, day, 'close_days', businessDaysBetween(day, dayIn(r.closedAt, timeZone)));
    if (closed && r.closedAt && r.dueAt && r.closedAt <= r.dueAt) add(r, day, 'closed_on_time');
    if (open) add(r, day, 'open');
    if (open && !r.acknowledgedAt) add(r, day, 'unacked');
  }
  return [...counts.values()].sort(byKey);
}

const byKey = (a: StatRow, b: StatRow) => `${a.day}|${a.categoryId}|${a.measure}|${String(a.value).padStart(9)}`.localeCompare(`${b.day}|${b.categoryId}|${b.measure}|${String(b.value).padStart(9)}`);

/** The rollup's rows with the changes still pending added in, as readers see it. */
async function storedStats(town: TownProfile): Promise<StatRow[]> {
  const rows = await withTown(town.id, (tx) =>
    selectRows<StatRow>(
      tx,
      sql`select day::text as day, category_id::text as "categoryId", measure, value, sum(n)::integer as n
            from (select day, category_id, measure, value, n from request_daily_stats where town_id = ${town.id}
                  union all
                  select day, category_id, measure, value, n from request_daily_stat_changes where town_id = ${town.id}) stored
           group by 1, 2, 3, 4 having sum(n) <> 0`,
    ),
  );
  return rows.sort(byKey);
}

const requestsOf = (town: TownProfile) => withTown(town.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.townId, town.id)));

async function expectRollupExact(...towns: TownProfile[]) {
  for (const town of towns) {
    expect(await requestStatsDifferences(town.id), `${town.slug}: rollup against a recomputation`).toEqual([]);
    expect(await storedStats(town), `${town.slug}: rollup against the rules`).toEqual(expectedStats(await requestsOf(town), town.timezone));
  }
}

async function categoryIds(town: TownProfile, codes: string[]): Promise<Record<string, string>> {
  const rows = await withTown(town.id, (tx) => tx.select({ id: categories.id, code: categories.code }).from(categories).where(inArray(categories.code, codes)));
  return Object.fromEntries(rows.map((r) => [r.code, r.id]));
}

/** A small deterministic random source, so a failure can be replayed. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('the rollup follows every change to the requests', () => {
  let ayer: TownProfile;
  let cats: string[];

  beforeAll(async () => {
    ayer = await townBySlug('ayer');
    cats = Object.values(await categoryIds(ayer, ['pothole', 'graffiti', 'streetlight']));
  });

  it('after a bulk insert of requests in every state, at every hour of the week (one statement, as the large-data generator writes)', async () => {
    const random = seeded(17);
    const start = Date.parse('2026-10-26T00:00:00Z'); // the week of the autumn clock change
    const statuses: RequestStatus[] = ['submitted', 'acknowledged', 'in_progress', 'fixed', 'not_fixed', 'duplicate', 'referred', 'withdrawn'];
    const rows = Array.from({ length: 400 }, (_, i) => {
      const createdAt = new Date(start + Math.floor(random() * 21 * 24) * 3_600_000 + Math.floor(random() * 3_600_000));
      const status = statuses[i % statuses.length]!;
      const later = (maxDays: number) => new Date(createdAt.getTime() + Math.floor(random() * maxDays * 86_400_000));
      const closedAt = CLOSED_STATUSES.includes(status as never) || status === 'withdrawn' ? later(12) : null;
      const acknowledgedAt = status === 'submitted' || status === 'withdrawn' ? null : random() < 0.1 && closedAt ? null : later(5);
      return requestRow(ayer, cats[i % cats.length]!, { createdAt, status, closedAt, acknowledgedAt: acknowledgedAt && closedAt && acknowledgedAt > closedAt ? closedAt : acknowledgedAt, dueAt: later(8) });
    });
    await withTown(ayer.id, (tx) => tx.insert(serviceRequests).values(rows));
    await expectRollupExact(ayer);
  });

  it('after status changes, recategorisations, acknowledgements and reopenings made in bulk', async () => {
    await withTown(ayer.id, async (tx) => {
      await tx.execute(sql`update service_requests set status = 'fixed', closed_at = created_at + interval '30 hours', acknowledged_at = coalesce(acknowledged_at, created_at + interval '2 hours') where town_id = ${ayer.id} and status = 'in_progress'`);
      await tx.execute(sql`update service_requests set status = 'in_progress', closed_at = null where town_id = ${ayer.id} and status = 'not_fixed'`);
      await tx.execute(sql`update service_requests set category_id = ${cats[0]!}::uuid where town_id = ${ayer.id} and number % 3 = 1`);
      await tx.execute(sql`update service_requests set acknowledged_at = created_at + interval '75 hours' where town_id = ${ayer.id} and status = 'acknowledged'`);
      // Moves nothing the rollup counts: must write nothing.
      await tx.execute(sql`update service_requests set description = 'edited' where town_id = ${ayer.id}`);
    });
    await expectRollupExact(ayer);
  });

  it('after deletions, down to rows that reach zero and disappear', async () => {
    await withTown(ayer.id, (tx) => tx.execute(sql`delete from service_requests where town_id = ${ayer.id} and number % 4 = 0`));
    await expectRollupExact(ayer);
    expect((await storedStats(ayer)).every((row) => row.n > 0)).toBe(true);
  });

  // Two open transactions need two connections: PGlite has one, so this runs on the PostgreSQL server (CI's second pass).
  it.runIf(inject('database').driver === 'postgres')("lets one town's filings run side by side, and counts a change not yet moved into the rollup", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let opened!: () => void;
    const firstIsOpen = new Promise<void>((resolve) => (opened = resolve));
    const first = withTown(ayer.id, async (tx) => {
      await tx.insert(serviceRequests).values(requestRow(ayer, cats[0]!, { createdAt: new Date(), status: 'submitted' }));
      opened();
      // Open until released: it holds the town's rollup rows, as a filing does until it commits.
      await released;
    });
    await firstIsOpen;
    const second = withTown(ayer.id, (tx) => tx.insert(serviceRequests).values(requestRow(ayer, cats[1]!, { createdAt: new Date(), status: 'acknowledged', acknowledgedAt: new Date() })));
    const outcome = await Promise.race([second.then(() => 'committed'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000))]);
    expect(outcome).toBe('committed');
    // The second's change waits in request_daily_stat_changes; the figures count it all the same.
    const [pending] = await withTown(ayer.id, (tx) => selectRows<{ n: number }>(tx, sql`select count(*)::int as n from request_daily_stat_changes where town_id = ${ayer.id}`));
    expect(pending!.n).toBeGreaterThan(0);
    await expectRollupExact(ayer);
    release();
    await first;
    await expectRollupExact(ayer);
  });

  it('after filing, acknowledging, closing, reopening, recategorising, withdrawing and a transfer to another town, through the app', async () => {
    const somerville = await townBySlug('somerville');
    const malden = await townBySlug('malden');
    const staff = await townStaffFor(somerville, await createUser({ roles: [[somerville, 'staff']] }));
    const reporter = await createUser();
    const file = async (userId: string | null = null) => {
      const created = await createServiceRequest({
        town: somerville,
        categoryCode: 'graffiti',
        description: 'Tags on the wall',
        location: { ...PLACES.somervilleCityHall, address: null, source: 'map' },
        answers: {},
        reporter: { userId, email: null, name: null },
        photos: [],
        idempotencyKey: uuidv7(),
        links: townLinks(somerville.slug),
      });
      if (created.kind !== 'filed') throw new Error(`not filed: ${created.kind}`);
      return created.trackingNumber;
    };
    const seen = async (trackingNumber: string) => {
      const [row] = await withTown(somerville.id, (tx) => tx.select({ version: serviceRequests.version }).from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)));
      return { trackingNumber, expectedVersion: row!.version };
    };
    const links = townLinks(somerville.slug);

    const [first, second, third, fourth] = [await file(), await file(), await file(reporter.id), await file()];
    await expectRollupExact(somerville);
    expect(await acknowledge(staff, await seen(first), links)).toEqual({ ok: true });
    expect(await changeStatus(staff, await seen(second), { to: 'fixed' }, links)).toEqual({ ok: true });
    expect(await changeStatus(staff, await seen(second), { to: 'in_progress' }, links)).toEqual({ ok: true });
    expect(await recategorise(staff, await seen(first), 'pothole')).toEqual({ ok: true });
    expect(await withdrawRequest(await residentFor(reporter), somerville.id, third, links)).toMatchObject({ ok: true });
    await expectRollupExact(somerville);

    const moved = await correctLocation(staff, await seen(fourth), { ...PLACES.maldenCityHall, address: null }, townLinks, 'Over the line: yours.');
    expect(moved).toMatchObject({ ok: true, transferredTo: { townSlug: 'malden' } });
    await expectRollupExact(somerville, malden);
    // The source is referred (closed) in Somerville; Malden received it on the day of the transfer.
    const [source] = await requestsOf(somerville).then((rows) => rows.filter((r) => r.trackingNumber === fourth));
    expect(source).toMatchObject({ status: 'referred' });
    const [copy] = await withTown(malden.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.idempotencyKey, `transfer-${somerville.id}-${source!.id}`)));
    expect(copy!.createdAt.getTime()).toBeGreaterThan(source!.createdAt.getTime());
    expect(await storedStats(malden)).toEqual(
      expect.arrayContaining([{ day: dayIn(copy!.createdAt, malden.timezone), categoryId: copy!.categoryId, measure: 'received', value: 0, n: 1 }]),
    );
  });

  it('a rebuild restores a rollup that was tampered with', async () => {
    await withTown(ayer.id, (tx) => tx.execute(sql`update request_daily_stats set n = n + 5 where town_id = ${ayer.id} and measure = 'received'`));
    expect((await requestStatsDifferences(ayer.id)).length).toBeGreaterThan(0);
    await rebuildRequestDailyStats(ayer.id);
    await expectRollupExact(ayer);
  });
});

/**
 * Hand-computed figures. Chelsea, November 2026 (Boston is UTC−5); "today" is Wednesday 25th,
 * the period Monday 16th to today. Business days are counted from the received day.
 */
describe('figures from the rollup, against hand-computed values', () => {
  const today = '2026-11-25';
  const period = { from: '2026-11-16', to: today };
  let chelsea: TownProfile;

  beforeAll(async () => {
    chelsea = await townBySlug('chelsea');
    const { pothole, graffiti } = await categoryIds(chelsea, ['pothole', 'graffiti']);
    const at = (iso: string) => new Date(iso);
    const rows = [
      // A: Mon 10:00, acknowledged after 2.5 h (3), fixed Wed (2 business days), by its due time.
      requestRow(chelsea, pothole!, { createdAt: at('2026-11-16T15:00Z'), acknowledgedAt: at('2026-11-16T17:30Z'), status: 'fixed', closedAt: at('2026-11-18T14:00Z'), dueAt: at('2026-11-19T15:00Z') }),
      // B: Mon 22:00 (Tuesday in UTC), acknowledged Thu 10:00 (60 h; 3 business days: late), not fixed Fri (4), after its due time.
      requestRow(chelsea, pothole!, { createdAt: at('2026-11-17T03:00Z'), acknowledgedAt: at('2026-11-19T15:00Z'), status: 'not_fixed', closedAt: at('2026-11-20T15:00Z'), dueAt: at('2026-11-19T15:00Z') }),
      // C: Fri 16:00, acknowledged Mon 08:00 (64 h; 1 business day), in progress.
      requestRow(chelsea, graffiti!, { createdAt: at('2026-11-20T21:00Z'), acknowledgedAt: at('2026-11-23T13:00Z'), status: 'in_progress' }),
      // D: Sat 10:00, never acknowledged: Mon, Tue, Wed have passed, so late today.
      requestRow(chelsea, graffiti!, { createdAt: at('2026-11-21T15:00Z'), status: 'submitted' }),
      // E: Mon 09:00, never acknowledged: Tue and Wed only, not late yet.
      requestRow(chelsea, graffiti!, { createdAt: at('2026-11-23T14:00Z'), status: 'submitted' }),
      // F: Tue 09:00, withdrawn Fri without acknowledgement (3 business days: late); not closed by the town.
      requestRow(chelsea, graffiti!, { createdAt: at('2026-11-17T14:00Z'), status: 'withdrawn', closedAt: at('2026-11-20T14:00Z') }),
      // G: Wed 09:00, acknowledged at once (0 h), closed as a duplicate the same day (0), on time.
      requestRow(chelsea, graffiti!, { createdAt: at('2026-11-18T14:00Z'), acknowledgedAt: at('2026-11-18T14:00Z'), status: 'duplicate', closedAt: at('2026-11-18T16:00Z'), dueAt: at('2026-11-25T14:00Z') }),
      // H: before the period (10th), fixed.
      requestRow(chelsea, graffiti!, { createdAt: at('2026-11-10T14:00Z'), acknowledgedAt: at('2026-11-10T15:00Z'), status: 'fixed', closedAt: at('2026-11-11T14:00Z') }),
      // I: 1 October, still open (acknowledged): 55 days old today.
      requestRow(chelsea, graffiti!, { createdAt: at('2026-10-01T14:00Z'), acknowledgedAt: at('2026-10-01T15:00Z'), status: 'acknowledged' }),
    ];
    await withTown(chelsea.id, (tx) => tx.insert(serviceRequests).values(rows));
  });

  const read = <T,>(fn: Parameters<typeof withStateOversight<T>>[0]) => withStateOversight(fn);

  it('per town: counts, exact medians (an even count averages the middle two), late and on-time counts', async () => {
    const [figures] = await read((tx) => selectPeriodFigures(tx, period, today, { townIds: [chelsea.id] }, 'town'));
    expect(figures).toEqual({
      townId: chelsea.id,
      group: null,
      received: 7, // A–G
      acknowledged: 4, // A 3 h, B 60 h, C 64 h, G 0 h
      medianHoursToAcknowledge: 31.5, // (3 + 60) / 2
      acknowledgedLate: 3, // B acknowledged late, F withdrawn late, D still waiting past its two days
      closed: 3, // A 2, B 4, G 0 business days (F was withdrawn, not closed)
      medianBusinessDaysToClose: 2,
      closedOnTime: 2, // A and G
      stillOpen: 3, // C, D, E
    });
  });

  it('per program category and per month', async () => {
    const byCategory = await read((tx) => selectPeriodFigures(tx, period, today, { townIds: [chelsea.id] }, 'program_category'));
    expect(byCategory.map((f) => [f.group, f.received, f.closed, f.medianBusinessDaysToClose, f.medianHoursToAcknowledge])).toEqual([
      ['graffiti', 5, 1, 0, 32], // C, D, E, F, G; closed G (0); acknowledged C 64 h and G 0 h
      ['pothole', 2, 2, 3, 31.5], // A, B: closed after 2 and 4; acknowledged after 3 and 60 h
    ]);
    const onlyPotholes = await read((tx) => selectPeriodFigures(tx, period, today, { townIds: [chelsea.id], programCategory: 'pothole' }, 'town'));
    expect(onlyPotholes.map((f) => f.received)).toEqual([2]);
    const byMonth = await read((tx) => selectPeriodFigures(tx, { from: '2026-10-01', to: today }, today, { townIds: [chelsea.id] }, 'month'));
    expect(byMonth.map((f) => [f.group, f.received, f.stillOpen])).toEqual([
      ['2026-10', 1, 1],
      ['2026-11', 8, 3],
    ]);
  });

  it('backlog now: every open request, and the median of their ages in days', async () => {
    // Open: C (5 days), D (4), E (2), I (55): the middle two are 4 and 5.
    expect(await read((tx) => selectBacklog(tx, today, { townIds: [chelsea.id] }))).toEqual([{ townId: chelsea.id, group: null, open: 4, medianAgeDays: 4.5 }]);
  });

  it('requests in the last 30, 90 and 365 days, and per week', async () => {
    expect(await read((tx) => selectReceivedCounts(tx, today, { townIds: [chelsea.id] }))).toEqual([{ townId: chelsea.id, last30: 8, last90: 9, last365: 9 }]);
    const weekly = (await read((tx) => selectWeeklyReceived(tx, today, { townIds: [chelsea.id] }, 8))).get(chelsea.id);
    // Weeks end today: 19–25 Nov (C, D, E), 12–18 (A, B, F, G), 5–11 (H); I is in the week of 1 Oct, eight weeks back.
    expect(weekly).toEqual([1, 0, 0, 0, 0, 1, 4, 3]);
  });
});
