import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { isUniqueViolation } from '#db/errors';
import { uuidv7 } from '#db/ids';
import { emailTokens, pendingSignUps, users } from '#db/schema';
import { withIdentity, type Tx } from '#db/scope';
import { isDemoAccountEmail } from '~/modules/demo/demo-accounts';
import { accountExistsEmail, finishSignUpEmail, passwordResetEmail, verificationEmail } from '~/modules/notifications/account-emails.server';
import { claimReports, proveAddress } from '~/modules/requests/claim.server';
import { endAllSessions } from '~/utils/auth.server';
import { getEnv } from '~/utils/env.server';
import { enqueueAccountEmail } from '~/utils/outbox.server';
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
const SIGN_UP_LIFETIME_MS = 48 * 3_600_000;
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

/**
 * The one door for creating a user row. `is_state_staff` is not granted to the identity role (and
 * drizzle would name every column), so the insert names exactly the granted columns.
 */
async function insertUser(tx: Tx, user: { email: string; displayName: string | null; passwordHash: string; emailVerifiedAt: Date | null }): Promise<string> {
  const id = uuidv7();
  await tx.execute(
    sql`insert into ${users} (id, email, display_name, password_hash, email_verified_at) values (${id}, ${user.email}, ${user.displayName}, ${user.passwordHash}, ${user.emailVerifiedAt?.toISOString() ?? null})`,
  );
  return id;
}

export type SignUpResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'duplicate_email' }
  | RateLimited;

async function limitSignUps(ip: string, email: string): Promise<RateLimited | null> {
  for (const [key, rule] of [
    [`signup:ip:${ip}`, RATE_LIMITS.signUpsPerIp],
    [`signup:email:${email.toLowerCase()}`, RATE_LIMITS.signUpsPerEmail],
  ] as const) {
    const state = await hitRateLimit(key, rule);
    if (state.limited) return { ok: false, reason: 'rate_limited', retryAfterSeconds: state.retryAfterSeconds };
  }
  return null;
}

/**
 * Creates a verified-by-possession account at once, for callers whose link already proved the
 * address (a staff invitation). Public sign-up goes through `requestSignUp` instead.
 */
export async function signUp(input: {
  email: string;
  password: string;
  displayName: string | null;
  ip: string;
  verifyUrl: (token: string) => string;
}): Promise<SignUpResult> {
  const limited = await limitSignUps(input.ip, input.email);
  if (limited) return limited;
  const passwordHash = await hashPassword(input.password);
  try {
    return await withIdentity(async (tx) => {
      if (await findUserByEmail(tx, input.email)) return { ok: false, reason: 'duplicate_email' } as const;
      const userId = await insertUser(tx, { email: input.email, displayName: input.displayName, passwordHash, emailVerifiedAt: null });
      const token = await issueToken(tx, userId, 'verify_email');
      await enqueueAccountEmail(tx, verificationEmail(input.email, input.verifyUrl(token)));
      return { ok: true, userId } as const;
    });
  } catch (error) {
    // Two sign-ups racing for one address: the unique index decides, the loser is told plainly.
    if (isUniqueViolation(error)) return { ok: false, reason: 'duplicate_email' };
    throw error;
  }
}

/**
 * Public sign-up answers the same whether or not the address has an account: a new address gets a
 * link that creates the account, an existing one an email telling its owner how to sign in. No
 * row that sign-in could find exists until the link is used.
 */
export async function requestSignUp(input: {
  email: string;
  password: string;
  displayName: string | null;
  ip: string;
  links: { finishSignUp: (token: string) => string; signIn: string; resetPassword: string };
}): Promise<{ ok: true } | RateLimited> {
  const limited = await limitSignUps(input.ip, input.email);
  if (limited) return limited;
  const passwordHash = await hashPassword(input.password);
  await withIdentity(async (tx) => {
    if (await findUserByEmail(tx, input.email)) {
      await enqueueAccountEmail(tx, accountExistsEmail(input.email, input.links));
      return;
    }
    const token = randomBytes(32).toString('base64url');
    await tx.insert(pendingSignUps).values({
      tokenHash: hashToken(token),
      email: input.email,
      displayName: input.displayName,
      passwordHash,
      expiresAt: new Date(Date.now() + SIGN_UP_LIFETIME_MS),
    });
    await enqueueAccountEmail(tx, finishSignUpEmail(input.email, input.links.finishSignUp(token)));
  });
  return { ok: true };
}

export type FinishSignUpResult = { ok: true; userId: string } | { ok: false; reason: 'invalid' | 'expired' | 'used' | 'account_exists' };

/** Whether a sign-up link can still be used, without using it. */
export async function inspectSignUpToken(token: string, now = new Date()): Promise<'valid' | 'invalid' | 'expired' | 'used'> {
  const [row] = await withIdentity((tx) => tx.select().from(pendingSignUps).where(eq(pendingSignUps.tokenHash, hashToken(token))));
  if (!row) return 'invalid';
  if (row.usedAt) return 'used';
  return row.expiresAt <= now ? 'expired' : 'valid';
}

