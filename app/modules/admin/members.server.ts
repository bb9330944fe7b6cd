import { and, asc, eq } from 'drizzle-orm';
import { memberships, users } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { TownRole } from '#db/vocabulary';
import { recordAuditBy } from '~/modules/audit/audit.server';
import type { TownAdmin } from '~/utils/capabilities.server';

export type TownMember = { userId: string; email: string; displayName: string | null; role: TownRole; since: Date };

export async function listTownMembers(admin: TownAdmin): Promise<TownMember[]> {
  return withTown(admin.town.id, (tx) =>
    tx
      .select({ userId: memberships.userId, email: users.email, displayName: users.displayName, role: memberships.role, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .orderBy(asc(memberships.role), asc(users.email)),
  );
}

export type MemberChangeResult = { ok: true; email: string } | { ok: false; reason: 'not_member' } | { ok: false; reason: 'last_admin'; self: boolean };

/**
 * The member's row, plus every admin row locked: two admins demoting each other at the same
 * moment then run one after the other, and the second sees that it would leave no admin.
 */
async function lockMember(tx: Tx, userId: string) {
  const admins = await tx.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.role, 'admin')).for('update');
  const [member] = await tx
    .select({ role: memberships.role, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.userId, userId))
    .for('update', { of: memberships });
  return { member: member ?? null, lastAdmin: admins.length === 1 && admins[0]!.userId === userId };
}

export async function changeMemberRole(admin: TownAdmin, userId: string, role: TownRole): Promise<MemberChangeResult> {
  return withTown(admin.town.id, async (tx) => {
    const { member, lastAdmin } = await lockMember(tx, userId);
    if (!member) return { ok: false, reason: 'not_member' };
    if (member.role === role) return { ok: true, email: member.email };
    if (lastAdmin) return { ok: false, reason: 'last_admin', self: userId === admin.user.id };
    await tx.update(memberships).set({ role }).where(and(eq(memberships.townId, admin.town.id), eq(memberships.userId, userId)));
    await recordAuditBy(tx, admin, {
      action: 'membership.role_changed',
      entityType: 'membership',
      entityId: userId,
      before: { email: member.email, role: member.role },
      after: { email: member.email, role },
    });
    return { ok: true, email: member.email };
  });
}

/** Ends the person's access to this town only; their account and their access elsewhere stay. */
export async function removeMember(admin: TownAdmin, userId: string): Promise<MemberChangeResult> {
  return withTown(admin.town.id, async (tx) => {
    const { member, lastAdmin } = await lockMember(tx, userId);
    if (!member) return { ok: false, reason: 'not_member' };
    if (lastAdmin) return { ok: false, reason: 'last_admin', self: userId === admin.user.id };
    await tx.delete(memberships).where(and(eq(memberships.townId, admin.town.id), eq(memberships.userId, userId)));
    await recordAuditBy(tx, admin, { action: 'membership.removed', entityType: 'membership', entityId: userId, before: { email: member.email, role: member.role } });
    return { ok: true, email: member.email };
  });
}
