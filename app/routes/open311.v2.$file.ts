import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { hitOpen311ReadLimit } from '~/modules/open311/read-limits.server';
import { clientIpOf } from '~/utils/request.server';
import type { TFunction } from 'i18next';
import { authenticateApiKey } from '~/modules/open311/api-keys.server';
import { fileOpen311Request, type Open311Refusal } from '~/modules/open311/file-request.server';
import { listOpen311Requests, listOpen311Updates, parseDateWindow, parseRequestFilters } from '~/modules/open311/requests.server';
import { createdDocument, requestsDocument, servicesDocument, updateReceiptDocument, updatesDocument } from '~/modules/open311/documents';
import { applyOpen311Update, OPEN311_UPDATE_STATUSES, type Open311UpdateRefusal } from '~/modules/open311/post-update.server';
import { listOpen311Services } from '~/modules/open311/services.server';
import { open311Call, open311Error, open311Jurisdiction, open311Parameters, open311Response, open311TooManyReads } from '~/utils/open311.server';
import { siteOrigin, townLinks } from '~/utils/town.server';
import type { TownProfile } from '~/utils/town-profile.server';

/**
 * `GET services.{format}`, `GET requests.{format}` and mySociety's `GET servicerequestupdates.{format}`,
 * on a town's host or at the apex with jurisdiction_id.
 */
export async function loader(args: LoaderFunctionArgs) {
  const call = await open311Call(args, args.params.file);
  const query = new URL(args.request.url).searchParams;
  if (call.name !== 'services' && call.name !== 'requests' && call.name !== 'servicerequestupdates') throw open311Error(call, 404, call.t('errors:open311.not_found'));
  const town = await open311Jurisdiction(args, call, query.get('jurisdiction_id'));
  const limited = await hitOpen311ReadLimit(town.id, query.get('api_key'), clientIpOf(args.context));
  if (limited) return open311TooManyReads(call, limited);
  if (call.name === 'services') return open311Response(servicesDocument(await listOpen311Services(town.id)), call.format);
  if (call.name === 'servicerequestupdates') {
    const dates = parseDateWindow(query, new Date());
    if (!dates.ok) return open311Error(call, 400, call.t(`errors:open311.${dates.error.code}`, dates.error.values));
    return open311Response(updatesDocument(await listOpen311Updates(town.id, dates.window), { timeZone: town.timezone }), call.format);
  }

  const parsed = parseRequestFilters(query, new Date());
  if (!parsed.ok) return open311Error(call, 400, call.t(`errors:open311.${parsed.error.code}`, parsed.error.values));
  const requests = await listOpen311Requests(town.id, parsed.filters);
  return open311Response(requestsDocument(requests, { timeZone: town.timezone, origin: siteOrigin(town.slug) }), call.format);
}

function refusalWords(t: TFunction, town: TownProfile, refusal: Open311Refusal): string[] {
  switch (refusal.kind) {
    case 'not_taking_reports': {
      const contact = [town.contact.phone, town.contact.email, town.contact.website].filter(Boolean).join(', ');
      return [t('errors:open311.not_taking_reports', { town: town.name, contact })];
    }
    case 'outside_jurisdiction':
      return [t('errors:open311.outside_jurisdiction', { town: town.name, other: refusal.other.name, slug: refusal.other.slug })];
    case 'invalid_parameter':
      return [t('errors:open311.invalid_parameter', { parameter: refusal.parameter })];
    case 'invalid':
      return refusal.errors.map(({ parameter, error }) => t('errors:open311.field', { field: parameter, message: t(`errors:report.${error.code}`, error.values) }));
  }
}

function updateRefusalWords(t: TFunction, town: TownProfile, refusal: Open311UpdateRefusal): string {
  switch (refusal.kind) {
    case 'missing_parameter':
      return t('errors:open311.missing_parameter', { parameter: refusal.parameter });
    case 'invalid_parameter':
      return refusal.parameter === 'status'
        ? t('errors:open311.update_statuses', { statuses: OPEN311_UPDATE_STATUSES.join(', ') })
        : t('errors:open311.invalid_parameter', { parameter: refusal.parameter });
    case 'unknown_request':
      return t('errors:open311.unknown_request', { town: town.name, id: refusal.id });
    case 'not_allowed':
      return t('errors:open311.update_not_allowed', { id: refusal.id, from: refusal.from, to: refusal.to });
  }
}

/**
 * `POST requests.{format}` files a service request with a town's API key, through the same report
 * core as the web form; mySociety's `POST servicerequestupdates.{format}` applies a back office's update.
 */
export async function action(args: ActionFunctionArgs) {
  const call = await open311Call(args, args.params.file);
  if (call.name !== 'requests' && call.name !== 'servicerequestupdates') throw open311Error(call, 404, call.t('errors:open311.not_found'));
  const parameters = await open311Parameters(args.request, call);
  const town = await open311Jurisdiction(args, call, parameters.get('jurisdiction_id'));
  const key = await authenticateApiKey(town.id, parameters.get('api_key'), call.name === 'requests' ? 'requests.create' : 'updates.create');
  if (!key) return open311Error(call, 403, call.t('errors:open311.api_key_invalid', { town: town.name }));
  if (call.name === 'servicerequestupdates') {
    const applied = await applyOpen311Update(town, key, parameters, townLinks(town.slug));
    if (applied.kind === 'refused') return open311Error(call, applied.refusal.kind === 'unknown_request' ? 404 : 400, updateRefusalWords(call.t, town, applied.refusal));
    return open311Response(updateReceiptDocument(applied.updateId), call.format, applied.kind === 'applied' ? 201 : 200);
  }
  const filing = await fileOpen311Request({ town, parameters, apiKeyId: key.id, clientIdempotencyKey: args.request.headers.get('Idempotency-Key'), links: townLinks });
  if (filing.kind === 'refused') return open311Error(call, 400, refusalWords(call.t, town, filing.refusal));
  return open311Response(createdDocument(filing.trackingNumber), call.format, 201);
}
