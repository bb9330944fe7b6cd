import { and, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '#db/schema';
import { withTown } from '#db/scope';
import { getEnv } from '~/utils/env.server';
import { hitRateLimit } from '~/utils/rate-limit.server';
import { hashApiKey } from './api-keys.server';

/**
 * Counts one public read (docs/decisions/0022): per live API key of the town when the client gives
 * one (a larger allowance, for integrations), else per client address. Null while within the
 * allowance; otherwise the seconds until the window turns.
 */
export async function hitOpen311ReadLimit(townId: number, apiKey: string | null, clientIp: string, now = new Date()): Promise<{ retryAfterSeconds: number } | null> {
  const { OPEN311_READS_PER_MINUTE, OPEN311_KEY_READS_PER_MINUTE } = getEnv();
  const [key] = apiKey
    ? await withTown(townId, (tx) => tx.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.keyHash, hashApiKey(apiKey)), isNull(apiKeys.revokedAt))))
    : [];
  const state = key
    ? await hitRateLimit(`open311-read:key:${key.id}`, { limit: OPEN311_KEY_READS_PER_MINUTE, windowSeconds: 60 }, now)
    : await hitRateLimit(`open311-read:ip:${clientIp}`, { limit: OPEN311_READS_PER_MINUTE, windowSeconds: 60 }, now);
  return state.limited ? { retryAfterSeconds: state.retryAfterSeconds } : null;
}
