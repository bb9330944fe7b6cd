import { asc, count, eq, sql } from 'drizzle-orm';
import { memberships, towns } from '#db/schema';
import { withStateOversight } from '#db/scope';
import type { StateStaff } from '~/utils/capabilities.server';

export type TownOversightRow = { slug: string; name: string; grantStart: string; grantEnd: string; staffCount: number; adminCount: number };

/** Every town with its grant term and team size: a cross-town read, hence `withStateOversight` and only for state staff. */
export async function listTownsForOversight(_stateStaff: StateStaff): Promise<TownOversightRow[]> {
  return withStateOversight((tx) =>
    tx
      .select({
        slug: towns.slug,
        name: towns.name,
        grantStart: towns.grantStart,
        grantEnd: towns.grantEnd,
        staffCount: count(memberships.userId),
        adminCount: sql<number>`count(*) filter (where ${memberships.role} = 'admin')`.mapWith(Number),
      })
      .from(towns)
      .leftJoin(memberships, eq(memberships.townId, towns.id))
      .groupBy(towns.id)
      .orderBy(asc(towns.name)),
  );
}
