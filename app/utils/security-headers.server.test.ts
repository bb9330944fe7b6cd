import { contentSecurityPolicy, createNonce, securityHeaders } from './security-headers.server';

const LOCAL = { PUBLIC_SCHEME: 'http', PUBLIC_PORT: 3000, ROOT_DOMAIN: 'localhost' } as const;
const PRODUCTION = { PUBLIC_SCHEME: 'https', PUBLIC_PORT: undefined, ROOT_DOMAIN: 'connect.mass.gov' } as const;

const directives = (policy: string) => Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('contentSecurityPolicy', () => {
  it('runs scripts from our origin or with this response nonce, and nothing else', () => {
    const csp = directives(contentSecurityPolicy(LOCAL, 'abc123'));
    expect(csp['script-src']).toEqual(["'self'", "'nonce-abc123'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['base-uri']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
  });

  it('lets forms post to every town of the site, port included, and nowhere else', () => {
    expect(directives(contentSecurityPolicy(LOCAL, 'n'))['form-action']).toEqual(["'self'", 'http://localhost:3000', 'http://*.localhost:3000']);
    expect(directives(contentSecurityPolicy(PRODUCTION, 'n'))['form-action']).toEqual(["'self'", 'https://connect.mass.gov', 'https://*.connect.mass.gov']);
    // With billing configured, the billing page's forms are redirected to Stripe Checkout and the Customer Portal.
    expect(directives(contentSecurityPolicy({ ...PRODUCTION, STRIPE_SECRET_KEY: 'sk_test_x' }, 'n'))['form-action']).toEqual([
      "'self'",
      'https://connect.mass.gov',
      'https://*.connect.mass.gov',
      'https://checkout.stripe.com',
      'https://billing.stripe.com',
    ]);
  });

  it('allows the map: blob: workers, data:/blob: images, and the Mapbox hosts only with a token', () => {
    const offline = directives(contentSecurityPolicy(LOCAL, 'n'));
    expect(offline['worker-src']).toEqual(['blob:']);
    expect(offline['child-src']).toEqual(['blob:']);
    expect(offline['img-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(offline['connect-src']).toEqual(["'self'"]);

    const withToken = directives(contentSecurityPolicy({ ...LOCAL, MAPBOX_TOKEN: 'pk.test' }, 'n'));
    const mapbox = ['https://api.mapbox.com', 'https://*.tiles.mapbox.com', 'https://events.mapbox.com'];
    expect(withToken['connect-src']).toEqual(["'self'", ...mapbox]);
    expect(withToken['img-src']).toEqual(["'self'", 'data:', 'blob:', ...mapbox]);
  });
});

describe('securityHeaders', () => {
  it('sends HSTS only when the site is served over https', () => {
    expect(securityHeaders(LOCAL)).not.toHaveProperty('Strict-Transport-Security');
    expect(securityHeaders(PRODUCTION)['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains');
  });

  it('allows geolocation and the camera for the site itself only', () => {
    expect(securityHeaders(LOCAL)['Permissions-Policy']).toBe('geolocation=(self), camera=(self), microphone=(), payment=(), usb=()');
  });
});

describe('createNonce', () => {
  it('is 128 random bits, new every time', () => {
    const nonce = createNonce();
    expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
    expect(createNonce()).not.toBe(nonce);
  });
});
