import { asc, count, eq, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { memberships, oversightReads, towns } from '#db/schema';
import { withStateOversight, type Tx } from '#db/scope';
import type { StateStaff } from '~/utils/capabilities.server';

/**
 * Every oversight read of personal data calls this in the read's own transaction, with what it read
 * and the towns the rows came from. `app_state` may only insert into `oversight_reads`.
 */
export async function recordOversightRead(tx: Tx, stateStaff: StateStaff, read: { what: string; townIds: number[] }): Promise<void> {
  const townIds = [...new Set(read.townIds)].sort((a, b) => a - b);
  await tx.insert(oversightReads).values({ id: uuidv7(), stateStaffUserId: stateStaff.user.id, what: read.what, townIds });
}

export type TownOversightRow = { slug: string; name: string; grantStart: string; grantEnd: string; staffCount: number; adminCount: number };

/** Every town with its grant term and team size (no personal data, so nothing to record): a cross-town read, hence `withStateOversight`. */
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
