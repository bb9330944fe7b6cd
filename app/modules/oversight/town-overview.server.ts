import { and, asc, eq, isNull, max, sql } from 'drizzle-orm';
import { auditLog, categories, departments, memberships, towns, users } from '#db/schema';
import type { TownRole } from '#db/vocabulary';
import type { StateStaff } from '~/utils/capabilities.server';
import { ACTIVE_DAYS } from './console-query';
import { selectActiveStaff, selectTownFigures, withFigureReads, withShares, type TownFigures } from './console.server';
import { formatPeriod, periodDays, PROGRAM_TIME_ZONE, type Period } from './kpi';
import { dayIn } from '~/utils/calendar-day';
import type { TownLifecycle } from '~/modules/towns/lifecycle';
import { lifecyclesByTownId } from '~/modules/towns/lifecycle-facts.server';
import { selectLongOverdueRequests, type LongOverdueRequest } from './long-overdue.server';
import { recordOversightRead } from './oversight.server';
import { listProgramCategoryNames, type ProgramCategoryName } from '~/modules/categories/program-categories.server';
import { selectBacklog, selectPeriodFigures, type PeriodFigures } from './request-stats.server';

/**
 * One town, for state staff (`/state/towns/<slug>`): the console's figures for it, the same over the
 * last twelve months, by program category and by department, its team and configuration health,
 * and its grant. The team (names, emails, sign-ins) is personal data, so the read is recorded.
 */

export const MONTHS = 12;

type Shared = ReturnType<typeof withShares>;

export type TownOverview = {
  town: { slug: string; name: string; county: string; cohort: string; grantStart: string; grantEnd: string; lifecycle: TownLifecycle };
  period: { value: string; from: string; to: string };
  today: string;
  programCategory: ProgramCategoryName | null;
  figures: TownFigures;
  staff: { active: number; members: number };
  /** The last twelve calendar months, this one so far last. */
  monthly: { month: string; figures: Shared }[];
  byProgramCategory: { category: ProgramCategoryName; figures: Shared; open: number }[];
  /** By the department each category is routed to today (null: categories routed to none). */
  byDepartment: { department: { id: string; name: string } | null; figures: Shared }[];
  /** Open requests LONG_OVERDUE_BUSINESS_DAYS or more business days past their target: how many, and the longest overdue. */
  longOverdue: { total: number; requests: LongOverdueRequest[] };
  team: { name: string | null; email: string; role: TownRole; lastSignedInAt: string | null; lastActionAt: string | null }[];
  health: { categoriesWithoutDepartment: { code: string; name: string }[]; departmentsWithoutEmail: { name: string }[]; neverSignedIn: { name: string | null; email: string }[] };
};

const firstOfMonth = (day: string, monthsBack: number) => {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1 - monthsBack, 1)).toISOString().slice(0, 10);
};

