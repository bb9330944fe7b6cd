import { checkRequestBody } from './body-limit.server';
import { checkRequestOrigin } from './csrf.server';

/**
 * Who may call a path:
 * - `same-origin form`: the site's own pages; every non-GET must come from a page on the same host
 *   (towns are same-site subdomains, so SameSite cookies alone do not stop one town posting to another).
 * - `api key` / `stripe signature`: non-browser clients, which send no Origin. The edge only bounds
 *   method, size and type; the route itself must verify the key or the signature before acting.
 * - `public read`: GET and HEAD only, never a body.
 * - `emailed link`: a mail provider acting for the recipient of one of our emails (RFC 8058's
 *   one-click unsubscribe POST comes from its servers, with no Origin of ours). The route must act
 *   only on the token in the URL, and only in the harmless direction (it can only unsubscribe).
 */
export type Caller = 'same-origin form' | 'api key' | 'stripe signature' | 'public read' | 'emailed link';

/**
 * `no-store`: `private, no-store` forced on every response of the path, `?_data=` JSON and redirects included.
 * `default`: the response's own Cache-Control (static files, photos, the boundaries), else
 * `private, no-cache`, because every page shows the signed-in user.
 */
export type CachePolicy = 'no-store' | 'default';

/** `form` is MAX_BODY_BYTES, `upload` is MAX_UPLOAD_BYTES (forms with files), `webhook` is WEBHOOK_BODY_BYTES. */
export type BodyLimit = 'form' | 'upload' | 'webhook' | 'none';

export type EdgeRule = {
  prefix: string;
  caller: Caller;
  methods: readonly string[];
  bodyLimit: BodyLimit;
  /** Media types a request body may have; a request without a body needs none. */
  contentTypes: readonly string[];
  cache: CachePolicy;
};

// Stripe events are a few kB; this leaves room for an invoice with many lines.
export const WEBHOOK_BODY_BYTES = 256_000;

const FORM_METHODS = ['GET', 'HEAD', 'POST'];
const READ_METHODS = ['GET', 'HEAD'];
// What the site's own forms send: <Form> defaults to urlencoded, file forms are multipart; no fetcher submits JSON.
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

const page = (prefix: string, bodyLimit: BodyLimit = 'form', cache: CachePolicy = 'default'): EdgeRule => ({
  prefix,
  caller: 'same-origin form',
  methods: FORM_METHODS,
  bodyLimit,
  contentTypes: FORM_TYPES,
  cache,
});
const privatePage = (prefix: string, bodyLimit: BodyLimit = 'form') => page(prefix, bodyLimit, 'no-store');
const publicRead = (prefix: string): EdgeRule => ({ prefix, caller: 'public read', methods: READ_METHODS, bodyLimit: 'none', contentTypes: [], cache: 'default' });

/** The edge, one row per path prefix; the longest prefix (whole path segments) wins. */
export const EDGE_POLICY: readonly EdgeRule[] = [
  page('/'),
  page('/report', 'upload'),
  // A reporter's comment on their request may carry a photo (the request page and the manage page).
  page('/requests', 'upload'),
  privatePage('/staff'),
  // Staff attach photos: a caller's to a report they file for them, completion photos to a status change.
  privatePage('/staff/new', 'upload'),
  privatePage('/staff/requests', 'upload'),
  privatePage('/admin'),
  privatePage('/admin/boundary', 'upload'),
  privatePage('/admin/profile', 'upload'),
  privatePage('/state'),
  privatePage('/account'),
  privatePage('/dev/mailbox'),
  privatePage('/login'),
  privatePage('/signup'),
  privatePage('/logout'),
  privatePage('/forgot-password'),
  // Reached through one-time links whose token is in the URL.
  privatePage('/invitations'),
  privatePage('/reset-password'),
  privatePage('/verify-email'),
  privatePage('/unsubscribe'),
  privatePage('/follow'),
  {
    prefix: '/unsubscribe/one-click',
    caller: 'emailed link',
    methods: FORM_METHODS,
    bodyLimit: 'form',
    // RFC 8058 names both; providers send `List-Unsubscribe=One-Click` urlencoded.
    contentTypes: FORM_TYPES,
    cache: 'no-store',
  },
  publicRead('/photos'),
  publicRead('/geo'),
  publicRead('/healthz'),
  publicRead('/build'),
  {
    prefix: '/open311',
    caller: 'api key',
    methods: FORM_METHODS,
    bodyLimit: 'form',
    // GeoReport v2 posts urlencoded; JSON for clients that prefer it.
    contentTypes: ['application/x-www-form-urlencoded', 'application/json'],
    cache: 'default',
  },
  { prefix: '/webhooks/stripe', caller: 'stripe signature', methods: ['POST'], bodyLimit: 'webhook', contentTypes: ['application/json'], cache: 'no-store' },
];

