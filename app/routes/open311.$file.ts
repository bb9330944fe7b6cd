import type { LoaderFunctionArgs } from '@remix-run/node';
import { discoveryDocument } from '~/modules/open311/documents';
import { OPEN311_CHANGESET } from '~/modules/open311/services.server';
import { open311BaseUrl, open311Call, open311Error, open311HostTown, open311Response } from '~/utils/open311.server';
import { siteOrigin } from '~/utils/town.server';

/** `/open311/discovery.{json,xml}` on every host: where the API is, who runs it, how to get a key. */
export async function loader(args: LoaderFunctionArgs) {
  const call = await open311Call(args, args.params.file);
  if (call.name !== 'discovery') throw open311Error(call, 404, call.t('errors:open311.not_found'));
  const town = await open311HostTown(args, call);
  const origin = siteOrigin(town?.slug ?? null);
  const details = town ? [town.contact.email, town.contact.phone, town.contact.website].filter(Boolean).join(', ') : '';
  const document = discoveryDocument({
    changeset: OPEN311_CHANGESET,
    contact: town ? call.t('common:open311.contact', { name: town.name, details }) : call.t('common:open311.statewideContact', { origin }),
    keyService: call.t('common:open311.keyService', { url: `${origin}/admin/api-keys` }),
    apiUrl: open311BaseUrl(town?.slug ?? null),
    timeZone: town?.timezone ?? 'America/New_York',
  });
  return open311Response(document, call.format);
}
