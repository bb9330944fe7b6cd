import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, lt } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { requestTokens } from '#db/schema';
import type { Tx } from '#db/scope';
import type { RequestTokenPurpose } from '#db/vocabulary';

const DAY_MS = 86_400_000;

/** How long a link works: the reporter's manage link for a season, a follow confirmation two days. */
export const REQUEST_TOKEN_LIFETIME_MS = { manage: 90 * DAY_MS, follow: 2 * DAY_MS } as const;

/** What the link's token looks like in a URL or a form: 32 random bytes, base64url. */
export const REQUEST_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type NewRequestToken = { token: string; row: typeof requestTokens.$inferInsert };

/**
 * A link's secret and the row that stores its hash, made before the transaction that inserts it
 * when an email built beforehand must carry it (filing a report).
 */
export function newRequestToken(input: { townId: number; requestId: string; purpose: RequestTokenPurpose; email: string; expiresAt: Date }): NewRequestToken {
  const token = randomBytes(32).toString('base64url');
  return { token, row: { ...input, id: uuidv7(), tokenHash: hashToken(token) } };
}

/** Issues a link in the caller's transaction (of the request's town) and returns its secret. */
export async function issueRequestToken(tx: Tx, input: Parameters<typeof newRequestToken>[0]): Promise<string> {
  const { token, row } = newRequestToken(input);
  await tx.insert(requestTokens).values(row);
  return token;
}

export type RequestToken = { id: string; requestId: string; email: string; expiresAt: Date };
export type TokenProblem = 'invalid' | 'expired' | 'used';
export type TokenCheck = { ok: true; token: RequestToken } | { ok: false; reason: TokenProblem };

/**
 * Whether a link works for `purpose` in the transaction's town, without using it: one issued for
 * another purpose, or by another town, is as unknown as a made-up one.
 */
export async function checkRequestToken(tx: Tx, token: string, purpose: RequestTokenPurpose, now: Date): Promise<TokenCheck> {
  if (!REQUEST_TOKEN_PATTERN.test(token)) return { ok: false, reason: 'invalid' };
  const [row] = await tx
    .select()
    .from(requestTokens)
    .where(and(eq(requestTokens.tokenHash, hashToken(token)), eq(requestTokens.purpose, purpose)));
  if (!row) return { ok: false, reason: 'invalid' };
  if (row.usedAt) return { ok: false, reason: 'used' };
  if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, token: { id: row.id, requestId: row.requestId, email: row.email, expiresAt: row.expiresAt } };
}

/** Uses up a one-time link; the conditional update makes a double click count once. */
export async function useRequestToken(tx: Tx, tokenId: string, now: Date): Promise<boolean> {
  const used = await tx
    .update(requestTokens)
    .set({ usedAt: now })
    .where(and(eq(requestTokens.id, tokenId), isNull(requestTokens.usedAt)))
    .returning({ id: requestTokens.id });
  return used.length > 0;
}

/** Links that expired long ago are only clutter: a late click still hears "expired" for `keepDays`. */
export async function deleteExpiredRequestTokens(tx: Tx, now: Date, keepDays = 30): Promise<void> {
  await tx.delete(requestTokens).where(lt(requestTokens.expiresAt, new Date(now.getTime() - keepDays * DAY_MS)));
}
