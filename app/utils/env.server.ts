import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  ROOT_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'ROOT_DOMAIN must be a bare host name such as connect.mass.gov')
    .default('localhost'),
  COOKIE_SECURE: booleanFlag.optional(),
  TRUST_PROXY: booleanFlag.default('false'),
  DEMO_MODE: booleanFlag.optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  MAIL_FROM: z.string().default('Commonwealth Connect <no-reply@commonwealth-connect.localhost>'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(100).default(2000),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_000_000),
  // Three 15 MB photos and the form fields.
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(47_000_000),
  MAPBOX_TOKEN: z.string().min(1).optional(),
});

export type Env = ReturnType<typeof readEnv>;

function readEnv(source: NodeJS.ProcessEnv) {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const env = parsed.data;
  return {
    ...env,
    // The embedded database is the demo set-up; a real server is production unless told otherwise.
    DEMO_MODE: env.DEMO_MODE ?? !env.DATABASE_URL,
    // Browsers drop Secure cookies on plain http, which is what localhost and *.test run on.
    COOKIE_SECURE: env.COOKIE_SECURE ?? (env.NODE_ENV === 'production' && !/(^|\.)(localhost|test)$/.test(env.ROOT_DOMAIN)),
  };
}

/** Read on every call so tests can change process.env; parsing is cheap next to a request. */
export function getEnv(): Env {
  return readEnv(process.env);
}
