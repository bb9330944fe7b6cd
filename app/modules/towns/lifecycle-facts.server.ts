import { listTowns } from '~/utils/town-profile.server';
import type { TownLifecycle } from './lifecycle';
import { lifecycleOf } from './town-lifecycle.server';

/** Every town's lifecycle by town id, from the cached profiles that carry its facts (subscriptions included). */
export async function lifecyclesByTownId(now: Date = new Date()): Promise<Map<number, TownLifecycle>> {
  return new Map((await listTowns()).map((town) => [town.id, lifecycleOf(town, now)]));
}