export async function loadTownOverview(stateStaff: StateStaff, slug: string, query: { period: Period; category: string | null }, now = new Date()): Promise<TownOverview | null> {
  const today = dayIn(now, PROGRAM_TIME_ZONE);
  const lifecycles = await lifecyclesByTownId(now);
  return withFigureReads(async (tx) => {
    const [town] = await tx.select().from(towns).where(eq(towns.slug, slug));
    if (!town) return null;
    const programCategories = await listProgramCategoryNames(tx);
    const programCategory = programCategories.find((c) => c.code === query.category) ?? null;
    const filter = { townIds: [town.id], programCategory: programCategory?.code ?? null };
    const days = periodDays(query.period, today);

    const figures = (await selectTownFigures(tx, [town.id], query.period, filter.programCategory, today)).get(town.id)!;
    const staff = (await selectActiveStaff(tx, new Date(now.getTime() - ACTIVE_DAYS * 86_400_000), [town.id])).get(town.id) ?? { active: 0, members: 0 };

    const from = firstOfMonth(today, MONTHS - 1);
    const months = Array.from({ length: MONTHS }, (_, i) => firstOfMonth(today, MONTHS - 1 - i).slice(0, 7));
    const monthRows = await selectPeriodFigures(tx, { from, to: today }, today, filter, 'month');
    const monthly = months.map((month) => ({ month, figures: withShares(monthRows.find((r) => r.group === month) ?? emptyFigures(town.id, month)) }));

    const categoryRows = await selectPeriodFigures(tx, days, today, { townIds: [town.id] }, 'program_category');
    const openByCategory = await selectBacklog(tx, today, { townIds: [town.id] }, 'program_category');
    const byProgramCategory = categoryRows.map((row) => ({
      category: programCategories.find((c) => c.code === row.group) ?? { code: row.group!, name: row.group! },
      figures: withShares(row),
      open: openByCategory.find((b) => b.group === row.group)?.open ?? 0,
    }));

    const townDepartments = await tx.select({ id: departments.id, name: departments.name, email: departments.email }).from(departments).where(eq(departments.townId, town.id)).orderBy(asc(departments.name));
    const departmentRows = await selectPeriodFigures(tx, days, today, filter, 'department');
    const byDepartment = departmentRows
      .map((row) => {
        const department = townDepartments.find((d) => d.id === row.group);
        return { department: department ? { id: department.id, name: department.name } : null, figures: withShares(row) };
      })
      .sort((a, b) => (a.department === null ? 1 : b.department === null ? -1 : a.department.name.localeCompare(b.department.name)));

    const lastAction = tx
      .select({ userId: auditLog.actorUserId, at: max(auditLog.createdAt).as('at') })
      .from(auditLog)
      .where(eq(auditLog.townId, town.id))
      .groupBy(auditLog.actorUserId)
      .as('last_action');
    const team = await tx
      .select({ name: users.displayName, email: users.email, role: memberships.role, lastSignedInAt: users.lastSignedInAt, lastActionAt: lastAction.at })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .leftJoin(lastAction, eq(lastAction.userId, memberships.userId))
      .where(eq(memberships.townId, town.id))
      .orderBy(sql`lower(coalesce(${users.displayName}, ${users.email}))`, asc(users.email));
    const categoriesWithoutDepartment = await tx
      .select({ code: categories.code, name: categories.name })
      .from(categories)
      .where(and(eq(categories.townId, town.id), eq(categories.active, true), isNull(categories.departmentId)))
      .orderBy(asc(categories.sortOrder), asc(categories.name));
    const longOverdue = await selectLongOverdueRequests(tx, town, now);
    await recordOversightRead(tx, stateStaff, { what: `town overview of ${town.slug}: team, configuration and long-overdue requests`, townIds: [town.id] });

    return {
      town: {
        slug: town.slug,
        name: town.name,
        county: town.county,
        cohort: town.cohort,
        grantStart: town.grantStart,
        grantEnd: town.grantEnd,
        lifecycle: lifecycles.get(town.id)!,
      },
      period: { value: formatPeriod(query.period), ...days },
      today,
      programCategory,
      figures,
      staff,
      monthly,
      byProgramCategory,
      byDepartment,
      longOverdue,
      team: team.map((m) => ({ ...m, lastSignedInAt: m.lastSignedInAt?.toISOString() ?? null, lastActionAt: m.lastActionAt ? new Date(m.lastActionAt).toISOString() : null })),
      health: {
        categoriesWithoutDepartment,
        departmentsWithoutEmail: townDepartments.filter((d) => !d.email?.trim()).map((d) => ({ name: d.name })),
        neverSignedIn: team.filter((m) => m.lastSignedInAt === null).map((m) => ({ name: m.name, email: m.email })),
      },
    };
  });
}

function emptyFigures(townId: number, month: string): PeriodFigures {
  return { townId, group: month, received: 0, acknowledged: 0, medianHoursToAcknowledge: null, acknowledgedLate: 0, closed: 0, medianBusinessDaysToClose: null, closedOnTime: 0, stillOpen: 0 };
}
