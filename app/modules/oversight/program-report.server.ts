import { asc } from 'drizzle-orm';
import { towns } from '#db/schema';
import type { StateStaff } from '~/utils/capabilities.server';
import { csvLine } from '~/utils/csv';
import { withFigureReads, withShares } from './console.server';
import { formatPeriod, lastCompleteQuarter, MIN_VOLUME, parsePeriod, periodDays, PROGRAM_TIME_ZONE, type Period } from './kpi';
import { dayIn } from '~/utils/calendar-day';
import type { TownLifecycleState } from '~/modules/towns/lifecycle';
import { lifecyclesByTownId } from '~/modules/towns/lifecycle-facts.server';
import { listProgramCategoryNames, type ProgramCategoryName } from '~/modules/categories/program-categories.server';
import { noFigures, selectPeriodFigures } from './request-stats.server';

/**
 * The quarterly program report (`/state/report?quarter=2026-Q4` and its CSV): for every town, its
 * figures for the requests received in the quarter, as a whole and per program category. They are
 * read by the same `selectPeriodFigures` as the console with that quarter chosen, so the numbers are
 * the console's.
 */

type Quarter = Extract<Period, { kind: 'quarter' }>;

/** `?quarter=2026-Q4`; without one (or a malformed one), the last complete quarter. */
export function parseReportQuarter(params: URLSearchParams, now = new Date()): Quarter {
  const asked = parsePeriod(params.get('quarter') ?? '');
  return asked?.kind === 'quarter' ? asked : lastCompleteQuarter(dayIn(now, PROGRAM_TIME_ZONE));
}

export type ReportFigures = ReturnType<typeof withShares>;

export type ReportTown = {
  slug: string;
  name: string;
  county: string;
  cohort: string;
  lifecycle: TownLifecycleState;
  figures: ReportFigures;
  byProgramCategory: { category: ProgramCategoryName; figures: ReportFigures }[];
};

export type ProgramReport = { quarter: string; from: string; to: string; today: string; towns: ReportTown[] };

export async function loadProgramReport(_stateStaff: StateStaff, quarter: Quarter, now = new Date()): Promise<ProgramReport> {
  const today = dayIn(now, PROGRAM_TIME_ZONE);
  const days = periodDays(quarter, today);
  const lifecycles = await lifecyclesByTownId(now);
  return withFigureReads(async (tx) => {
    const allTowns = await tx
      .select({ id: towns.id, slug: towns.slug, name: towns.name, county: towns.county, cohort: towns.cohort })
      .from(towns)
      .orderBy(asc(towns.name));
    const townIds = allTowns.map((t) => t.id);
    const whole = await selectPeriodFigures(tx, days, today, { townIds }, 'town');
    const perCategory = await selectPeriodFigures(tx, days, today, { townIds }, 'program_category');
    const programCategories = await listProgramCategoryNames(tx);
    return {
      quarter: formatPeriod(quarter),
      ...days,
      today,
      towns: allTowns.map((t) => ({
        slug: t.slug,
        name: t.name,
        county: t.county,
        cohort: t.cohort,
        lifecycle: lifecycles.get(t.id)!.state,
        figures: withShares(whole.find((f) => f.townId === t.id) ?? noFigures(t.id)),
        byProgramCategory: perCategory
          .filter((f) => f.townId === t.id)
          .map((f) => ({ category: programCategories.find((c) => c.code === f.group) ?? { code: f.group!, name: f.group! }, figures: withShares(f) }))
          .sort((a, b) => a.category.name.localeCompare(b.category.name)),
      })),
    };
  });
}

/** The CSV's columns: identifiers a spreadsheet or a grant system reads, not wording. */
const REPORT_CSV_COLUMNS = [
  'quarter',
  'town_slug',
  'town',
  'county',
  'cohort',
  'lifecycle',
  'program_category_code',
  'program_category',
  'received',
  'acknowledged',
  'median_hours_to_acknowledge',
  'unacknowledged_after_2_business_days',
  'unacknowledged_after_2_business_days_share',
  'closed',
  'median_business_days_to_close',
  'closed_within_target',
  'closed_within_target_share',
  'still_open',
  `at_least_${MIN_VOLUME}_requests`,
] as const;

const ratio = (share: number | null) => (share === null ? null : Math.round(share * 100) / 10_000);

/** One line per town (program category left empty) and one per town and program category. */
export function programReportCsv(report: ProgramReport): string {
  const line = (town: ReportTown, category: ProgramCategoryName | null, f: ReportFigures) =>
    csvLine([
      report.quarter,
      town.slug,
      town.name,
      town.county,
      town.cohort,
      town.lifecycle,
      category?.code ?? null,
      category?.name ?? null,
      f.received,
      f.acknowledged,
      f.medianHoursToAcknowledge,
      f.acknowledgedLate,
      ratio(f.acknowledgedLateShare),
      f.closed,
      f.medianBusinessDaysToClose,
      f.closedOnTime,
      ratio(f.closedOnTimeShare),
      f.stillOpen,
      f.received >= MIN_VOLUME ? 'yes' : 'no',
    ]);
  const body = report.towns.flatMap((town) => [line(town, null, town.figures), ...town.byProgramCategory.map((c) => line(town, c.category, c.figures))]);
  // The byte-order mark makes Excel read the file as UTF-8.
  return `\uFEFF${csvLine([...REPORT_CSV_COLUMNS])}${body.join('')}`;
}
