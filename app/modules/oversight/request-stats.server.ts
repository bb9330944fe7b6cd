import { sql, type SQL } from 'drizzle-orm';
import { selectRows } from '#db/rows';
import { withTown, type Tx } from '#db/scope';
import { ALL_CATEGORIES } from '#db/vocabulary';
import { addDays, lateIfReceivedBy, TREND_WEEKS } from './kpi';
import { programCategoryOf } from './program-categories.server';

/**
 * The daily rollup (`request_daily_stats`, docs/decisions/0017): its rebuild and its proof, and the
 * figures read from it. A trigger keeps it equal to the requests; the readers here take the
 * caller's transaction, which for anything across towns is `withStateOversight`.
 */

// The rollup recomputed straight from the requests, by the same per-request rules the trigger applies.
const recomputed = (townId: number) => sql`
  select r.town_id, m.day, coalesce(r.category_id, ${ALL_CATEGORIES}::uuid) as category_id, m.measure, m.value, count(*)::integer as n
    from service_requests r join towns t on t.id = r.town_id
    cross join lateral request_daily_stat_measures(r.status, r.created_at, r.acknowledged_at, r.closed_at, r.due_at, t.timezone) m
   where r.town_id = ${townId}
   group by r.town_id, m.day, m.measure, m.value, grouping sets ((r.category_id), ())`;

/**
 * Recomputes one town's rollup from its requests: for data loaded around the trigger, or a repair.
 * The table lock holds every town's request changes back until the rebuild commits (their trigger
 * writes the rollup), so none is lost between the delete and the insert; a town takes seconds.
 */
