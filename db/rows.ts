import type { SQL } from 'drizzle-orm';
import type { Tx } from './scope';

/**
 * The rows of a hand-written statement, whichever driver ran it: postgres.js answers with an array,
 * PGlite with `{ rows }`. Cast columns in the SQL (`::int`, `::text`): the drivers parse bigint,
 * numeric and date differently.
 */
export async function selectRows<T>(tx: Tx, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
