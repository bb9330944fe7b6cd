import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { uuidv7 } from '#db/ids';
import { apiKeys, users } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { ApiKeyScope } from '#db/vocabulary';
import type { ApiKeyInput } from '~/modules/admin/admin-forms';
import { recordAuditBy } from '~/modules/audit/audit.server';
import type { TownAdmin } from '~/utils/capabilities.server';

/** Keys are shown once and kept only as a hash; the prefix tells a key apart in the list. */
const KEY_PREFIX_LENGTH = 10;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export type ApiKeySummary = {
  id: string;
  name: string;
  keyPrefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** The town's keys, newest first, revoked ones included (they stay for the record). */
export async function listApiKeys(admin: TownAdmin): Promise<ApiKeySummary[]> {
  const creator = alias(users, 'creator');
  return withTown(admin.town.id, (tx) =>
    tx
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        keyPrefix: apiKeys.keyPrefix,
        scopes: apiKeys.scopes,
        createdAt: apiKeys.createdAt,
        createdBy: creator.displayName,
        createdByEmail: creator.email,
        lastUsedAt: apiKeys.lastUsedAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .leftJoin(creator, eq(creator.id, apiKeys.createdByUserId))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
      .then((rows) => rows.map(({ createdByEmail, ...row }) => ({ ...row, createdBy: row.createdBy ?? createdByEmail }))),
  );
}

/** Creates a key and returns its secret, the only time anyone sees it. */
export async function createApiKey(admin: TownAdmin, input: ApiKeyInput): Promise<{ id: string; key: string }> {
  const key = `cc311_${randomBytes(24).toString('base64url')}`;
  const id = uuidv7();
  await withTown(admin.town.id, async (tx) => {
    await insertApiKey(tx, admin.town.id, { id, key, name: input.name, scopes: input.scopes, createdByUserId: admin.user.id });
    await recordAuditBy(tx, admin, { action: 'api_key.created', entityType: 'api_key', entityId: id, after: { name: input.name, scopes: input.scopes } });
  });
  return { id, key };
}


/** A key row for a known secret: the admin's new key, or the demo's published one. */
export function insertApiKey(tx: Tx, townId: number, input: { id?: string; key: string; name: string; scopes: ApiKeyScope[]; createdByUserId: string | null }) {
  return tx
    .insert(apiKeys)
    .values({ townId, id: input.id ?? uuidv7(), name: input.name, keyHash: hashApiKey(input.key), keyPrefix: input.key.slice(0, KEY_PREFIX_LENGTH), scopes: input.scopes, createdByUserId: input.createdByUserId })
    .onConflictDoNothing();
}

/** null: no such key; `revoked: false`: it had been revoked already. */
export async function revokeApiKey(admin: TownAdmin, id: string, now = new Date()): Promise<{ name: string; revoked: boolean } | null> {
  return withTown(admin.town.id, async (tx) => {
    const [key] = await tx.select({ name: apiKeys.name, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, id)).for('update');
    if (!key) return null;
    if (key.revokedAt) return { name: key.name, revoked: false };
    await tx.update(apiKeys).set({ revokedAt: now, revokedByUserId: admin.user.id }).where(eq(apiKeys.id, id));
    await recordAuditBy(tx, admin, { action: 'api_key.revoked', entityType: 'api_key', entityId: id, before: { name: key.name } });
    return { name: key.name, revoked: true };
  });
}

/** Whether `key` is one of the town's live keys with `scope`; a match is marked used. */
export async function authenticateApiKey(townId: number, key: string | null, scope: ApiKeyScope, now = new Date()): Promise<{ id: string; name: string } | null> {
  if (!key) return null;
  return withTown(townId, async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes });
    return row && row.scopes.includes(scope) ? { id: row.id, name: row.name } : null;
  });
}
