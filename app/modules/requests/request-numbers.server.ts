import type { Tx } from '#db/scope';
import { nextTownCounterValue, nextTownCounterValueIn } from '#db/town-counters';
import { FIRST_REQUEST_NUMBER } from './tracking-number';

const COUNTER = 'request_number';

/** The town's next request number, taken in a transaction of its own so that the town's filings wait on its counter as briefly as possible. */
export function takeRequestNumber(townId: number): Promise<number> {
  return nextTownCounterValue(townId, COUNTER, FIRST_REQUEST_NUMBER);
}

/** The town's next request number inside `tx`, already scoped to that town, when the number must be kept only if the rest commits. */
export function takeRequestNumberIn(tx: Tx, townId: number): Promise<number> {
  return nextTownCounterValueIn(tx, townId, COUNTER, FIRST_REQUEST_NUMBER);
}
