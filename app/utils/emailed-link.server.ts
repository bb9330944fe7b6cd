import { pathParam } from './control-characters';
import type { RequestArgs } from './request-memo.server';
import { requireTown } from './town.server';

/**
 * A page reached through an emailed link about one request (`/requests/<n>/manage`, `/requests/<n>/fixed`):
 * the town whose site it is and the request's tracking number. The link's token comes from the URL
 * (opening the page) or the form (pressing its button); the module checks it against both.
 */
export async function emailedLinkTarget(args: RequestArgs & { params: Record<string, string | undefined> }) {
  const town = await requireTown(args);
  return { town, trackingNumber: pathParam(args.params, 'trackingNumber').toUpperCase() };
}
