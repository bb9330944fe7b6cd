import { uuidv7 } from '#db/ids';
import { oversightReads } from '#db/schema';
import type { Tx } from '#db/scope';
import type { StateStaff } from '~/utils/capabilities.server';

/**
 * Every oversight read of personal data calls this in the read's own transaction, with what it read
 * and the towns the rows came from. `app_state` may only insert into `oversight_reads`.
 */
export async function recordOversightRead(tx: Tx, stateStaff: StateStaff, read: { what: string; townIds: number[] }): Promise<void> {
  const townIds = [...new Set(read.townIds)].sort((a, b) => a - b);
  await tx.insert(oversightReads).values({ id: uuidv7(), stateStaffUserId: stateStaff.user.id, what: read.what, townIds });
}
