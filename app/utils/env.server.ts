import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * `TRUST_PROXY`: how many proxies stand in front of the app (a number), or which addresses they
 * have (comma-separated IPs or CIDRs). Express then takes the client address from exactly that
 * far down `X-Forwarded-For`, so a client cannot choose its own address by adding hops.
 */
const trustProxy = z
  .string()
  .transform((value, ctx): false | number | string[] => {
    const v = value.trim().toLowerCase();
    if (v === 'false' || v === '0') return false;
    if (/^\d{1,2}$/.test(v)) return Number(v);
    if (v === 'true') {
      ctx.addIssue({ code: 'custom', message: 'TRUST_PROXY=true would trust every X-Forwarded-For hop; set the number of proxies (e.g. 1) or their addresses' });
      return z.NEVER;
    }
    const addresses = v.split(',').map((a) => a.trim()).filter(Boolean);
    if (addresses.length > 0 && addresses.every((a) => /^[0-9a-f.:]+(\/\d{1,3})?$/.test(a))) return addresses;
    ctx.addIssue({ code: 'custom', message: 'TRUST_PROXY must be false, a number of proxy hops, or comma-separated proxy addresses' });
    return z.NEVER;
  });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  // Connections each server process keeps to PostgreSQL (README: deploy at scale).
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  // Server processes `npm run serve` starts on PostgreSQL; unset: one per available core.
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  DATA_DIR: z.string().default('./data'),
  ROOT_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'ROOT_DOMAIN must be a bare host name such as connect.mass.gov')
    .default('localhost'),
  PUBLIC_SCHEME: z.enum(['http', 'https']).optional(),
  PUBLIC_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  COOKIE_SECURE: booleanFlag.optional(),
  TRUST_PROXY: trustProxy.default('false'),
  DEMO_MODE: booleanFlag.optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  MAIL_FROM: z.string().default('Commonwealth Connect <no-reply@commonwealth-connect.localhost>'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(100).default(2000),
  // Open311 reads a minute per client address, and per API key given with the read (docs/decisions/0022).
  OPEN311_READS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  OPEN311_KEY_READS_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  // A development setting: webhooks may go to plain http and to this machine or private networks (docs/decisions/0024).
  WEBHOOK_LOCAL_RECEIVERS: booleanFlag.default('false'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_000_000),
  // Three 15 MB photos and the form fields.
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(47_000_000),
  MAPBOX_TOKEN: z.string().min(1).optional(),
  // Billing (docs/decisions/0019). Without a secret key only purchase orders are offered.
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, 'STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_… or rk_…)').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_/, 'STRIPE_WEBHOOK_SECRET must be the endpoint signing secret (whsec_…)').optional(),
  // A recurring yearly Price in the Stripe account; unset, Checkout charges PROGRAM_YEARLY_PRICE_CENTS.
  STRIPE_PRICE_ID: z.string().regex(/^price_/, 'STRIPE_PRICE_ID must be a Stripe price id (price_…)').optional(),
  PROGRAM_YEARLY_PRICE_CENTS: z.coerce.number().int().min(100).default(490_000),
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(60),
});

export type Env = ReturnType<typeof readEnv>;

/** Development domains: browsers resolve `*.localhost` to this machine, and `.test` is reserved. */
export function isLocalDomain(domain: string): boolean {
  return /(^|\.)(localhost|test)$/.test(domain);
}

function readEnv(source: NodeJS.ProcessEnv) {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const env = parsed.data;
  const local = isLocalDomain(env.ROOT_DOMAIN);
  // Links in emails and redirects are built from this configuration, never from the request's Host.
  const PUBLIC_SCHEME = env.PUBLIC_SCHEME ?? (local ? 'http' : 'https');
  const PUBLIC_PORT = env.PUBLIC_PORT ?? (local ? env.PORT : undefined);
  return {
    ...env,
    PUBLIC_SCHEME,
    PUBLIC_PORT,
    // The embedded database is the demo set-up; a real server is production unless told otherwise.
    DEMO_MODE: env.DEMO_MODE ?? !env.DATABASE_URL,
    // Browsers drop Secure cookies on plain http, which is what localhost and *.test run on.
    COOKIE_SECURE: env.COOKIE_SECURE ?? PUBLIC_SCHEME === 'https',
  };
}

const ENV_KEYS = Object.keys(envSchema.shape);
let cached: { fingerprint: string; env: Env } | undefined;

/**
 * The validated environment. Parsing runs again only when one of its variables changed (tests
 * change process.env), so a request pays a string join instead of a Zod parse.
 */
export function getEnv(): Env {
  const fingerprint = ENV_KEYS.map((key) => process.env[key] ?? '').join('\u0000');
  if (cached?.fingerprint !== fingerprint) cached = { fingerprint, env: readEnv(process.env) };
  return cached.env;
}
