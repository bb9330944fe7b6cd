import { asc, sql } from 'drizzle-orm';
import { selectRows } from '#db/rows';
import { towns } from '#db/schema';
import { withStateOversight, type Tx } from '#db/scope';
import type { StateStaff } from '~/utils/capabilities.server';
import { ACTIVE_DAYS, RANKED_FIGURES, type ConsoleQuery, type ConsoleSort, type RankedFigure } from './console-query';
import { formatPeriod, periodDays, PROGRAM_TIME_ZONE, quartersSince, share, standings, TREND_WEEKS, type Better, type Period, type Standing } from './kpi';
import { addDays, dayIn } from '~/utils/calendar-day';
import { TOWN_LIFECYCLE_STATES, type TownLifecycleState } from '~/modules/towns/lifecycle';
import { lifecyclesByTownId } from '~/modules/towns/lifecycle-facts.server';
import { listProgramCategoryNames, type ProgramCategoryName } from '~/modules/categories/program-categories.server';
import { selectLongOverdueCounts } from './long-overdue.server';
import { noFigures, selectBacklog, selectPeriodFigures, selectReceivedCounts, selectWeeklyReceived, type PeriodFigures } from './request-stats.server';

/**
 * The state console (docs/decisions/0017): every town's figures from the daily rollup, read in one
 * `withStateOversight` transaction. Counts and medians only, no personal data, so nothing is
 * recorded in `oversight_reads`.
 */

/**
 * Oversight reads aggregate up to a few hundred thousand rollup rows. Compiling them (JIT) costs
 * more than it saves, and the sorts of a year's histograms need more than the default 4 MB of
 * memory not to spill to disk.
 */
export async function withFigureReads<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withStateOversight(async (tx) => {
    await tx.execute(sql`select set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`);
    return fn(tx);
  });
}

/** The figures a town's line shows, here and at the top of its drill-down. */
export type TownFigures = {
  received: { last30: number; last90: number; last365: number };
  period: PeriodFigures & { closedOnTimeShare: number | null; acknowledgedLateShare: number | null };
  backlog: { open: number; medianAgeDays: number | null };
  /** Requests per week, oldest first, the last week ending today. */
  trend: number[];
};

export const withShares = (f: PeriodFigures) => ({ ...f, closedOnTimeShare: share(f.closedOnTime, f.closed), acknowledgedLateShare: share(f.acknowledgedLate, f.received) });

/** Each town's figures over `period` (optionally one program category); the console and the drill-down read the same. */
export async function selectTownFigures(tx: Tx, townIds: number[], period: Period, programCategory: string | null, today: string): Promise<Map<number, TownFigures>> {
  const filter = { townIds, programCategory };
  // One after another: they share the transaction's connection.
  const periodRows = await selectPeriodFigures(tx, periodDays(period, today), today, filter, 'town');
  const backlog = await selectBacklog(tx, today, filter);
  const received = await selectReceivedCounts(tx, today, filter);
  const weekly = await selectWeeklyReceived(tx, today, filter);
  return new Map(
    townIds.map((id) => {
      const backlogRow = backlog.find((b) => b.townId === id);
      return [
        id,
        {
          received: (({ last30, last90, last365 }) => ({ last30, last90, last365 }))(received.find((r) => r.townId === id) ?? { townId: id, last30: 0, last90: 0, last365: 0 }),
          period: withShares(periodRows.find((r) => r.townId === id) ?? noFigures(id)),
          backlog: { open: backlogRow?.open ?? 0, medianAgeDays: backlogRow?.medianAgeDays ?? null },
          trend: weekly.get(id) ?? new Array<number>(TREND_WEEKS).fill(0),
        },
      ];
    }),
  );
}

/** Team members who signed in or did something the town's audit log recorded since `since`. */
export async function selectActiveStaff(tx: Tx, since: Date, townIds: number[]): Promise<Map<number, { active: number; members: number }>> {
  if (townIds.length === 0) return new Map();
  const rows = await selectRows<{ townId: number; active: number; members: number }>(
    tx,
    sql`
      select m.town_id as "townId", count(*)::integer as members,
             (count(*) filter (where u.last_signed_in_at >= ${since.toISOString()}::timestamptz or acted.user_id is not null))::integer as active
        from memberships m
        join users u on u.id = m.user_id
        left join lateral (
          select a.actor_user_id as user_id from audit_log a
           where a.town_id = m.town_id and a.actor_user_id = m.user_id and a.created_at >= ${since.toISOString()}::timestamptz limit 1
        ) acted on true
       where m.town_id in (${sql.join(townIds.map((id) => sql`${id}`), sql`, `)})
       group by m.town_id`,
  );
  return new Map(rows.map((r) => [r.townId, { active: r.active, members: r.members }]));
}

// The console

export type ConsoleRow = {
  slug: string;
  name: string;
  county: string;
  cohort: string;
  lifecycle: TownLifecycleState;
  figures: TownFigures;
  staff: { active: number; members: number };
  /** Open requests LONG_OVERDUE_BUSINESS_DAYS or more business days past their target. */
  longOverdue: number;
  standings: Partial<Record<RankedFigure, Standing>>;
};

/** How far back the quarters offered go. */
const REPORT_YEARS = 3;

export type StateConsole = {
  rows: ConsoleRow[];
  /** How many towns take part, before the filters. */
  townCount: number;
  period: { value: string; from: string; to: string };
  today: string;
  options: { programCategories: ProgramCategoryName[]; cohorts: string[]; counties: string[]; quarters: string[] };
};

