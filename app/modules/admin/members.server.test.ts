import { getTownRole } from '~/utils/memberships.server';
import { townAdminFor } from '../../../tests/capabilities';
import { createUser, townBySlug } from '../../../tests/factories';
import { changeMemberRole, listTownMembers, removeMember } from './members.server';

describe('town members', () => {
  it('never leaves a town without an administrator', async () => {
    // The test database starts with no members, so this admin is Malden's only one.
    const town = await townBySlug('malden');
    const admin = await createUser({ roles: [[town, 'admin']] });
    const staff = await createUser({ roles: [[town, 'staff']] });
    const asAdmin = await townAdminFor(town, admin);
    expect(await changeMemberRole(asAdmin, admin.id, 'staff')).toEqual({ ok: false, reason: 'last_admin', self: true });
    expect(await removeMember(asAdmin, admin.id)).toEqual({ ok: false, reason: 'last_admin', self: true });

    expect(await changeMemberRole(asAdmin, staff.id, 'admin')).toEqual({ ok: true, email: staff.email, reassigned: 0 });
    const asPromoted = await townAdminFor(town, staff);
    expect(await changeMemberRole(asAdmin, admin.id, 'staff')).toEqual({ ok: true, email: admin.email, reassigned: 0 });
    expect(await getTownRole(town.id, admin.id)).toBe('staff');
    expect(await removeMember(asPromoted, admin.id)).toEqual({ ok: true, email: admin.email, reassigned: 0 });
    expect(await getTownRole(town.id, admin.id)).toBeNull();
    expect((await listTownMembers(asPromoted)).map((m) => m.email)).toEqual([staff.email]);
  });

  it('only sees members of its own town', async () => {
    const somerville = await townBySlug('somerville');
    const malden = await townBySlug('malden');
    const elsewhere = await createUser({ roles: [[somerville, 'staff']] });
    const maldenAdmin = await townAdminFor(malden, await createUser({ roles: [[malden, 'admin']] }));
    expect(await changeMemberRole(maldenAdmin, elsewhere.id, 'admin')).toEqual({ ok: false, reason: 'not_member' });
    expect(await removeMember(maldenAdmin, elsewhere.id)).toEqual({ ok: false, reason: 'not_member' });
    expect(await getTownRole(somerville.id, elsewhere.id)).toBe('staff');
  });
});
