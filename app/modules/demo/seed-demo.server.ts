import { eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '#db/client';
import { uuidv7 } from '#db/ids';
import { towns, users } from '#db/schema';
import { grantTownRole } from '~/utils/memberships.server';
import { hashPassword } from '~/utils/password.server';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts';

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

function addYears(date: Date, years: number): Date {
  const d = new Date(date);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

/**
 * The real grant terms all ended years ago; the demo moves a few towns so every state of the
 * term can be seen: active, ending within 90 days, and ended.
 */
export const DEMO_GRANT_SHIFTS: Record<string, (today: Date) => { start: Date }> = {
  somerville: (today) => ({ start: addDays(today, -400) }),
  newton: (today) => ({ start: addDays(today, -200) }),
  malden: (today) => ({ start: addDays(addYears(today, -3), 45) }),
  lexington: (today) => ({ start: addDays(addYears(today, -3), 80) }),
};

export async function seedDemo(db: Database, today = new Date()): Promise<{ accounts: number }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const emails = DEMO_ACCOUNTS.map((a) => a.email);
  await db
    .insert(users)
    .values(
      DEMO_ACCOUNTS.map((a) => ({
        id: uuidv7(),
        email: a.email,
        displayName: a.displayName,
        passwordHash,
        emailVerifiedAt: today,
        isStateStaff: a.stateStaff ?? false,
      })),
    )
    .onConflictDoNothing();
  const rows = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(sql`lower(${users.email})`, emails));
  const idByEmail = new Map(rows.map((r) => [r.email, r.id]));
  const townRows = await db.select({ id: towns.id, slug: towns.slug }).from(towns);
  const townIdBySlug = new Map(townRows.map((t) => [t.slug, t.id]));

  for (const account of DEMO_ACCOUNTS) {
    for (const [slug, role] of account.roles ?? []) {
      const townId = townIdBySlug.get(slug);
      const userId = idByEmail.get(account.email);
      if (townId && userId) await grantTownRole(townId, userId, role);
    }
  }
  for (const [slug, shift] of Object.entries(DEMO_GRANT_SHIFTS)) {
    const { start } = shift(today);
    await db
      .update(towns)
      .set({ grantStart: isoDate(start), grantEnd: isoDate(addYears(start, 3)) })
      .where(eq(towns.slug, slug));
  }
  invalidateTownCaches();
  return { accounts: DEMO_ACCOUNTS.length };
}