/**
 * Reports made with a proven address become its account's (docs/decisions/0021). Run after the
 * proof's own transaction committed: a claim that failed midway is completed by the next sign-in.
 */
async function claimFor(userId: string, email: string): Promise<void> {
  await claimReports(proveAddress(userId, email));
}

/** Uses the emailed link: the account is created, already verified, since the link proves the address. */
export async function finishSignUp(token: string, now = new Date()): Promise<FinishSignUpResult> {
  const result = await createSignedUpAccount(token, now);
  if (result.ok) await claimFor(result.userId, result.email);
  return result.ok ? { ok: true, userId: result.userId } : result;
}

async function createSignedUpAccount(token: string, now: Date): Promise<Exclude<FinishSignUpResult, { ok: true }> | { ok: true; userId: string; email: string }> {
  try {
    return await withIdentity(async (tx) => {
      const [row] = await tx
        .update(pendingSignUps)
        .set({ usedAt: now })
        .where(and(eq(pendingSignUps.tokenHash, hashToken(token)), isNull(pendingSignUps.usedAt), gt(pendingSignUps.expiresAt, now)))
        .returning();
      if (!row) {
        const state = await tx.select({ usedAt: pendingSignUps.usedAt }).from(pendingSignUps).where(eq(pendingSignUps.tokenHash, hashToken(token)));
        return { ok: false, reason: !state[0] ? 'invalid' : state[0].usedAt ? 'used' : 'expired' } as const;
      }
      if (await findUserByEmail(tx, row.email)) return { ok: false, reason: 'account_exists' } as const;
      const userId = await insertUser(tx, { email: row.email, displayName: row.displayName, passwordHash: row.passwordHash, emailVerifiedAt: now });
      return { ok: true, userId, email: row.email } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'account_exists' };
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

  const user = await withIdentity((tx) => findUserByEmail(tx, input.email));
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), input.password);
  // Demo accounts have a published password: outside demo mode they are as good as absent.
  const usable = user && (getEnv().DEMO_MODE || !isDemoAccountEmail(user.email));
  if (user && valid && usable) {
    // A confirmed address may have reports made with it since (or a claim cut short): they become its account's now.
    if (user.emailVerifiedAt) await claimFor(user.id, user.email);
    return { ok: true, userId: user.id };
  }
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
  const verified = await withIdentity(async (tx) => {
    const result = await consumeToken(tx, token, 'verify_email', now);
    if (!result.ok) return result;
    const [user] = await tx.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, result.userId)).returning({ email: users.email });
    return { ...result, email: user!.email };
  });
  if (!verified.ok) return verified;
  await claimFor(verified.userId, verified.email);
  return { ok: true, userId: verified.userId };
}

export async function resendVerification(userId: string, verifyUrl: (token: string) => string): Promise<void> {
  await withIdentity(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user || user.emailVerifiedAt) return;
    const token = await issueToken(tx, user.id, 'verify_email');
    await enqueueAccountEmail(tx, verificationEmail(user.email, verifyUrl(token)));
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
  await withIdentity(async (tx) => {
    const user = await findUserByEmail(tx, input.email);
    if (!user) return;
    const token = await issueToken(tx, user.id, 'reset_password');
    await enqueueAccountEmail(tx, passwordResetEmail(user.email, input.resetUrl(token)));
  });
  return { ok: true };
}

/** Checks an emailed link before showing its page (a reset form, a confirm button), without using it up. */
export async function inspectEmailToken(token: string, purpose: 'verify_email' | 'reset_password', now = new Date()): Promise<'valid' | 'invalid' | 'expired' | 'used'> {
  const rows = await withIdentity((tx) =>
    tx
      .select()
      .from(emailTokens)
      .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, purpose))),
  );
  const row = rows[0];
  if (!row) return 'invalid';
  if (row.usedAt) return 'used';
  return row.expiresAt <= now ? 'expired' : 'valid';
}

/** Sets the new password; a reset also proves the address, so it counts as verification. */
export async function resetPassword(token: string, password: string, now = new Date()): Promise<TokenResult> {
  const passwordHash = await hashPassword(password);
  const reset = await withIdentity(async (tx) => {
    const result = await consumeToken(tx, token, 'reset_password', now);
    if (!result.ok) return result;
    await invalidateOutstandingTokens(tx, result.userId, now);
    const [user] = await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(users.id, result.userId))
      .returning({ email: users.email });
    return { ...result, email: user!.email };
  });
  if (!reset.ok) return reset;
  await claimFor(reset.userId, reset.email);
  return { ok: true, userId: reset.userId };
}

/** Every link still in the mail stops working: after a reset, or when the owner signs out everywhere. */
async function invalidateOutstandingTokens(tx: Tx, userId: string, now: Date): Promise<void> {
  await tx
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), isNull(emailTokens.usedAt)));
}

/** Cancels every emailed link of the account, then ends every one of its sessions. */
export async function signOutEverywhere(userId: string, now = new Date()): Promise<void> {
  await withIdentity((tx) => invalidateOutstandingTokens(tx, userId, now));
  await endAllSessions(userId);
}
