import { asc, eq, sql } from 'drizzle-orm';
import { memberships, serviceRequests, users } from '#db/schema';
import { selectRows } from '#db/rows';
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

export type FormerAssignee = { id: string; email: string; displayName: string | null };

/**
 * People some of the town's requests are still assigned to (closed ones, kept as history) who no longer
 * have a role here, for the queue's assignee filter. A skip scan: one seek of the (town_id,
 * assignee_user_id, …) index per distinct assignee, so it costs the same in a town with a million requests.
 */
export async function selectFormerAssignees(tx: Tx, townId: number): Promise<FormerAssignee[]> {
  const rows = await selectRows<{ id: string; email: string; display_name: string | null }>(tx, sql`
    with recursive assignee as (
      (select ${serviceRequests.assigneeUserId} as id from ${serviceRequests}
        where ${serviceRequests.townId} = ${townId} and ${serviceRequests.assigneeUserId} is not null
        order by ${serviceRequests.assigneeUserId} limit 1)
      union all
      select (select ${serviceRequests.assigneeUserId} from ${serviceRequests}
        where ${serviceRequests.townId} = ${townId} and ${serviceRequests.assigneeUserId} > assignee.id
        order by ${serviceRequests.assigneeUserId} limit 1)
      from assignee where assignee.id is not null
    )
    select ${users.id}::text as id, ${users.email} as email, ${users.displayName} as display_name
    from assignee join ${users} on ${users.id} = assignee.id
    where not exists (select 1 from ${memberships} where ${memberships.townId} = ${townId} and assignee.id = ${memberships.userId})
    order by lower(coalesce(${users.displayName}, ${users.email})), ${users.email}`);
  return rows.map((r) => ({ id: r.id, email: r.email, displayName: r.display_name }));
}
