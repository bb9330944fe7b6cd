import { createHash } from 'node:crypto';
import type { ReportError } from '~/modules/requests/report-errors';
import type { RequestLinks } from '~/modules/requests/request-updates.server';
import { trackingNumberForIdempotencyKey } from '~/modules/requests/create-request.server';
import { submitReport } from '~/modules/requests/submit-report.server';
import type { TownProfile } from '~/utils/town-profile.server';

/** Why a POST files nothing: one entry per wrong parameter, named as the client sent it. */
export type Open311Refusal =
  | { kind: 'not_taking_reports' }
  | { kind: 'invalid_parameter'; parameter: string }
  | { kind: 'outside_jurisdiction'; other: { slug: string; name: string } }
  | { kind: 'invalid'; errors: { parameter: string; error: ReportError }[] };

export type Open311Filing = { kind: 'filed'; trackingNumber: string } | { kind: 'refused'; refusal: Open311Refusal };

/** The report core's field names, and the Open311 parameter each comes from. */
const PARAMETER_OF: Record<string, string> = {
  category: 'service_code',
  description: 'description',
  lat: 'lat',
  latitude: 'lat',
  lng: 'long',
  longitude: 'long',
  location: 'lat',
  address: 'address_string',
  email: 'email',
  name: 'first_name',
  photos: 'media',
};
const parameterOf = (field: string) => (field.startsWith('q.') ? `attribute[${field.slice(2)}]` : (PARAMETER_OF[field] ?? field));

const NOT_TAKING = new Set(['location.town_onboarding', 'location.town_lapsed', 'location.town_left_program']);

function isWebLink(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && text.length <= 2000;
  } catch {
    return false;
  }
}

/** `attribute[code]` and `attribute[code][]` (a multivaluelist) → the code. */
const ATTRIBUTE = /^attribute\[([^\]]+)\](\[\])?$/;

/** A key the report core accepts (UUID-shaped), the same for the same parts. */
function uuidShapedHash(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** How long a client's exact repeat (same key, same parameters, no Idempotency-Key) is taken for a retry. */
export const EXACT_RETRY_WINDOW_MS = 10 * 60_000;

/** The same parameters in any order and encoding give the same text. */
function canonicalParameters(parameters: URLSearchParams): string {
  return [...parameters].sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b))).map(([k, v]) => `${k}=${v}`).join('&');
}

/**
 * With an `Idempotency-Key` the client names its retries. Without one, an exact repeat within the
 * window is a retry too: the key is the parameters' hash in a window-long slot, and a repeat just
 * after a slot turns finds the request filed under the previous slot's key.
 */
async function idempotencyFor(input: { town: TownProfile; apiKeyId: string; clientIdempotencyKey: string | null; parameters: URLSearchParams }, now: Date) {
  if (input.clientIdempotencyKey) return { key: uuidShapedHash(input.apiKeyId, 'client', input.clientIdempotencyKey), alreadyFiled: null };
  const body = canonicalParameters(input.parameters);
  const slot = Math.floor(now.getTime() / EXACT_RETRY_WINDOW_MS);
  const alreadyFiled = await trackingNumberForIdempotencyKey(input.town.id, uuidShapedHash(input.apiKeyId, 'exact', String(slot - 1), body));
  return { key: uuidShapedHash(input.apiKeyId, 'exact', String(slot), body), alreadyFiled };
}

/**
 * `POST requests` for the town the call is about: the Open311 parameters in the report core's
 * words, then the core as the web form runs it (submitReport). The town is confirmed up front, so a
 * point on its border files here and a point inside another town is refused, naming that town.
 * Nearby open reports do not stop an API client: it cannot answer the question.
 */
export async function fileOpen311Request(input: {
  town: TownProfile;
  parameters: URLSearchParams;
  apiKeyId: string;
  clientIdempotencyKey: string | null;
  links: (townSlug: string) => RequestLinks;
  now?: Date;
}): Promise<Open311Filing> {
  const { town, parameters: p } = input;
  const idempotency = await idempotencyFor(input, input.now ?? new Date());
  if (idempotency.alreadyFiled) return { kind: 'filed', trackingNumber: idempotency.alreadyFiled };
  const mediaUrl = p.get('media_url')?.trim() || null;
  if (mediaUrl && !isWebLink(mediaUrl)) return { kind: 'refused', refusal: { kind: 'invalid_parameter', parameter: 'media_url' } };
  const name = [p.get('first_name'), p.get('last_name')].map((s) => s?.trim()).filter(Boolean).join(' ');
  const fields = new URLSearchParams({
    idempotencyKey: idempotency.key,
    category: p.get('service_code') ?? '',
    description: p.get('description') ?? '',
    lat: p.get('lat') ?? '',
    lng: p.get('long') ?? '',
    locationSource: 'coordinates',
    address: p.get('address_string') ?? '',
    email: p.get('email') ?? '',
    name,
    confirmTown: town.slug,
    notDuplicate: '1',
  });
  for (const [key, value] of p) {
    const attribute = ATTRIBUTE.exec(key);
    if (attribute) fields.append(`q.${attribute[1]}`, value);
  }
  const result = await submitReport({
    hostTown: town,
    user: null,
    form: { fields, files: [], tooManyFiles: false, unreadableParts: 0 },
    links: input.links,
    reporterPhone: p.get('phone')?.trim() || null,
    mediaUrl,
    channel: 'open311',
  });
  if (result.kind === 'created') return { kind: 'filed', trackingNumber: result.trackingNumber };
  if (result.kind === 'choose_town') {
    const other = result.choices.find((c) => c.slug !== town.slug) ?? result.suggested;
    return { kind: 'refused', refusal: { kind: 'outside_jurisdiction', other } };
  }
  if (result.kind === 'possible_duplicates') throw new Error('A report marked not-a-duplicate was held as a possible duplicate');
  if (result.errors.location && NOT_TAKING.has(result.errors.location.code)) return { kind: 'refused', refusal: { kind: 'not_taking_reports' } };
  const errors = Object.entries(result.errors).map(([field, error]) => ({ parameter: parameterOf(field), error: error! }));
  return { kind: 'refused', refusal: { kind: 'invalid', errors } };
}
