import { sql, type SQL } from 'drizzle-orm';
import { selectRows } from '#db/rows';
import { withTown, type Tx } from '#db/scope';
import { ALL_CATEGORIES } from '#db/vocabulary';
import { lateIfReceivedBy, medianOfCounts, TREND_WEEKS } from './kpi';
import { addDays } from '~/utils/calendar-day';
import { programCategoryOf } from './program-categories.server';

/**
 * The daily rollup (`request_daily_stats`, docs/decisions/0017): its rebuild and its proof, and the
 * figures read from it. A trigger keeps it equal to the requests; the readers here take the
 * caller's transaction, which for anything across towns is `withStateOversight`.
 */

/**
 * The rollup as it stands: the rows of `request_daily_stats` and of the changes the trigger has not
 * moved into it yet (`request_daily_stat_changes`, docs/decisions/0017 addendum), which may count
 * negatively. Every reading sums its rows per key; conditions and joins reach both tables' indexes.
 */
const ROLLUP = sql.raw(`(
  select town_id, category_id, day, measure, value, n from request_daily_stats
  union all
  select town_id, category_id, day, measure, value, n from request_daily_stat_changes)`);

// The rollup recomputed straight from the requests, by the same per-request rules the trigger applies.
const recomputed = (townId: number) => sql`
  select r.town_id, m.day, coalesce(r.category_id, ${ALL_CATEGORIES}::uuid) as category_id, m.measure, m.value, count(*)::integer as n
    from service_requests r join towns t on t.id = r.town_id
    cross join lateral request_daily_stat_measures(r.status, r.created_at, r.acknowledged_at, r.closed_at, r.due_at, t.timezone) m
   where r.town_id = ${townId}
   group by r.town_id, m.day, m.measure, m.value, grouping sets ((r.category_id), ())`;

/**
 * Recomputes one town's rollup from its requests: for data loaded around the trigger, or a repair.
 * The table locks hold every town's request changes back until the rebuild commits (their trigger
 * appends to the changes first, then moves them into the rollup, so the changes are locked first),
 * so none is lost or counted twice between the deletes and the insert; a town takes seconds.
 */
export async function rebuildRequestDailyStats(townId: number): Promise<void> {
  await withTown(townId, async (tx) => {
    await tx.execute(sql`lock table request_daily_stat_changes, request_daily_stats in share row exclusive mode`);
    await tx.execute(sql`delete from request_daily_stat_changes where town_id = ${townId}`);
    await tx.execute(sql`delete from request_daily_stats where town_id = ${townId}`);
    await tx.execute(sql`insert into request_daily_stats (town_id, day, category_id, measure, value, n) ${recomputed(townId)}`);
  });
}

export type StatsDifference = { day: string; categoryId: string; measure: string; value: number; stored: number; recomputed: number };

/** Every (day, category, measure, value) where a town's rollup and a recomputation from its requests disagree; [] when equal. */
export async function requestStatsDifferences(townId: number): Promise<StatsDifference[]> {
  return withTown(townId, (tx) =>
    selectRows<StatsDifference>(
      tx,
      sql`
        with stored as (
               select day, category_id, measure, value, sum(n)::integer as n from ${ROLLUP} rollup
                where town_id = ${townId} group by 1, 2, 3, 4 having sum(n) <> 0),
             fresh as (select day, category_id, measure, value, n from (${recomputed(townId)}) x)
        select coalesce(s.day, f.day)::text as day, coalesce(s.category_id, f.category_id)::text as "categoryId",
               coalesce(s.measure, f.measure) as measure, coalesce(s.value, f.value) as value,
               coalesce(s.n, 0) as stored, coalesce(f.n, 0) as recomputed
          from stored s full join fresh f using (day, category_id, measure, value)
         where s.n is distinct from f.n
         order by 1, 2, 3, 4`,
    ),
  );
}

// Reading figures

/**
 * Which towns and which program category (all when left out) a reading covers. The towns are
 * always named: each is then a range of the indexes, where "every town" would read every day.
 */
export type StatsFilter = { townIds: number[]; programCategory?: string | null };

/** What the period figures are broken down by, besides the town. */
export type Grouping = 'town' | 'program_category' | 'department' | 'month';

