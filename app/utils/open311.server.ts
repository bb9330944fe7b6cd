import type { TFunction } from 'i18next';
import { requestT } from '~/i18n/i18n.server';
import { errorDocument, OPEN311_CONTENT_TYPES, serialize, splitFormat, type Open311Document, type Open311Format } from './open311-format';
import type { RequestArgs } from './request-memo.server';
import { resolveTenantFromHost, siteOrigin } from './town.server';
import { findTownBySlug, type TownProfile } from './town-profile.server';

/** What every Open311 route starts from: the resource's name and format, and the words of its errors. */
export type Open311Call = { name: string; format: Open311Format; t: TFunction };

/** A document as the API's answer. Public reads may be fetched from any origin's page (CORS). */
export function open311Response(document: Open311Document, format: Open311Format, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(serialize(document, format), {
    status,
    headers: { 'Content-Type': OPEN311_CONTENT_TYPES[format], 'Access-Control-Allow-Origin': '*', ...headers },
  });
}

/** The spec's error document with the status as its code, one entry per description. */
export function open311Error(call: Pick<Open311Call, 'format'>, status: number, description: string | string[]): Response {
  return open311Response(errorDocument(status, Array.isArray(description) ? description : [description]), call.format, status);
}

/** 429 with Retry-After, in the Open311 error format, when a client has used up its reads. */
export function open311TooManyReads(call: Open311Call, limited: { retryAfterSeconds: number }): Response {
  const document = errorDocument(429, [call.t('errors:open311.rate_limited', { count: limited.retryAfterSeconds })]);
  return open311Response(document, call.format, 429, { 'Retry-After': String(limited.retryAfterSeconds) });
}

/**
 * A POST's parameters: urlencoded as the spec sends them, or a JSON object (a list repeats the
 * name; `attribute: { code: value }` becomes `attribute[code]`). The query string's come first.
 */
export async function open311Parameters(request: Request, call: Open311Call): Promise<URLSearchParams> {
  const parameters = new URLSearchParams(new URL(request.url).search);
  const type = request.headers.get('Content-Type')?.split(';')[0]?.trim().toLowerCase();
  const text = await request.text();
  if (type !== 'application/json') {
    for (const [key, value] of new URLSearchParams(text)) parameters.append(key, value);
    return parameters;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw open311Error(call, 400, call.t('errors:open311.invalid_json'));
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw open311Error(call, 400, call.t('errors:open311.invalid_json'));
  const append = (key: string, value: unknown) => {
    if (Array.isArray(value)) for (const v of value) append(key, v);
    else if (value !== null && value !== undefined && typeof value !== 'object') parameters.append(key, String(value));
  };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'attribute' && typeof value === 'object' && value !== null && !Array.isArray(value)) for (const [code, v] of Object.entries(value)) append(`attribute[${code}]`, v);
    else append(key, value);
  }
  return parameters;
}

/** The `{name}.{json|xml}` of a route parameter; anything else is a 404 (in JSON, the format being unknown). */
export async function open311Call(args: RequestArgs, file: string | undefined): Promise<Open311Call> {
  const t = await requestT(args.request);
  const split = splitFormat(file);
  if (!split) throw open311Error({ format: 'json' }, 404, t('errors:open311.not_found'));
  return { ...split, t };
}

/** The town whose host this is, null at the apex; an unknown host is a 404. */
export async function open311HostTown(args: RequestArgs, call: Open311Call): Promise<TownProfile | null> {
  const target = resolveTenantFromHost(new URL(args.request.url).host);
  if (target.kind === 'statewide') return null;
  const town = target.kind === 'town' ? await findTownBySlug(target.slug) : null;
  if (!town) throw open311Error(call, 404, call.t('errors:open311.unknown_host'));
  return town;
}

/**
 * The town an API call is about: the host's, or at the apex the one `jurisdiction_id` names (missing
 * → 400, unknown → 404). On a town's host a jurisdiction_id, if given, must be that town's.
 */
export async function open311Jurisdiction(args: RequestArgs, call: Open311Call, jurisdictionId: string | null): Promise<TownProfile> {
  const { t } = call;
  const hostTown = await open311HostTown(args, call);
  const wanted = jurisdictionId?.trim().toLowerCase() || null;
  if (hostTown) {
    if (wanted && wanted !== hostTown.slug) throw open311Error(call, 400, t('errors:open311.jurisdiction_mismatch', { town: hostTown.name, slug: hostTown.slug }));
    return hostTown;
  }
  if (!wanted) throw open311Error(call, 400, t('errors:open311.jurisdiction_required'));
  const town = await findTownBySlug(wanted);
  if (!town) throw open311Error(call, 404, t('errors:open311.unknown_jurisdiction', { jurisdiction: wanted }));
  return town;
}

/** The API's base URL on a town's host, or at the apex. */
export function open311BaseUrl(townSlug: string | null): string {
  return `${siteOrigin(townSlug)}/open311/v2`;
}
