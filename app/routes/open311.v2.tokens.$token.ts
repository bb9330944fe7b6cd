import type { LoaderFunctionArgs } from '@remix-run/node';
import { hitOpen311ReadLimit } from '~/modules/open311/read-limits.server';
import { clientIpOf } from '~/utils/request.server';
import { findOpen311Token } from '~/modules/open311/requests.server';
import { tokensDocument } from '~/modules/open311/documents';
import { open311Call, open311Error, open311Jurisdiction, open311Response, open311TooManyReads } from '~/utils/open311.server';

/** `GET tokens/{token}.{format}`: the service request a token became. */
export async function loader(args: LoaderFunctionArgs) {
  const call = await open311Call(args, args.params.token);
  const query = new URL(args.request.url).searchParams;
  const town = await open311Jurisdiction(args, call, query.get('jurisdiction_id'));
  const limited = await hitOpen311ReadLimit(town.id, query.get('api_key'), clientIpOf(args.context));
  if (limited) return open311TooManyReads(call, limited);
  const found = await findOpen311Token(town.id, call.name);
  if (!found) return open311Error(call, 404, call.t('errors:open311.unknown_token', { town: town.name, token: call.name }));
  return open311Response(tokensDocument(found), call.format);
}