/** The counts and medians behind one row of figures: a town, or a town's program category, department or month. */
export type PeriodFigures = {
  townId: number;
  /** The program category code, the department id (null: none) or the month (YYYY-MM); null for the town as a whole. */
  group: string | null;
  received: number;
  acknowledged: number;
  medianHoursToAcknowledge: number | null;
  /** Acknowledged after the rule's business days, or still waiting past them (see kpi.ts). */
  acknowledgedLate: number;
  closed: number;
  medianBusinessDaysToClose: number | null;
  closedOnTime: number;
  /** Of the period's requests, those open now. */
  stillOpen: number;
};

/** The figures of a town (or group) with no request in the period. */
export const noFigures = (townId: number): PeriodFigures => ({
  townId,
  group: null,
  received: 0,
  acknowledged: 0,
  medianHoursToAcknowledge: null,
  acknowledgedLate: 0,
  closed: 0,
  medianBusinessDaysToClose: null,
  closedOnTime: 0,
  stillOpen: 0,
});

const GROUP_EXPRESSION: Record<Grouping, SQL> = {
  town: sql`''`,
  program_category: programCategoryOf,
  department: sql`coalesce(categories.department_id::text, '')`,
  month: sql`to_char(s.day, 'YYYY-MM')`,
};

/**
 * The rollup rows a reading covers, with their group, as a subquery source named `s`: the rows for
 * all categories together when neither a program category nor a per-category grouping needs more.
 */
function statsSource(measures: SQL, days: { from?: string; to?: string }, filter: StatsFilter, grouping: Grouping): SQL {
  const townIds = sql.join(filter.townIds.length > 0 ? filter.townIds.map((id) => sql`${id}`) : [sql`null`], sql`, `);
  const dayConditions = [days.from ? sql`s.day >= ${days.from}::date` : undefined, days.to ? sql`s.day <= ${days.to}::date` : undefined].filter((c): c is SQL => c !== undefined);
  const byCategory = grouping === 'program_category' || grouping === 'department' || filter.programCategory != null;
  if (!byCategory) {
    // All categories together: one range of the (measure, category, town, day) index per measure and town.
    return sql`
      select s.town_id, ${GROUP_EXPRESSION[grouping]} as grp, s.measure, s.value, s.day, s.n
        from ${ROLLUP} s
       where ${sql.join([sql`s.measure in (${measures})`, sql`s.category_id = ${ALL_CATEGORIES}::uuid`, sql`s.town_id in (${townIds})`, ...dayConditions], sql` and `)}`;
  }
  // Per category: the categories first, then for each one range of the primary key (town, category,
  // day), which carries the counts; a category id names its town, so no town list multiplies the ranges.
  return sql`
    select s.town_id, ${GROUP_EXPRESSION[grouping]} as grp, s.measure, s.value, s.day, s.n
      from categories
      join ${ROLLUP} s on s.town_id = categories.town_id and s.category_id = categories.id
     where ${sql.join(
       [
         sql`categories.town_id in (${townIds})`,
         filter.programCategory != null ? sql`${programCategoryOf} = ${filter.programCategory}` : undefined,
         sql`s.measure in (${measures})`,
         ...dayConditions,
       ].filter((c): c is SQL => c !== undefined),
       sql` and `,
     )}`;
}

type Histogram = { townId: number; group: string; measure: string; value: number; n: number };

/** Groups a histogram (ordered by town, group, measure, value) into one entry per town and group. */
function byTownAndGroup(rows: Histogram[]): Map<string, { townId: number; group: string; rows: Histogram[] }> {
  const groups = new Map<string, { townId: number; group: string; rows: Histogram[] }>();
  for (const row of rows) {
    const key = `${row.townId}\u0000${row.group}`;
    (groups.get(key) ?? groups.set(key, { townId: row.townId, group: row.group, rows: [] }).get(key)!).rows.push(row);
  }
  return groups;
}

const groupOf = (grouping: Grouping, group: string) => (grouping === 'town' || group === '' ? null : group);

/**
 * The figures of the requests received from `days.from` to `days.to`, per town and `grouping`.
 * `today` decides which still-unacknowledged requests are already late. The database sums the
 * days (a few thousand rows out of up to a few hundred thousand); the medians are taken here.
 */
