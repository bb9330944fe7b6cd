import { json, type LoaderFunctionArgs } from '@remix-run/node';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { loadRequestMap, parseMapView, parsePublicListFilters } from '~/modules/requests/request-list.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTown } from '~/utils/town.server';

/** The /requests map's data: every request the list's filters match, clustered for the view the map asks about. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const town = await requireTown(args);
  const params = searchParamsOf(request);
  const filters = parsePublicListFilters(params);
  const view = parseMapView(params);
  const result = filters.ok && view.ok ? await loadRequestMap(town, filters.filters, view.view) : null;
  if (!result || result.kind === 'invalid') {
    const errors = { ...(filters.ok ? {} : filters.errors), ...(view.ok ? {} : view.errors), ...(result?.kind === 'invalid' ? result.errors : {}) };
    return json({ errors: wordFieldErrors(await requestT(request), errors) }, { status: 400 });
  }
  // Brief, like the list itself: a new or withdrawn request shows within half a minute.
  return json({ clusters: result.clusters, total: result.total }, { headers: { 'Cache-Control': 'public, max-age=30' } });
}
