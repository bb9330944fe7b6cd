import type { LoaderFunctionArgs } from '@remix-run/node';
import { hitOpen311ReadLimit } from '~/modules/open311/read-limits.server';
import { clientIpOf } from '~/utils/request.server';
import { serviceDefinitionDocument } from '~/modules/open311/documents';
import { getOpen311ServiceDefinition } from '~/modules/open311/services.server';
import { open311Call, open311Error, open311Jurisdiction, open311Response, open311TooManyReads } from '~/utils/open311.server';

/** `GET services/{service_code}.{format}`: the service's attributes (the category's questions). */
export async function loader(args: LoaderFunctionArgs) {
  const call = await open311Call(args, args.params.code);
  const query = new URL(args.request.url).searchParams;
  const town = await open311Jurisdiction(args, call, query.get('jurisdiction_id'));
  const limited = await hitOpen311ReadLimit(town.id, query.get('api_key'), clientIpOf(args.context));
  if (limited) return open311TooManyReads(call, limited);
  const definition = await getOpen311ServiceDefinition(town.id, call.name);
  if (!definition) return open311Error(call, 404, call.t('errors:open311.unknown_service', { town: town.name, code: call.name }));
  return open311Response(serviceDefinitionDocument(definition, (datatype) => call.t(`common:open311.datatype.${datatype}`)), call.format);
}