export async function selectPeriodFigures(tx: Tx, days: { from: string; to: string }, today: string, filter: StatsFilter, grouping: Grouping): Promise<PeriodFigures[]> {
  const source = statsSource(sql`'received', 'ack_hours', 'ack_late', 'close_days', 'closed_on_time', 'open', 'unacked'`, days, filter, grouping);
  const rows = await selectRows<Histogram>(
    tx,
    sql`
      select town_id as "townId", grp as "group", measure, value, n from (
        select town_id, grp, measure, value, sum(n) filter (where measure <> 'unacked' or day <= ${lateIfReceivedBy(today)}::date)::integer as n
          from (${source}) s group by 1, 2, 3, 4) h
       where n > 0
       order by 1, 2, 3, 4`,
  );
  return [...byTownAndGroup(rows).values()].map(({ townId, group, rows: histogram }) => {
    const total = (measure: string) => histogram.reduce((sum, r) => (r.measure === measure ? sum + r.n : sum), 0);
    return {
      townId,
      group: groupOf(grouping, group),
      received: total('received'),
      acknowledged: total('ack_hours'),
      medianHoursToAcknowledge: medianOfCounts(histogram.filter((r) => r.measure === 'ack_hours')),
      acknowledgedLate: total('ack_late') + total('unacked'),
      closed: total('close_days'),
      medianBusinessDaysToClose: medianOfCounts(histogram.filter((r) => r.measure === 'close_days')),
      closedOnTime: total('closed_on_time'),
      stillOpen: total('open'),
    };
  });
}

export type Backlog = { townId: number; group: string | null; open: number; medianAgeDays: number | null };

/** Requests open now, whenever received, and the median of their ages in days on `today`. */
export async function selectBacklog(tx: Tx, today: string, filter: StatsFilter, grouping: Exclude<Grouping, 'month'> = 'town'): Promise<Backlog[]> {
  const source = statsSource(sql`'open'`, {}, filter, grouping);
  // Summed per day, with the changes not yet in the rollup. Oldest day first, so the ages are reversed below.
  const rows = await selectRows<Histogram>(
    tx,
    sql`
      select town_id as "townId", grp as "group", 'age' as measure, (${today}::date - day) as value, sum(n)::integer as n
        from (${source}) s group by town_id, grp, day having sum(n) <> 0 order by 1, 2, day`,
  );
  return [...byTownAndGroup(rows).values()].map(({ townId, group, rows: ages }) => ({
    townId,
    group: groupOf(grouping, group),
    open: ages.reduce((sum, r) => sum + r.n, 0),
    medianAgeDays: medianOfCounts(ages.reverse()),
  }));
}

export type ReceivedCounts = { townId: number; last30: number; last90: number; last365: number };

/** Requests received in the last 30, 90 and 365 days, today included. */
export async function selectReceivedCounts(tx: Tx, today: string, filter: StatsFilter): Promise<ReceivedCounts[]> {
  const source = statsSource(sql`'received'`, { from: addDays(today, -364), to: today }, filter, 'town');
  return selectRows<ReceivedCounts>(
    tx,
    sql`
      select town_id as "townId",
             coalesce(sum(n) filter (where day > ${addDays(today, -30)}::date), 0)::integer as last30,
             coalesce(sum(n) filter (where day > ${addDays(today, -90)}::date), 0)::integer as last90,
             sum(n)::integer as last365
        from (${source}) s group by town_id order by town_id`,
  );
}

/** Requests received per week (seven days ending today, then the seven before…), oldest first, per town. */
export async function selectWeeklyReceived(tx: Tx, today: string, filter: StatsFilter, weeks = TREND_WEEKS): Promise<Map<number, number[]>> {
  const source = statsSource(sql`'received'`, { from: addDays(today, 1 - 7 * weeks), to: today }, filter, 'town');
  const rows = await selectRows<{ townId: number; weeksAgo: number; n: number }>(
    tx,
    sql`select town_id as "townId", ((${today}::date - day) / 7)::integer as "weeksAgo", sum(n)::integer as n from (${source}) s group by 1, 2`,
  );
  const perTown = new Map<number, number[]>();
  for (const row of rows) {
    const series = perTown.get(row.townId) ?? perTown.set(row.townId, new Array<number>(weeks).fill(0)).get(row.townId)!;
    series[weeks - 1 - row.weeksAgo] = row.n;
  }
  return perTown;
}
