import type { LoaderFunctionArgs } from '@remix-run/node';
import { requestT } from '~/i18n/i18n.server';
import type { StateStaff } from './capabilities.server';
import { pathParam } from './control-characters';
import { requireStateStaff } from './permissions.server';
import { findTownBySlug, type TownProfile } from './town-profile.server';
import { requireStatewideSite } from './town.server';

/**
 * The guards of a state console page about one town (`/state/towns/<slug>/…`), in order: the
 * statewide site (404 elsewhere), state staff (sign in, or 403), and a participating town named by
 * the path (404 with a message otherwise).
 */
export async function requireStateStaffForTown(args: Pick<LoaderFunctionArgs, 'request' | 'context' | 'params'>): Promise<{ stateStaff: StateStaff; town: TownProfile }> {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const town = await findTownBySlug(pathParam(args.params, 'slug'));
  if (!town) throw new Response((await requestT(args.request))('errors:townLifecycle.unknown_town'), { status: 404 });
  return { stateStaff, town };
}