export async function rebuildRequestDailyStats(townId: number): Promise<void> {
  await withTown(townId, async (tx) => {
    await tx.execute(sql`lock table request_daily_stats in share row exclusive mode`);
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
        with stored as (select day, category_id, measure, value, n from request_daily_stats where town_id = ${townId}),
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

/** Which towns and which program category a reading covers; all of either when left out. */
export type StatsFilter = { townIds?: number[]; programCategory?: string | null };

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
function statsSource(measures: SQL, days: { from?: string; to?: string }, filter: StatsFilter, group: SQL): SQL {
  const joinCategories = group !== GROUP_EXPRESSION.town;
  const byCategory = joinCategories || filter.programCategory != null;
  const conditions = [
    sql`s.measure in (${measures})`,
    byCategory ? sql`s.category_id <> ${ALL_CATEGORIES}::uuid` : sql`s.category_id = ${ALL_CATEGORIES}::uuid`,
    days.from ? sql`s.day >= ${days.from}::date` : undefined,
    days.to ? sql`s.day <= ${days.to}::date` : undefined,
    filter.townIds ? sql`s.town_id in (${sql.join(filter.townIds.length > 0 ? filter.townIds.map((id) => sql`${id}`) : [sql`null`], sql`, `)})` : undefined,
    // The category ids first, so each is a range of the (measure, category, day) index.
    filter.programCategory != null ? sql`s.category_id = any(array(select categories.id from categories where ${programCategoryOf} = ${filter.programCategory}))` : undefined,
  ].filter((c): c is SQL => c !== undefined);
  return sql`
    select s.town_id, ${group} as grp, s.measure, s.value, s.day, s.n
      from request_daily_stats s
      ${joinCategories ? sql`join categories on categories.town_id = s.town_id and categories.id = s.category_id` : sql``}
     where ${sql.join(conditions, sql` and `)}`;
}

/**
 * The lower and upper middle value of each histogram (town, group, measure) → value → n: an exact
 * median is their mean. Position k of n values is the first value whose running count reaches k
 * (integer division: the sums are cast back from numeric).
 */
const middles = (histogram: SQL) => sql`
  select town_id, grp, measure, max(total)::integer as total,
         min(value) filter (where running >= (total + 1) / 2) as lower_middle,
         min(value) filter (where running >= total / 2 + 1) as upper_middle
    from (select town_id, grp, measure, value,
                 (sum(n) over (partition by town_id, grp, measure order by value))::bigint as running,
                 (sum(n) over (partition by town_id, grp, measure))::bigint as total
            from (${histogram}) h) c
   group by town_id, grp, measure`;

const median = (lower: number | null, upper: number | null) => (lower === null || upper === null ? null : (lower + upper) / 2);

type FigureRow = Omit<PeriodFigures, 'medianHoursToAcknowledge' | 'medianBusinessDaysToClose' | 'group'> & {
  group: string;
  ackLower: number | null;
  ackUpper: number | null;
  closeLower: number | null;
  closeUpper: number | null;
};

/**
 * The figures of the requests received from `days.from` to `days.to`, per town and `grouping`.
 * `today` decides which still-unacknowledged requests are already late.
 */
export async function selectPeriodFigures(tx: Tx, days: { from: string; to: string }, today: string, filter: StatsFilter, grouping: Grouping): Promise<PeriodFigures[]> {
  const source = statsSource(sql`'received', 'ack_hours', 'ack_late', 'close_days', 'closed_on_time', 'open', 'unacked'`, days, filter, GROUP_EXPRESSION[grouping]);
  // Summed over the days first (a few thousand rows from a few hundred thousand), keeping of the
  // unacknowledged only those already late today; everything after works on that.
  const rows = await selectRows<FigureRow>(
    tx,
    sql`
      with h as (
        select town_id, grp, measure, value, sum(n) filter (where measure <> 'unacked' or day <= ${lateIfReceivedBy(today)}::date) as n
          from (${source}) s group by 1, 2, 3, 4),
      m as (${middles(sql`select * from h where measure in ('ack_hours', 'close_days')`)}),
      t as (
        select town_id, grp,
               coalesce(sum(n) filter (where measure = 'received'), 0)::integer as received,
               coalesce(sum(n) filter (where measure = 'ack_hours'), 0)::integer as acknowledged,
               coalesce(sum(n) filter (where measure in ('ack_late', 'unacked')), 0)::integer as "acknowledgedLate",
               coalesce(sum(n) filter (where measure = 'close_days'), 0)::integer as closed,
               coalesce(sum(n) filter (where measure = 'closed_on_time'), 0)::integer as "closedOnTime",
               coalesce(sum(n) filter (where measure = 'open'), 0)::integer as "stillOpen"
          from h group by town_id, grp)
      select t.town_id as "townId", t.grp as "group", t.received, t.acknowledged, t."acknowledgedLate", t.closed, t."closedOnTime", t."stillOpen",
             a.lower_middle as "ackLower", a.upper_middle as "ackUpper", c.lower_middle as "closeLower", c.upper_middle as "closeUpper"
        from t
        left join m a on a.town_id = t.town_id and a.grp = t.grp and a.measure = 'ack_hours'
        left join m c on c.town_id = t.town_id and c.grp = t.grp and c.measure = 'close_days'
       order by 1, 2`,
  );
  return rows.map(({ ackLower, ackUpper, closeLower, closeUpper, group, ...counts }) => ({
    ...counts,
    group: grouping === 'town' || group === '' ? null : group,
    medianHoursToAcknowledge: median(ackLower, ackUpper),
    medianBusinessDaysToClose: median(closeLower, closeUpper),
  }));
}

export type Backlog = { townId: number; group: string | null; open: number; medianAgeDays: number | null };

/** Requests open now, whenever received, and the median of their ages in days on `today`. */
export async function selectBacklog(tx: Tx, today: string, filter: StatsFilter, grouping: Exclude<Grouping, 'month'> = 'town'): Promise<Backlog[]> {
  const source = statsSource(sql`'open'`, {}, filter, GROUP_EXPRESSION[grouping]);
  const ages = sql`select town_id, grp, 'age' as measure, (${today}::date - day) as value, sum(n) as n from (${source}) s group by 1, 2, 4`;
  const rows = await selectRows<{ townId: number; group: string; open: number; lower: number; upper: number }>(
    tx,
    sql`select town_id as "townId", grp as "group", total as open, lower_middle as lower, upper_middle as upper from (${middles(ages)}) m order by 1, 2`,
  );
  return rows.map((r) => ({ townId: r.townId, group: grouping === 'town' || r.group === '' ? null : r.group, open: r.open, medianAgeDays: median(r.lower, r.upper) }));
}

export type ReceivedCounts = { townId: number; last30: number; last90: number; last365: number };

/** Requests received in the last 30, 90 and 365 days, today included. */
export async function selectReceivedCounts(tx: Tx, today: string, filter: StatsFilter): Promise<ReceivedCounts[]> {
  const source = statsSource(sql`'received'`, { from: addDays(today, -364), to: today }, filter, GROUP_EXPRESSION.town);
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
  const source = statsSource(sql`'received'`, { from: addDays(today, 1 - 7 * weeks), to: today }, filter, GROUP_EXPRESSION.town);
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
