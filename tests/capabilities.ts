import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { users } from '#db/schema';
import type { TownProfile } from '~/utils/town-profile.server';
import type { SessionUser } from '~/utils/auth.server';
import { CAPABILITY, type Resident, type StateStaff, type TownAdmin, type TownStaff } from '~/utils/capabilities.server';
import { checkTownRole } from '~/utils/permissions.server';

/**
 * Test-only stand-ins for the guards: the capability a signed-in `user` would get from
 * requireTownRole, requireStateStaff or requireResident, after the same checks against the database.
 */
async function sessionUser(user: { id: string }): Promise<SessionUser> {
  const [row] = await getDatabase().db.select().from(users).where(eq(users.id, user.id));
  if (!row) throw new Error(`test user ${user.id} does not exist`);
  return { id: row.id, email: row.email, displayName: row.displayName, emailVerified: row.emailVerifiedAt !== null, isStateStaff: row.isStateStaff };
}

export async function townStaffFor(town: TownProfile, user: { id: string }): Promise<TownStaff> {
  const staff = await checkTownRole(town, await sessionUser(user), 'staff');
  if (!staff) throw new Error(`test user ${user.id} has no role in ${town.name}`);
  return staff;
}

export async function townAdminFor(town: TownProfile, user: { id: string }): Promise<TownAdmin> {
  const admin = await checkTownRole(town, await sessionUser(user), 'admin');
  if (!admin) throw new Error(`test user ${user.id} is not an admin of ${town.name}`);
  return admin;
}

export async function stateStaffFor(user: { id: string }): Promise<StateStaff> {
  const checked = await sessionUser(user);
  if (!checked.isStateStaff) throw new Error(`test user ${user.id} is not state staff`);
  return { [CAPABILITY]: 'state_staff', user: checked };
}

export async function residentFor(user: { id: string }): Promise<Resident> {
  return { [CAPABILITY]: 'resident', user: await sessionUser(user) };
}
