import type { LoaderFunctionArgs } from '@remix-run/node';
import { hitOpen311ReadLimit } from '~/modules/open311/read-limits.server';
import { clientIpOf } from '~/utils/request.server';
import { getOpen311Request } from '~/modules/open311/requests.server';
import { requestsDocument } from '~/modules/open311/documents';
import { open311Call, open311Error, open311Jurisdiction, open311Response, open311TooManyReads } from '~/utils/open311.server';
import { siteOrigin } from '~/utils/town.server';

/** `GET requests/{service_request_id}.{format}`: the id is the tracking number; the answer is a list of one. */
export async function loader(args: LoaderFunctionArgs) {
  const call = await open311Call(args, args.params.id);
  const query = new URL(args.request.url).searchParams;
  const town = await open311Jurisdiction(args, call, query.get('jurisdiction_id'));
  const limited = await hitOpen311ReadLimit(town.id, query.get('api_key'), clientIpOf(args.context));
  if (limited) return open311TooManyReads(call, limited);
  const request = await getOpen311Request(town.id, call.name, query.get('extensions') === 'true');
  if (!request) return open311Error(call, 404, call.t('errors:open311.unknown_request', { town: town.name, id: call.name }));
  return open311Response(requestsDocument([request], { timeZone: town.timezone, origin: siteOrigin(town.slug) }), call.format);
}
