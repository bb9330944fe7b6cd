import { and, count, gt, isNull, sql } from 'drizzle-orm';
import { categories, departments, memberships, staffInvitations } from '#db/schema';
import { withTown } from '#db/scope';
import type { TownAdmin } from '~/utils/capabilities.server';

export type AdminOverview = {
  categories: { active: number; inactive: number };
  departments: number;
  members: { staff: number; admin: number };
  pendingInvitations: number;
};

export async function getAdminOverview(admin: TownAdmin, now = new Date()): Promise<AdminOverview> {
  return withTown(admin.town.id, async (tx) => {
    const [categoryCounts] = await tx.select({ total: count(), active: sql<number>`(count(*) filter (where ${categories.active}))::int` }).from(categories);
    const [departmentCount] = await tx.select({ n: count() }).from(departments);
    const roles = await tx.select({ role: memberships.role, n: count() }).from(memberships).groupBy(memberships.role);
    const [invitations] = await tx
      .select({ n: count() })
      .from(staffInvitations)
      .where(and(isNull(staffInvitations.acceptedAt), gt(staffInvitations.expiresAt, now)));
    const active = categoryCounts?.active ?? 0;
    return {
      categories: { active, inactive: (categoryCounts?.total ?? 0) - active },
      departments: departmentCount?.n ?? 0,
      members: { staff: roles.find((r) => r.role === 'staff')?.n ?? 0, admin: roles.find((r) => r.role === 'admin')?.n ?? 0 },
      pendingInvitations: invitations?.n ?? 0,
    };
  });
}
