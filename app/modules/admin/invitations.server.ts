import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { memberships, staffInvitations, users } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { TownRole } from '#db/vocabulary';
import { recordAudit, recordAuditBy } from '~/modules/audit/audit.server';
import { invitationEmail } from '~/modules/notifications/invitation-emails.server';
import type { Resident, TownAdmin } from '~/utils/capabilities.server';
import { enqueueTownEmail } from '~/utils/outbox.server';

export const INVITATION_VALID_DAYS = 7;
const DAY_MS = 86_400_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type PendingInvitation = { id: string; email: string; role: TownRole; expiresAt: Date; invitedBy: string | null };

export async function listPendingInvitations(admin: TownAdmin): Promise<PendingInvitation[]> {
  return withTown(admin.town.id, (tx) =>
    tx
      .select({ id: staffInvitations.id, email: staffInvitations.email, role: staffInvitations.role, expiresAt: staffInvitations.expiresAt, invitedBy: users.email })
      .from(staffInvitations)
      .leftJoin(users, eq(users.id, staffInvitations.invitedByUserId))
      .where(isNull(staffInvitations.acceptedAt))
      .orderBy(asc(staffInvitations.createdAt)),
  );
}

export type InviteResult = { ok: true } | { ok: false; reason: 'already_member'; role: TownRole };

/**
 * Stores only the token's hash and emails the link (outbox, same transaction). Inviting the same
 * address again replaces its open invitation, so only the newest link works.
 */
export async function inviteStaff(admin: TownAdmin, input: InvitationInput): Promise<InviteResult> {
  return withTown(admin.town.id, (tx) => createInvitation(tx, admin.town, { userId: admin.user.id, name: admin.user.displayName ?? admin.user.email }, input));
}

export type InvitationInput = { email: string; role: TownRole; acceptUrl: (token: string) => string; now?: Date };

/**
 * The invitation itself, inside a transaction already scoped to `town` (a town admin's, or the
 * state program's while it adds the town); audited as the inviter's.
 */
export async function createInvitation(tx: Tx, town: { id: number; name: string }, inviter: { userId: string; name: string }, input: InvitationInput): Promise<InviteResult> {
  const { email, role } = input;
  const now = input.now ?? new Date();
  const [member] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  if (member) return { ok: false, reason: 'already_member', role: member.role };
  await tx.delete(staffInvitations).where(and(sql`lower(${staffInvitations.email}) = ${email.toLowerCase()}`, isNull(staffInvitations.acceptedAt)));
  const token = randomBytes(32).toString('base64url');
  const id = uuidv7();
  const expiresAt = new Date(now.getTime() + INVITATION_VALID_DAYS * DAY_MS);
  await tx.insert(staffInvitations).values({ townId: town.id, id, email, role, tokenHash: hashToken(token), invitedByUserId: inviter.userId, expiresAt });
  await enqueueTownEmail(tx, town.id, invitationEmail(email, { townName: town.name, role, link: input.acceptUrl(token), invitedBy: inviter.name, validDays: INVITATION_VALID_DAYS }));
  await recordAudit(tx, town.id, { actorUserId: inviter.userId, action: 'invitation.sent', entityType: 'invitation', entityId: id, after: { email, role, expiresAt } });
  return { ok: true };
}

/** The link stops working at once; false when there was no open invitation with this id. */
export async function revokeInvitation(admin: TownAdmin, id: string): Promise<boolean> {
  return withTown(admin.town.id, async (tx) => {
    const [revoked] = await tx
      .delete(staffInvitations)
      .where(and(eq(staffInvitations.id, id), isNull(staffInvitations.acceptedAt)))
      .returning({ email: staffInvitations.email, role: staffInvitations.role });
    if (!revoked) return false;
    await recordAuditBy(tx, admin, { action: 'invitation.revoked', entityType: 'invitation', entityId: id, before: revoked });
    return true;
  });
}

export type InvitationState =
  | { status: 'valid'; email: string; role: TownRole; expiresAt: Date }
  | { status: 'invalid' }
  | { status: 'expired'; email: string }
  | { status: 'used'; email: string };

/** Tokens are looked up in the town of the host they arrived on; another town's token is simply unknown here. */
export async function inspectInvitation(townId: number, token: string, now = new Date()): Promise<InvitationState> {
  const [row] = await withTown(townId, (tx) => tx.select().from(staffInvitations).where(eq(staffInvitations.tokenHash, hashToken(token))));
  if (!row) return { status: 'invalid' };
  if (row.acceptedAt) return { status: 'used', email: row.email };
  if (row.expiresAt <= now) return { status: 'expired', email: row.email };
  return { status: 'valid', email: row.email, role: row.role, expiresAt: row.expiresAt };
}

export type AcceptResult =
  | { ok: true; role: TownRole }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'expired' | 'used'; invitedEmail: string }
  | { ok: false; reason: 'email_mismatch'; invitedEmail: string };

/**
 * Grants the invited role to the signed-in account if its email is the invited one (any case).
 * Marking the token used, the membership and the audit entry are one transaction, so a double
 * click or two tabs grant once. Accepting never lowers a role the person already has.
 */
export async function acceptInvitation(resident: Resident, townId: number, token: string, now = new Date()): Promise<AcceptResult> {
  const { user } = resident;
  return withTown(townId, async (tx) => {
    const [invitation] = await tx.select().from(staffInvitations).where(eq(staffInvitations.tokenHash, hashToken(token))).for('update');
    if (!invitation) return { ok: false, reason: 'invalid' };
    if (invitation.acceptedAt) return { ok: false, reason: 'used', invitedEmail: invitation.email };
    if (invitation.expiresAt <= now) return { ok: false, reason: 'expired', invitedEmail: invitation.email };
    if (invitation.email.toLowerCase() !== user.email.toLowerCase()) return { ok: false, reason: 'email_mismatch', invitedEmail: invitation.email };
    await tx.update(staffInvitations).set({ acceptedAt: now }).where(eq(staffInvitations.id, invitation.id));
    const [existing] = await tx.select({ role: memberships.role }).from(memberships).where(eq(memberships.userId, user.id)).for('update');
    const role: TownRole = existing?.role === 'admin' ? 'admin' : invitation.role;
    // The same upsert as grantTownRole, inside this transaction.
    await tx
      .insert(memberships)
      .values({ townId, userId: user.id, role })
      .onConflictDoUpdate({ target: [memberships.townId, memberships.userId], set: { role } });
    await recordAudit(tx, townId, {
      actorUserId: user.id,
      action: 'invitation.accepted',
      entityType: 'membership',
      entityId: user.id,
      before: existing ? { role: existing.role } : null,
      after: { email: user.email, role, invitationId: invitation.id },
    });
    return { ok: true, role };
  });
}