/**
 * The path as the router will see it: Remix matches decoded and case-insensitively, so
 * `/%53taff` must find the `/staff` row too.
 */
function normalisePath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Malformed escapes: match on the raw path; the router answers 400 or 404 anyway.
  }
  return decoded.toLowerCase().replace(/\/{2,}/g, '/');
}

const underPrefix = (path: string, prefix: string) => prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);

export function findEdgeRule(path: string): EdgeRule {
  const normalised = normalisePath(path);
  let best = EDGE_POLICY[0]!;
  for (const rule of EDGE_POLICY) {
    if (underPrefix(normalised, rule.prefix) && rule.prefix.length > best.prefix.length) best = rule;
  }
  return best;
}

export type EdgeLimits = { MAX_BODY_BYTES: number; MAX_UPLOAD_BYTES: number };

export function bodyLimitBytes(limit: BodyLimit, env: EdgeLimits): number {
  switch (limit) {
    case 'form':
      return env.MAX_BODY_BYTES;
    case 'upload':
      return env.MAX_UPLOAD_BYTES;
    case 'webhook':
      return WEBHOOK_BODY_BYTES;
    case 'none':
      return 0;
  }
}

export type EdgeVerdict = { allowed: true } | { allowed: false; status: 403 | 405 | 411 | 413 | 415; message: string; headers?: Record<string, string> };

const hasBody = (headers: Headers) => Boolean(headers.get('Transfer-Encoding')) || Number(headers.get('Content-Length') ?? 0) > 0;
const mediaType = (headers: Headers) => (headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();

/** Method, caller, size and type, in that order, before anything reads the body. */
export function checkEdgeRequest(rule: EdgeRule, method: string, headers: Headers, host: string | undefined, env: EdgeLimits): EdgeVerdict {
  const verb = method.toUpperCase();
  if (!rule.methods.includes(verb)) {
    return { allowed: false, status: 405, message: `Method Not Allowed: ${rule.prefix} accepts ${rule.methods.join(', ')}.`, headers: { Allow: rule.methods.join(', ') } };
  }
  if (rule.caller === 'same-origin form') {
    const origin = checkRequestOrigin(verb, headers, host);
    if (!origin.allowed) return { allowed: false, status: 403, message: `Forbidden: ${origin.reason}. Submit forms from the site's own pages.` };
  }
  if (READ_METHODS.includes(verb)) return { allowed: true };
  const body = checkRequestBody(verb, headers, bodyLimitBytes(rule.bodyLimit, env));
  if (!body.allowed) return body;
  if (hasBody(headers) && !rule.contentTypes.includes(mediaType(headers))) {
    return { allowed: false, status: 415, message: `Unsupported Media Type: send ${rule.contentTypes.join(' or ')}.` };
  }
  return { allowed: true };
}

/**
 * For a page under a `default` row whose URL carries an emailed key (a reporter's manage link): set
 * on the document (`headers`) and on the loader's JSON alike, so no cache keeps a copy.
 */
export const PRIVATE_NO_STORE = { 'Cache-Control': 'private, no-store' } as const;

/** The Cache-Control a response leaves with, given the one it set itself (if any). */
export function cacheControlFor(rule: EdgeRule, own: string | undefined): string {
  if (rule.cache === 'no-store') return 'private, no-store';
  return own ?? 'private, no-cache';
}
