import type { LoaderFunctionArgs } from '@remix-run/node';
import { listOpen311Requests, parseRequestFilters } from '~/modules/open311/requests.server';
import { requestsDocument, servicesDocument } from '~/modules/open311/documents';
import { listOpen311Services } from '~/modules/open311/services.server';
import { open311Call, open311Error, open311Jurisdiction, open311Response } from '~/utils/open311.server';
import { siteOrigin } from '~/utils/town.server';

/** `GET services.{format}` and `GET requests.{format}`, on a town's host or at the apex with jurisdiction_id. */
export async function loader(args: LoaderFunctionArgs) {
  const call = await open311Call(args, args.params.file);
  const query = new URL(args.request.url).searchParams;
  if (call.name !== 'services' && call.name !== 'requests') throw open311Error(call, 404, call.t('errors:open311.not_found'));
  const town = await open311Jurisdiction(args, call, query.get('jurisdiction_id'));
  if (call.name === 'services') return open311Response(servicesDocument(await listOpen311Services(town.id)), call.format);

  const parsed = parseRequestFilters(query, new Date());
  if (!parsed.ok) return open311Error(call, 400, call.t(`errors:open311.${parsed.error.code}`, parsed.error.values));
  const requests = await listOpen311Requests(town.id, parsed.filters);
  return open311Response(requestsDocument(requests, { timeZone: town.timezone, origin: siteOrigin(town.slug) }), call.format);
}
