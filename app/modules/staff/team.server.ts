import { asc, eq, sql } from 'drizzle-orm';
import { memberships, users } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { TownRole } from '#db/vocabulary';
import type { TownStaff } from '~/utils/capabilities.server';

export type StaffMember = { id: string; email: string; displayName: string | null; role: TownRole };

/** Everyone with a role in the town (staff and admins): the people work can be assigned to. */
export async function listTownStaff(staff: TownStaff): Promise<StaffMember[]> {
  return withTown(staff.town.id, selectTownStaff);
}

/** listTownStaff inside a transaction the caller already holds for the town. */
export function selectTownStaff(tx: Tx): Promise<StaffMember[]> {
  return tx
    .select({ id: users.id, email: users.email, displayName: users.displayName, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .orderBy(sql`lower(coalesce(${users.displayName}, ${users.email}))`, asc(users.email));
}
