import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { towns, users } from '#db/schema';
import { getTownRole } from '~/utils/memberships.server';
import { signIn } from '~/modules/accounts/accounts.server';
import { grantTermStatus } from '~/modules/towns/grant-term';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts';
import { seedDemo } from './seed-demo.server';

describe('seedDemo', () => {
  const today = new Date('2026-11-24T12:00:00Z');

  it('creates the documented demo accounts with their roles, and is safe to run twice', async () => {
    await seedDemo(getDatabase().db, today);
    await seedDemo(getDatabase().db, today);
    const db = getDatabase().db;
    for (const account of DEMO_ACCOUNTS) {
      const rows = await db.select().from(users).where(eq(users.email, account.email));
      expect(rows, account.email).toHaveLength(1);
      expect(rows[0]!.isStateStaff).toBe(account.stateStaff ?? false);
      for (const [slug, role] of account.roles ?? []) {
        const [town] = await db.select().from(towns).where(eq(towns.slug, slug));
        expect(await getTownRole(town!.id, rows[0]!.id)).toBe(role);
      }
    }
    expect(await signIn({ email: 'resident@demo.test', password: DEMO_PASSWORD, ip: 'seed-test' })).toMatchObject({ ok: true });
  });

  it('shows towns in every state of the grant term', async () => {
    await seedDemo(getDatabase().db, today);
    const rows = await getDatabase().db.select().from(towns);
    const statuses = new Set(rows.map((t) => grantTermStatus(t.grantStart, t.grantEnd, today).status));
    expect(statuses).toEqual(new Set(['active', 'ending_soon', 'ended']));
  });
});
