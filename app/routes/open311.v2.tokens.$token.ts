import type { LoaderFunctionArgs } from '@remix-run/node';
import { findOpen311Token } from '~/modules/open311/requests.server';
import { tokensDocument } from '~/modules/open311/documents';
import { open311Call, open311Error, open311Jurisdiction, open311Response } from '~/utils/open311.server';

/** `GET tokens/{token}.{format}`: the service request a token became. */
export async function loader(args: LoaderFunctionArgs) {
  const call = await open311Call(args, args.params.token);
  const town = await open311Jurisdiction(args, call, new URL(args.request.url).searchParams.get('jurisdiction_id'));
  const found = await findOpen311Token(town.id, call.name);
  if (!found) return open311Error(call, 404, call.t('errors:open311.unknown_token', { town: town.name, token: call.name }));
  return open311Response(tokensDocument(found), call.format);
}
