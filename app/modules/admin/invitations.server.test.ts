import { eq } from 'drizzle-orm';
import { staffInvitations } from '#db/schema';
import { withTown } from '#db/scope';
import { getTownRole, grantTownRole } from '~/utils/memberships.server';
import { residentFor, townAdminFor } from '../../../tests/capabilities';
import { createUser, mailboxFor, townBySlug } from '../../../tests/factories';
import { acceptInvitation, inspectInvitation, inviteStaff, listPendingInvitations, revokeInvitation } from './invitations.server';

const tokenIn = (text: string) => text.match(/\/invitations\/([\w-]+)/)![1]!;

describe('staff invitations', () => {
  it('stores only a hash, emails a one-time link and grants the role to the matching account', async () => {
    const town = await townBySlug('somerville');
    const admin = await townAdminFor(town, await createUser({ displayName: 'Alex Admin', roles: [[town, 'admin']] }));
    const invitee = await createUser({ email: 'Jo.Invitee@Example.com' });
    const result = await inviteStaff(admin, { email: 'jo.invitee@example.com', role: 'staff', acceptUrl: (t) => `http://somerville.localhost/invitations/${t}` });
    expect(result).toEqual({ ok: true });
    const [mail] = await mailboxFor('jo.invitee@example.com');
    expect(mail!.subject).toBe('Join Somerville on Commonwealth Connect');
    expect(mail!.text).toContain('Alex Admin invited you');
    const token = tokenIn(mail!.text);
    const [row] = await withTown(town.id, (tx) => tx.select().from(staffInvitations).where(eq(staffInvitations.email, 'jo.invitee@example.com')));
    expect(row!.tokenHash).not.toContain(token);
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    const stranger = await createUser();
    expect(await acceptInvitation(await residentFor(stranger), town.id, token)).toEqual({ ok: false, reason: 'email_mismatch', invitedEmail: 'jo.invitee@example.com' });
    expect(await acceptInvitation(await residentFor(invitee), (await townBySlug('malden')).id, token)).toEqual({ ok: false, reason: 'invalid' });
    expect(await acceptInvitation(await residentFor(invitee), town.id, token)).toEqual({ ok: true, role: 'staff' });
    expect(await getTownRole(town.id, invitee.id)).toBe('staff');
    expect(await acceptInvitation(await residentFor(invitee), town.id, token)).toEqual({ ok: false, reason: 'used', invitedEmail: 'jo.invitee@example.com' });
    expect(await inspectInvitation(town.id, token)).toEqual({ status: 'used', email: 'jo.invitee@example.com' });
  });

  it('refuses to invite a current member and replaces an open invitation to the same address', async () => {
    const town = await townBySlug('malden');
    const admin = await createUser({ roles: [[town, 'admin']] });
    const asAdmin = await townAdminFor(town, admin);
    const invite = (email: string) => inviteStaff(asAdmin, { email, role: 'admin', acceptUrl: (t) => `http://malden.localhost/invitations/${t}` });
    expect(await invite(admin.email)).toEqual({ ok: false, reason: 'already_member', role: 'admin' });
    await invite('sam@example.com');
    await invite('sam@example.com');
    const [first, second] = await mailboxFor('sam@example.com');
    expect(await inspectInvitation(town.id, tokenIn(first!.text))).toEqual({ status: 'invalid' });
    expect(await inspectInvitation(town.id, tokenIn(second!.text))).toMatchObject({ status: 'valid', role: 'admin' });
    const [pending] = (await listPendingInvitations(asAdmin)).filter((i) => i.email === 'sam@example.com');
    expect(await revokeInvitation(asAdmin, pending!.id)).toBe(true);
    expect(await inspectInvitation(town.id, tokenIn(second!.text))).toEqual({ status: 'invalid' });
  });

  it('expires after seven days and never lowers a role someone already has', async () => {
    const town = await townBySlug('somerville');
    const admin = await townAdminFor(town, await createUser({ roles: [[town, 'admin']] }));
    const invite = async (email: string) => {
      await inviteStaff(admin, { email, role: 'staff', acceptUrl: (t) => `http://x/invitations/${t}` });
      return tokenIn((await mailboxFor(email)).at(-1)!.text);
    };
    const late = await invite('late@example.com');
    const eightDaysOn = new Date(Date.now() + 8 * 86_400_000);
    expect(await inspectInvitation(town.id, late, eightDaysOn)).toEqual({ status: 'expired', email: 'late@example.com' });
    expect(await acceptInvitation(await residentFor(await createUser({ email: 'late@example.com' })), town.id, late, eightDaysOn)).toMatchObject({ ok: false, reason: 'expired' });

    // Invited while a plain account, made admin by someone else before accepting.
    const promoted = await createUser({ email: 'promoted@example.com' });
    const token = await invite('promoted@example.com');
    await grantTownRole(town.id, promoted.id, 'admin');
    expect(await acceptInvitation(await residentFor(promoted), town.id, token)).toEqual({ ok: true, role: 'admin' });
  });
});
