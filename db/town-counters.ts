import { sql, type SQL } from 'drizzle-orm';
import { getDatabase, inOneMessage, type Tx } from './client';
import { TOWN_ROLE } from './rls';
import { selectRows } from './rows';
import { townCounters } from './schema';

/** Takes the counter's next value, starting at `first`. */
function nextValueStatement(townId: number, name: string, first: number): SQL {
  if (!Number.isInteger(townId) || townId <= 0) throw new Error(`town counter: invalid town id ${townId}`);
  return sql`insert into ${townCounters} (town_id, name, value) values (${townId}, ${name}, ${first})
    on conflict (town_id, name) do update set value = ${townCounters.value} + 1 returning value::integer as value`;
}

/**
 * The next value of one of a town's counters (its tracking numbers), as `app_town` for the town, in a
 * transaction of its own sent as one message (inOneMessage): every filing in the town takes the
 * counter's row, so the row is held only while the server runs the statement and commits, and the
 * town's filings queue behind each other for no round trip. A filing that fails later leaves a gap.
 */
export async function nextTownCounterValue(townId: number, name: string, first: number): Promise<number> {
  const [row] = await inOneMessage<{ value: number }>(getDatabase(), { role: TOWN_ROLE, 'app.town_id': String(townId) }, nextValueStatement(townId, name, first));
  return row!.value;
}

/** The same inside a transaction already scoped to the town, where the number must come and go with the rest (a transfer). */
export async function nextTownCounterValueIn(tx: Tx, townId: number, name: string, first: number): Promise<number> {
  const [row] = await selectRows<{ value: number }>(tx, nextValueStatement(townId, name, first));
  return row!.value;
}