/** How each ranked figure is read from a town's figures: its value, how many requests it rests on, and which way is better. */
const RANKING: Record<RankedFigure, { value: (f: TownFigures) => number | null; volume: (f: TownFigures) => number; better: Better }> = {
  backlog_age: { value: (f) => f.backlog.medianAgeDays, volume: (f) => f.backlog.open, better: 'lower' },
  ack: { value: (f) => f.period.medianHoursToAcknowledge, volume: (f) => f.period.acknowledged, better: 'lower' },
  close: { value: (f) => f.period.medianBusinessDaysToClose, volume: (f) => f.period.closed, better: 'lower' },
  on_time: { value: (f) => f.period.closedOnTimeShare, volume: (f) => f.period.closed, better: 'higher' },
  ack_late: { value: (f) => f.period.acknowledgedLateShare, volume: (f) => f.period.received, better: 'lower' },
};

const SORT_VALUE: Record<Exclude<ConsoleSort, 'town' | 'lifecycle' | RankedFigure>, (row: ConsoleRow) => number> = {
  received30: (r) => r.figures.received.last30,
  received90: (r) => r.figures.received.last90,
  received365: (r) => r.figures.received.last365,
  backlog: (r) => r.figures.backlog.open,
  long_overdue: (r) => r.longOverdue,
  staff: (r) => r.staff.active,
};

/**
 * The rows in the asked order; ties by name. A ranked figure sorts the towns it ranks by their
 * value and puts the rest (too few requests) after them, whichever the direction.
 */
function sortConsoleRows(rows: ConsoleRow[], sort: ConsoleSort, dir: 'asc' | 'desc'): ConsoleRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const byName = (a: ConsoleRow, b: ConsoleRow) => a.name.localeCompare(b.name);
  const compare = (a: ConsoleRow, b: ConsoleRow): number => {
    if (sort === 'town') return sign * byName(a, b);
    if (sort === 'lifecycle') return sign * (TOWN_LIFECYCLE_STATES.indexOf(a.lifecycle) - TOWN_LIFECYCLE_STATES.indexOf(b.lifecycle)) || byName(a, b);
    if (sort in SORT_VALUE) {
      const value = SORT_VALUE[sort as keyof typeof SORT_VALUE];
      return sign * (value(a) - value(b)) || byName(a, b);
    }
    const figure = sort as RankedFigure;
    const [ra, rb] = [a.standings[figure], b.standings[figure]];
    if (!ra || !rb) return (ra ? -1 : rb ? 1 : 0) || byName(a, b);
    const value = RANKING[figure].value;
    return sign * (value(a.figures)! - value(b.figures)!) || byName(a, b);
  };
  return [...rows].sort(compare);
}

export async function loadStateConsole(_stateStaff: StateStaff, query: ConsoleQuery, now = new Date()): Promise<StateConsole> {
  const today = dayIn(now, PROGRAM_TIME_ZONE);
  const lifecycles = await lifecyclesByTownId(now);
  return withFigureReads(async (tx) => {
    const allTowns = await tx
      .select({ id: towns.id, slug: towns.slug, name: towns.name, county: towns.county, cohort: towns.cohort, timezone: towns.timezone })
      .from(towns)
      .orderBy(asc(towns.name));
    const withLifecycle = allTowns.map((t) => ({ ...t, lifecycle: lifecycles.get(t.id)!.state }));
    const shown = withLifecycle.filter(
      (t) => (!query.cohort || t.cohort === query.cohort) && (!query.county || t.county === query.county) && (!query.lifecycle || t.lifecycle === query.lifecycle),
    );
    const ids = shown.map((t) => t.id);
    const figures = await selectTownFigures(tx, ids, query.period, query.category, today);
    const staff = await selectActiveStaff(tx, new Date(now.getTime() - ACTIVE_DAYS * 86_400_000), ids);
    const longOverdue = await selectLongOverdueCounts(tx, shown, now);
    const rows: ConsoleRow[] = shown.map((t) => ({
      slug: t.slug,
      name: t.name,
      county: t.county,
      cohort: t.cohort,
      lifecycle: t.lifecycle,
      figures: figures.get(t.id)!,
      staff: staff.get(t.id) ?? { active: 0, members: 0 },
      longOverdue: longOverdue.get(t.id) ?? 0,
      standings: {},
    }));
    // Ranked among the towns shown: filtering to a cohort compares the cohort.
    for (const figure of RANKED_FIGURES) {
      const { value, volume, better } = RANKING[figure];
      const ranked = standings(rows.map((r) => ({ key: r, value: value(r.figures), volume: volume(r.figures) })), better);
      for (const [row, standing] of ranked) row.standings[figure] = standing;
    }
    return {
      rows: sortConsoleRows(rows, query.sort, query.dir),
      townCount: allTowns.length,
      period: { value: formatPeriod(query.period), ...periodDays(query.period, today) },
      today,
      options: {
        programCategories: await listProgramCategoryNames(tx),
        cohorts: [...new Set(allTowns.map((t) => t.cohort))].sort(),
        counties: [...new Set(allTowns.map((t) => t.county))].sort(),
        quarters: quartersSince(addDays(today, -REPORT_YEARS * 365), today).map(formatPeriod),
      },
    };
  });
}
