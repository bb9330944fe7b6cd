import { randomBytes } from 'node:crypto';

export type SecurityHeaderConfig = {
  PUBLIC_SCHEME: 'http' | 'https';
  PUBLIC_PORT: number | undefined;
  ROOT_DOMAIN: string;
  MAPBOX_TOKEN?: string | undefined;
  STRIPE_SECRET_KEY?: string | undefined;
};

/** Where the billing page's forms are redirected: Stripe Checkout and the Customer Portal. */
const STRIPE_REDIRECT_HOSTS = ['https://checkout.stripe.com', 'https://billing.stripe.com'];

/** Where mapbox-gl fetches styles, tiles, glyphs and sprites, and sends its telemetry. */
const MAPBOX_HOSTS = ['https://api.mapbox.com', 'https://*.tiles.mapbox.com', 'https://events.mapbox.com'];

export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Scripts run only from our own origin or with this response's nonce (Remix's inline hydration
 * scripts). mapbox-gl starts its workers from blob: URLs and draws markers and sprites from
 * data:/blob: images. Inline style attributes are in the server-rendered markup, so styles allow
 * 'unsafe-inline'. A form may post to any town of the site, because /track and sign-in redirect
 * a submission to another town's host and browsers apply form-action to redirect targets; for the
 * same reason, with billing configured, the billing page's forms may lead to Stripe.
 */
export function contentSecurityPolicy(config: SecurityHeaderConfig, nonce: string): string {
  const port = config.PUBLIC_PORT ? `:${config.PUBLIC_PORT}` : '';
  const site = [`${config.PUBLIC_SCHEME}://${config.ROOT_DOMAIN}${port}`, `${config.PUBLIC_SCHEME}://*.${config.ROOT_DOMAIN}${port}`];
  const mapbox = config.MAPBOX_TOKEN ? MAPBOX_HOSTS : [];
  const stripe = config.STRIPE_SECRET_KEY ? STRIPE_REDIRECT_HOSTS : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", `'nonce-${nonce}'`],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...mapbox],
    'connect-src': ["'self'", ...mapbox],
    'worker-src': ['blob:'],
    'child-src': ['blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'", ...site, ...stripe],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** Sent with every response: pages, data, files and redirects alike. */
export function securityHeaders(config: SecurityHeaderConfig): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'geolocation=(self), camera=(self), microphone=(), payment=(), usb=()',
    // Only a site that is really served over https may pin browsers to it (for two years, every town).
    ...(config.PUBLIC_SCHEME === 'https' ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}
