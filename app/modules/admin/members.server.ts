import { and, asc, eq } from 'drizzle-orm';
import { memberships, users } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { TownRole } from '#db/vocabulary';
import { recordAuditBy } from '~/modules/audit/audit.server';
import type { RequestLinks } from '~/modules/requests/request-updates.server';
import { countOpenAssigned, reassignOpenRequests, type Reassignment } from '~/modules/staff/request-work.server';
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

/**
 * What becomes of the person's open requests when they leave or stop being an admin, decided in the
 * same step as the change: reassigned (see `Reassignment`; the links are for the new assignee's
 * email), or, on a change of role only, kept by them.
 */
export type OpenRequestsDecision = { to: 'keep' } | (Reassignment & { links: RequestLinks });

export type MemberChangeResult =
  | { ok: true; email: string; reassigned: number }
  | { ok: false; reason: 'not_member' }
  | { ok: false; reason: 'last_admin'; self: boolean }
  /** They have open requests and no (valid) choice was made for them: the page asks, naming how many. */
  | { ok: false; reason: 'choose_reassignment'; email: string; openRequests: number }
  /** "Another person" without one who works here (or the person themselves): asked again. */
  | { ok: false; reason: 'bad_person'; email: string; openRequests: number };

/**
 * The member's row, plus every admin row locked: two admins demoting each other at the same
 * moment then run one after the other, and the second sees that it would leave no admin. The
 * member's row stays locked until the change commits, so nothing can be assigned to them meanwhile.
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

type Change = { action: string; before: unknown; after: (openRequests: { reassignedTo: string; requests: string[] } | null) => unknown; apply: (tx: Tx) => Promise<unknown> };

/**
 * One transaction: the membership change, the person's open requests moved as decided (each audited
 * and on its timeline), and the change's audit entry naming what was reassigned.
 */
async function changeMembership(
  admin: TownAdmin,
  userId: string,
  decision: OpenRequestsDecision | null,
  plan: (member: { role: TownRole; email: string }) => Change | 'unchanged',
  keepAllowed: boolean,
): Promise<MemberChangeResult> {
  return withTown(admin.town.id, async (tx) => {
    const { member, lastAdmin } = await lockMember(tx, userId);
    if (!member) return { ok: false, reason: 'not_member' };
    const change = plan(member);
    if (change === 'unchanged') return { ok: true, email: member.email, reassigned: 0 };
    if (lastAdmin) return { ok: false, reason: 'last_admin', self: userId === admin.user.id };
    const openRequests = await countOpenAssigned(tx, userId);
    let moved: { reassignedTo: string; requests: string[] } | null = null;
    if (openRequests > 0) {
      if (!decision || (decision.to === 'keep' && !keepAllowed)) return { ok: false, reason: 'choose_reassignment', email: member.email, openRequests };
      if (decision.to !== 'keep') {
        const reassigned = await reassignOpenRequests(tx, admin, userId, decision, decision.links);
        if (!reassigned.ok) return { ok: false, reason: 'bad_person', email: member.email, openRequests };
        moved = { reassignedTo: decision.to === 'person' ? decision.userId : decision.to, requests: reassigned.trackingNumbers };
      }
    }
    await change.apply(tx);
    await recordAuditBy(tx, admin, { action: change.action, entityType: 'membership', entityId: userId, before: change.before, after: change.after(moved) });
    return { ok: true, email: member.email, reassigned: moved?.requests.length ?? 0 };
  });
}

/** A demotion (admin to staff) asks what becomes of the person's open requests; being still staff, they may keep them. */
export function changeMemberRole(admin: TownAdmin, userId: string, role: TownRole, decision: OpenRequestsDecision | null = null): Promise<MemberChangeResult> {
  return changeMembership(
    admin,
    userId,
    // A promotion takes nothing away, so it asks nothing.
    role === 'admin' ? { to: 'keep' } : decision,
    (member) =>
      member.role === role
        ? 'unchanged'
        : {
            action: 'membership.role_changed',
            before: { email: member.email, role: member.role },
            after: (openRequests) => ({ email: member.email, role, ...(openRequests ? { openRequests } : {}) }),
            apply: (tx) => tx.update(memberships).set({ role }).where(and(eq(memberships.townId, admin.town.id), eq(memberships.userId, userId))),
          },
    true,
  );
}

/** Ends the person's access to this town only (their account and access elsewhere stay); nothing open stays assigned to them. */
export function removeMember(admin: TownAdmin, userId: string, decision: OpenRequestsDecision | null = null): Promise<MemberChangeResult> {
  return changeMembership(
    admin,
    userId,
    decision,
    (member) => ({
      action: 'membership.removed',
      before: { email: member.email, role: member.role },
      after: (openRequests) => (openRequests ? { openRequests } : null),
      apply: (tx) => tx.delete(memberships).where(and(eq(memberships.townId, admin.town.id), eq(memberships.userId, userId))),
    }),
    false,
  );
}
