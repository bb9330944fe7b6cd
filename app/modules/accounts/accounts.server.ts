import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { isUniqueViolation } from '#db/errors';
import { uuidv7 } from '#db/ids';
import { emailTokens, users } from '#db/schema';
import { withGlobal, type Tx } from '#db/scope';
import { passwordResetEmail, verificationEmail } from '~/modules/notifications/account-emails.server';
import { enqueueEmail } from '~/utils/outbox.server';
import { decoyPasswordHash, hashPassword, verifyPassword } from '~/utils/password.server';
import { checkRateLimit, hitRateLimit, type RateLimitRule } from '~/utils/rate-limit.server';

export const RATE_LIMITS = {
  signInFailuresPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  signInAttemptsPerIp: { limit: 50, windowSeconds: 15 * 60 },
  signUpsPerIp: { limit: 10, windowSeconds: 60 * 60 },
  signUpsPerEmail: { limit: 5, windowSeconds: 60 * 60 },
  resetRequestsPerEmail: { limit: 5, windowSeconds: 60 * 60 },
  resetRequestsPerIp: { limit: 20, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>;

const TOKEN_LIFETIME_MS = { verify_email: 48 * 3_600_000, reset_password: 3_600_000 } as const;
type TokenPurpose = keyof typeof TOKEN_LIFETIME_MS;

export type RateLimited = { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

async function issueToken(tx: Tx, userId: string, purpose: TokenPurpose, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await tx.insert(emailTokens).values({
    tokenHash: hashToken(token),
    userId,
    purpose,
    expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]),
  });
  return token;
}

async function findUserByEmail(tx: Tx, email: string) {
  const rows = await tx.select().from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase())).limit(1);
  return rows[0] ?? null;
}

export type SignUpResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'duplicate_email' }
  | RateLimited;

/** Creates the account, its verification link and the email in one transaction. */
export async function signUp(input: {
  email: string;
  password: string;
  displayName: string | null;
  ip: string;
  verifyUrl: (token: string) => string;
}): Promise<SignUpResult> {
  for (const [key, rule] of [
    [`signup:ip:${input.ip}`, RATE_LIMITS.signUpsPerIp],
    [`signup:email:${input.email}`, RATE_LIMITS.signUpsPerEmail],
  ] as const) {
    const state = await hitRateLimit(key, rule);
    if (state.limited) return { ok: false, reason: 'rate_limited', retryAfterSeconds: state.retryAfterSeconds };
  }
  const passwordHash = await hashPassword(input.password);
  try {
    return await withGlobal(async (tx) => {
      if (await findUserByEmail(tx, input.email)) return { ok: false, reason: 'duplicate_email' } as const;
      const userId = uuidv7();
      await tx.insert(users).values({ id: userId, email: input.email, displayName: input.displayName, passwordHash });
      const token = await issueToken(tx, userId, 'verify_email');
      await enqueueEmail(tx, verificationEmail(input.email, input.verifyUrl(token)));
      return { ok: true, userId } as const;
    });
  } catch (error) {
    // Two sign-ups racing for one address: the unique index decides, the loser is told plainly.
    if (isUniqueViolation(error)) return { ok: false, reason: 'duplicate_email' };
    throw error;
  }
}

export type SignInResult = { ok: true; userId: string } | { ok: false; reason: 'invalid_credentials' } | RateLimited;

/**
 * Checks a password. Limits count by IP and by the email typed (existing or not), and both
 * refusals read the same, so the answers never tell whether an account exists.
 */
export async function signIn(input: { email: string; password: string; ip: string }): Promise<SignInResult> {
  const accountKey = `signin:email:${input.email.toLowerCase()}`;
  const ipState = await hitRateLimit(`signin:ip:${input.ip}`, RATE_LIMITS.signInAttemptsPerIp);
  if (ipState.limited) return { ok: false, reason: 'rate_limited', retryAfterSeconds: ipState.retryAfterSeconds };
  const accountState = await checkRateLimit(accountKey, RATE_LIMITS.signInFailuresPerAccount);
  if (accountState.limited) return { ok: false, reason: 'rate_limited', retryAfterSeconds: accountState.retryAfterSeconds };

  const user = await withGlobal((tx) => findUserByEmail(tx, input.email));
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), input.password);
  if (user && valid) return { ok: true, userId: user.id };
  await hitRateLimit(accountKey, RATE_LIMITS.signInFailuresPerAccount);
  return { ok: false, reason: 'invalid_credentials' };
}

export type TokenResult = { ok: true; userId: string } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/** Marks a one-time token used; the conditional update makes a double click count once. */
async function consumeToken(tx: Tx, token: string, purpose: TokenPurpose, now: Date): Promise<TokenResult> {
  const rows = await tx
    .select()
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, purpose)))
    .limit(1);
  const row = rows[0];
  if (!row) return { ok: false, reason: 'invalid' };
  if (row.usedAt) return { ok: false, reason: 'used' };
  if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
  const claimed = await tx
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.tokenHash, row.tokenHash), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
    .returning({ userId: emailTokens.userId });
  return claimed[0] ? { ok: true, userId: claimed[0].userId } : { ok: false, reason: 'used' };
}

export async function verifyEmail(token: string, now = new Date()): Promise<TokenResult> {
  return withGlobal(async (tx) => {
    const result = await consumeToken(tx, token, 'verify_email', now);
    if (result.ok) await tx.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, result.userId));
    return result;
  });
}

export async function resendVerification(userId: string, verifyUrl: (token: string) => string): Promise<void> {
  await withGlobal(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user || user.emailVerifiedAt) return;
    const token = await issueToken(tx, user.id, 'verify_email');
    await enqueueEmail(tx, verificationEmail(user.email, verifyUrl(token)));
  });
}

/** Always answers the same way, so it cannot be used to find out who has an account. */
export async function requestPasswordReset(input: {
  email: string;
  ip: string;
  resetUrl: (token: string) => string;
}): Promise<{ ok: true } | RateLimited> {
  for (const [key, rule] of [
    [`reset:ip:${input.ip}`, RATE_LIMITS.resetRequestsPerIp],
    [`reset:email:${input.email}`, RATE_LIMITS.resetRequestsPerEmail],
  ] as const) {
    const state = await hitRateLimit(key, rule);
    if (state.limited) return { ok: false, reason: 'rate_limited', retryAfterSeconds: state.retryAfterSeconds };
  }
  await withGlobal(async (tx) => {
    const user = await findUserByEmail(tx, input.email);
    if (!user) return;
    const token = await issueToken(tx, user.id, 'reset_password');
    await enqueueEmail(tx, passwordResetEmail(user.email, input.resetUrl(token)));
  });
  return { ok: true };
}

/** Checks a reset link before showing the form, without using it up. */
export async function inspectPasswordResetToken(token: string, now = new Date()): Promise<'valid' | 'invalid' | 'expired' | 'used'> {
  const rows = await withGlobal((tx) =>
    tx
      .select()
      .from(emailTokens)
      .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, 'reset_password'))),
  );
  const row = rows[0];
  if (!row) return 'invalid';
  if (row.usedAt) return 'used';
  return row.expiresAt <= now ? 'expired' : 'valid';
}

/** Sets the new password; a reset also proves the address, so it counts as verification. */
export async function resetPassword(token: string, password: string, now = new Date()): Promise<TokenResult> {
  const passwordHash = await hashPassword(password);
  return withGlobal(async (tx) => {
    const result = await consumeToken(tx, token, 'reset_password', now);
    if (!result.ok) return result;
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(users.id, result.userId));
    return result;
  });
}
