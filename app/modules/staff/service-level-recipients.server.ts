import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { categories, departments, memberships, serviceRequests, users } from '#db/schema';
import { OPEN_STATUSES } from '~/modules/requests/statuses';
import type { Tx } from '#db/scope';
import type { TownRole } from '#db/vocabulary';
import { dateTimeFormat } from '~/utils/date-format';
import { fallbackLanguage, intlLocaleFor } from '~/i18n/config';
import type { StaffRequestRef } from '~/modules/notifications/service-level-emails.server';
import { queueSearchParams, DEFAULT_QUEUE_FILTERS, type QueueFilters } from './queue.server';
import { describePlace } from './request-work.server';
import { siteOrigin, townLinks } from '~/utils/town.server';

/**
 * Who answers for an open request (docs/decisions/0026): its assignee while they are on the town's
 * team; else its department, by the department's address (departments have an address, not members);
 * else the town's admins. The overdue email goes to them, and the daily digest lists the request for
 * each team member among them.
 */

export type TeamMember = { userId: string; email: string; role: TownRole; dailyDigest: boolean };

export function selectTeam(tx: Tx): Promise<TeamMember[]> {
  return tx
    .select({ userId: memberships.userId, email: users.email, role: memberships.role, dailyDigest: memberships.dailyDigest })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId));
}

export type Answerable = { assigneeUserId: string | null; departmentEmail: string | null };

/** The addresses that answer for `request` (lower-cased, no repeats). */
export function answeringFor(request: Answerable, team: readonly TeamMember[]): string[] {
  const assignee = team.find((m) => m.userId === request.assigneeUserId);
  if (assignee) return [assignee.email.toLowerCase()];
  const department = request.departmentEmail?.trim().toLowerCase();
  if (department) return [department];
  return [...new Set(team.filter((m) => m.role === 'admin').map((m) => m.email.toLowerCase()))];
}

export type RequestFacts = Answerable & { trackingNumber: string; categoryName: string; address: string | null; lat: number; lng: number; dueAt: Date };

const r = serviceRequests;

/** What the overdue email and the digest need of each open request (the caller adds its conditions, order and limit). */
export function selectRequestFacts(tx: Tx, where: SQL | undefined) {
  return tx
    .select({
      id: r.id,
      trackingNumber: r.trackingNumber,
      dueAt: r.dueAt,
      address: r.address,
      lat: r.lat,
      lng: r.lng,
      assigneeUserId: r.assigneeUserId,
      categoryName: categories.name,
      departmentEmail: departments.email,
    })
    .from(r)
    .innerJoin(categories, and(eq(categories.townId, r.townId), eq(categories.id, r.categoryId)))
    .leftJoin(departments, and(eq(departments.townId, r.townId), eq(departments.id, r.departmentId)))
    .where(and(inArray(r.status, [...OPEN_STATUSES]), where))
    .orderBy(asc(r.dueAt));
}

/** A request as staff emails name it, its due time in the town's zone (emails are in the fallback language, like recipientT). */
export function staffRef(request: RequestFacts, town: { slug: string; name: string; timezone: string }): StaffRequestRef {
  return {
    trackingNumber: request.trackingNumber,
    categoryName: request.categoryName,
    townName: town.name,
    place: describePlace(request),
    staffUrl: townLinks(town.slug).staffRequest(request.trackingNumber),
    due: dateTimeFormat(intlLocaleFor(fallbackLanguage), { timeZone: town.timezone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(request.dueAt),
  };
}

/** An absolute link to the staff queue showing `filters`. */
export function queueLink(townSlug: string, filters: Partial<QueueFilters>): string {
  return `${siteOrigin(townSlug)}/staff?${queueSearchParams({ ...DEFAULT_QUEUE_FILTERS, ...filters })}`;
}
