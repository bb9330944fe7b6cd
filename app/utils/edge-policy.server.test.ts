import { cacheControlFor, checkEdgeRequest, EDGE_POLICY, findEdgeRule, WEBHOOK_BODY_BYTES, type Caller } from './edge-policy.server';

const LIMITS = { MAX_BODY_BYTES: 1_000_000, MAX_UPLOAD_BYTES: 47_000_000 };
const HOST = 'somerville.localhost:3000';
const SAME_ORIGIN = { Origin: 'http://somerville.localhost:3000' };
const FORM = 'application/x-www-form-urlencoded';

function send(path: string, method: string, headers: Record<string, string> = {}) {
  return checkEdgeRequest(findEdgeRule(path), method, new Headers(headers), HOST, LIMITS);
}
const body = (type: string, bytes = 10) => ({ 'Content-Type': type, 'Content-Length': String(bytes) });

type Expected = { sample: string; caller: Caller; limit?: number; cache: 'private, no-store' | 'own' };

/** The reviewed expectation: one entry per row of EDGE_POLICY, keyed by its prefix. */
const EXPECTED: Record<string, Expected> = {
  '/': { sample: '/track', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'own' },
  '/report': { sample: '/report', caller: 'same-origin form', limit: LIMITS.MAX_UPLOAD_BYTES, cache: 'own' },
  '/requests': { sample: '/requests/SOM-1/manage', caller: 'same-origin form', limit: LIMITS.MAX_UPLOAD_BYTES, cache: 'own' },
  '/staff': { sample: '/staff/templates', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/staff/new': { sample: '/staff/new', caller: 'same-origin form', limit: LIMITS.MAX_UPLOAD_BYTES, cache: 'private, no-store' },
  '/staff/requests': { sample: '/staff/requests/SOM-1', caller: 'same-origin form', limit: LIMITS.MAX_UPLOAD_BYTES, cache: 'private, no-store' },
  '/admin': { sample: '/admin/categories/pothole', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/admin/boundary': { sample: '/admin/boundary', caller: 'same-origin form', limit: LIMITS.MAX_UPLOAD_BYTES, cache: 'private, no-store' },
  '/admin/profile': { sample: '/admin/profile', caller: 'same-origin form', limit: LIMITS.MAX_UPLOAD_BYTES, cache: 'private, no-store' },
  '/state': { sample: '/state/audit', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/account': { sample: '/account/requests', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/dev/mailbox': { sample: '/dev/mailbox', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/login': { sample: '/login', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/signup': { sample: '/signup', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/logout': { sample: '/logout', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/forgot-password': { sample: '/forgot-password', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/invitations': { sample: '/invitations/abc123', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/reset-password': { sample: '/reset-password', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/verify-email': { sample: '/verify-email', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/unsubscribe': { sample: '/unsubscribe', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/unsubscribe/one-click': { sample: '/unsubscribe/one-click', caller: 'emailed link', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/follow': { sample: '/follow', caller: 'same-origin form', limit: LIMITS.MAX_BODY_BYTES, cache: 'private, no-store' },
  '/photos': { sample: '/photos/somerville/abc.webp', caller: 'public read', cache: 'own' },
  '/geo': { sample: '/geo/towns.geojson', caller: 'public read', cache: 'own' },
  '/healthz': { sample: '/healthz', caller: 'public read', cache: 'own' },
  '/build': { sample: '/build/entry.client-ABC.js', caller: 'public read', cache: 'own' },
  '/open311': { sample: '/open311/v2/requests.json', caller: 'api key', limit: LIMITS.MAX_BODY_BYTES, cache: 'own' },
  '/webhooks/stripe': { sample: '/webhooks/stripe', caller: 'stripe signature', limit: WEBHOOK_BODY_BYTES, cache: 'private, no-store' },
};

/** What each kind of caller must be allowed and refused, at the row's own body limit. */
const behaviour: Record<Caller, (path: string, limit: number) => void> = {
  'same-origin form': (path, limit) => {
    expect(send(path, 'GET')).toEqual({ allowed: true });
    expect(send(path, 'POST', { ...SAME_ORIGIN, ...body(FORM, limit) })).toEqual({ allowed: true });
    expect(send(path, 'POST', { ...SAME_ORIGIN, ...body('multipart/form-data; boundary=x') })).toEqual({ allowed: true });
    expect(send(path, 'POST', { Origin: 'http://malden.localhost:3000', ...body(FORM) })).toMatchObject({ allowed: false, status: 403 });
    expect(send(path, 'POST', body(FORM))).toMatchObject({ allowed: false, status: 403 });
    expect(send(path, 'POST', { ...SAME_ORIGIN, ...body(FORM, limit + 1) })).toMatchObject({ allowed: false, status: 413 });
    expect(send(path, 'POST', { ...SAME_ORIGIN, ...body('application/json') })).toMatchObject({ allowed: false, status: 415 });
    expect(send(path, 'POST', { ...SAME_ORIGIN, ...body('text/plain') })).toMatchObject({ allowed: false, status: 415 });
    expect(send(path, 'PUT', { ...SAME_ORIGIN, ...body(FORM) })).toMatchObject({ allowed: false, status: 405 });
  },
  'public read': (path) => {
    expect(send(path, 'GET')).toEqual({ allowed: true });
    expect(send(path, 'HEAD')).toEqual({ allowed: true });
    expect(send(path, 'POST', { ...SAME_ORIGIN, ...body(FORM) })).toMatchObject({ allowed: false, status: 405, headers: { Allow: 'GET, HEAD' } });
  },
  'api key': (path, limit) => {
    expect(send(path, 'GET')).toEqual({ allowed: true });
    // No Origin: the route checks the key.
    expect(send(path, 'POST', body(FORM, limit))).toEqual({ allowed: true });
    expect(send(path, 'POST', body('application/json; charset=utf-8'))).toEqual({ allowed: true });
    expect(send(path, 'POST', body(FORM, limit + 1))).toMatchObject({ allowed: false, status: 413 });
    expect(send(path, 'POST', body('text/plain'))).toMatchObject({ allowed: false, status: 415 });
  },
  'emailed link': (path, limit) => {
    // A mail provider's one-click POST: from its own servers, with or without an Origin.
    expect(send(path, 'POST', body(FORM, limit))).toEqual({ allowed: true });
    expect(send(path, 'POST', { Origin: 'https://mail.example', ...body('multipart/form-data; boundary=x') })).toEqual({ allowed: true });
    expect(send(path, 'GET')).toEqual({ allowed: true });
    expect(send(path, 'POST', body(FORM, limit + 1))).toMatchObject({ allowed: false, status: 413 });
    expect(send(path, 'POST', body('application/json'))).toMatchObject({ allowed: false, status: 415 });
    expect(send(path, 'DELETE', body(FORM))).toMatchObject({ allowed: false, status: 405 });
  },
  'stripe signature': (path, limit) => {
    // No Origin: the route verifies the Stripe-Signature header.
    expect(send(path, 'POST', body('application/json', limit))).toEqual({ allowed: true });
    expect(send(path, 'POST', body('application/json', limit + 1))).toMatchObject({ allowed: false, status: 413 });
    expect(send(path, 'POST', body(FORM))).toMatchObject({ allowed: false, status: 415 });
    expect(send(path, 'GET')).toMatchObject({ allowed: false, status: 405, headers: { Allow: 'POST' } });
  },
};

describe('EDGE_POLICY', () => {
  it('has one row per prefix', () => {
    const prefixes = EDGE_POLICY.map((rule) => rule.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('has a reviewed expectation for every row, and no expectation without a row', () => {
    expect(EDGE_POLICY.map((rule) => rule.prefix).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(Object.entries(EXPECTED))('row %s', (prefix, expected) => {
    it(`serves ${expected.sample} as ${expected.caller}`, () => {
      const rule = findEdgeRule(expected.sample);
      expect(rule.prefix).toBe(prefix);
      expect(rule.caller).toBe(expected.caller);
      behaviour[expected.caller](expected.sample, expected.limit ?? 0);
      expect(cacheControlFor(rule, 'public, max-age=60')).toBe(expected.cache === 'own' ? 'public, max-age=60' : expected.cache);
      expect(cacheControlFor(rule, undefined)).toBe(expected.cache === 'own' ? 'private, no-cache' : expected.cache);
    });
  });
});

describe('findEdgeRule', () => {
  it('matches whole path segments only', () => {
    expect(findEdgeRule('/staff').prefix).toBe('/staff');
    expect(findEdgeRule('/staff/').prefix).toBe('/staff');
    expect(findEdgeRule('/staffing').prefix).toBe('/');
    expect(findEdgeRule('/reports').prefix).toBe('/');
    expect(findEdgeRule('/webhooks/stripe-test').prefix).toBe('/');
  });

  it('lets the longest prefix win', () => {
    expect(findEdgeRule('/admin/profile').prefix).toBe('/admin/profile');
    expect(findEdgeRule('/admin/profiles').prefix).toBe('/admin');
  });

  it('matches the path the router will see: decoded, any case, repeated slashes folded', () => {
    expect(findEdgeRule('/STAFF/templates').prefix).toBe('/staff');
    expect(findEdgeRule('/STAFF/Requests/SOM-1').prefix).toBe('/staff/requests');
    expect(findEdgeRule('/%73taff').prefix).toBe('/staff');
    expect(findEdgeRule('//admin//boundary').prefix).toBe('/admin/boundary');
    expect(findEdgeRule('/%E0%A4%A').prefix).toBe('/');
  });
});

describe('checkEdgeRequest', () => {
  it('needs no content type for a request without a body', () => {
    expect(send('/logout', 'POST', SAME_ORIGIN)).toEqual({ allowed: true });
    expect(send('/logout', 'POST', { ...SAME_ORIGIN, 'Content-Length': '0' })).toEqual({ allowed: true });
  });

  it('refuses a body of unknown length with 411', () => {
    expect(send('/report', 'POST', { ...SAME_ORIGIN, 'Content-Type': FORM, 'Transfer-Encoding': 'chunked' })).toMatchObject({ allowed: false, status: 411 });
  });

  it('says what went wrong in plain words', () => {
    expect(send('/login', 'POST', { Origin: 'https://evil.example', ...body(FORM) })).toEqual({
      allowed: false,
      status: 403,
      message: "Forbidden: cross-site request from https://evil.example. Submit forms from the site's own pages.",
    });
    expect(send('/login', 'POST', { ...SAME_ORIGIN, ...body('text/plain') })).toEqual({
      allowed: false,
      status: 415,
      message: 'Unsupported Media Type: send application/x-www-form-urlencoded or multipart/form-data.',
    });
  });
});
