import { and, eq, lt, sql } from 'drizzle-orm';
import { rateLimitCounters } from '#db/schema';
import { READ_ONLY, withIdentity } from '#db/scope';

export type RateLimitRule = { limit: number; windowSeconds: number };
export type RateLimitState = { limited: boolean; retryAfterSeconds: number };

function windowStart(rule: RateLimitRule, now: Date): Date {
  const windowMs = rule.windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

function stateFor(hits: number, rule: RateLimitRule, start: Date, now: Date): RateLimitState {
  const retryAfterSeconds = Math.max(1, Math.ceil((start.getTime() + rule.windowSeconds * 1000 - now.getTime()) / 1000));
  return { limited: hits >= rule.limit, retryAfterSeconds };
}

/** Whether `key` has used up its allowance in the current window, without counting this call. */
export async function checkRateLimit(key: string, rule: RateLimitRule, now = new Date()): Promise<RateLimitState> {
  const start = windowStart(rule, now);
  const rows = await withIdentity((tx) =>
    tx
      .select({ hits: rateLimitCounters.hits })
      .from(rateLimitCounters)
      .where(and(eq(rateLimitCounters.key, key), eq(rateLimitCounters.windowStart, start))),
    READ_ONLY,
  );
  return stateFor(rows[0]?.hits ?? 0, rule, start, now);
}

/** Counts one hit against `key` (atomic across processes) and reports the state before it. */
export async function hitRateLimit(key: string, rule: RateLimitRule, now = new Date()): Promise<RateLimitState> {
  const start = windowStart(rule, now);
  const rows = await withIdentity((tx) =>
    tx
      .insert(rateLimitCounters)
      .values({ key, windowStart: start, hits: 1 })
      .onConflictDoUpdate({
        target: [rateLimitCounters.key, rateLimitCounters.windowStart],
        set: { hits: sql`${rateLimitCounters.hits} + 1` },
      })
      .returning({ hits: rateLimitCounters.hits }),
  );
  return stateFor((rows[0]?.hits ?? 1) - 1, rule, start, now);
}

export async function deleteExpiredRateLimits(olderThan: Date): Promise<void> {
  await withIdentity((tx) => tx.delete(rateLimitCounters).where(lt(rateLimitCounters.windowStart, olderThan)));
}
