import { json, type LoaderFunctionArgs } from '@remix-run/node';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { parseMapView } from '~/modules/requests/request-list.server';
import { loadQueueMap, parseQueueFilters } from '~/modules/staff/queue.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTownRole } from '~/utils/permissions.server';

/** The queue map's data: every request the queue's filters match, clustered for the map's view, with the overdue counted. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const staff = await requireTownRole(args, 'staff');
  const params = searchParamsOf(request);
  const view = parseMapView(params);
  const result = view.ok ? await loadQueueMap(staff, parseQueueFilters(params), view.view) : null;
  if (!view.ok || result?.kind !== 'map') {
    const errors = view.ok ? { bbox: { code: 'requestList.view.too_large' } } : view.errors;
    return json({ errors: wordFieldErrors(await requestT(request), errors) }, { status: 400 });
  }
  return json({ clusters: result.clusters, total: result.total });
}
