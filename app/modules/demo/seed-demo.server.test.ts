import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { apiKeys, towns, users } from '#db/schema';
import { getTownRole } from '~/utils/memberships.server';
import { signIn } from '~/modules/accounts/accounts.server';
import { lifecycleOf } from '~/modules/towns/town-lifecycle.server';
import { listTowns } from '~/utils/town-profile.server';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts';
import { authenticateApiKey } from '~/modules/open311/api-keys.server';
import { findTownBySlug } from '~/utils/town-profile.server';
import { DEMO_LIFECYCLE_TOWNS, DEMO_OPEN311_KEY, seedDemo } from './seed-demo.server';

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

  it("gives Somerville, and no other town, the README's Open311 key, once however often it runs", async () => {
    await seedDemo(getDatabase().db, today);
    await seedDemo(getDatabase().db, today);
    const somerville = (await findTownBySlug('somerville'))!;
    const malden = (await findTownBySlug('malden'))!;
    expect(DEMO_OPEN311_KEY).toBe('demo-somerville-open311');
    expect(await authenticateApiKey(somerville.id, DEMO_OPEN311_KEY, 'requests.create')).toMatchObject({ name: expect.stringContaining('Demo') });
    expect(await authenticateApiKey(malden.id, DEMO_OPEN311_KEY, 'requests.create')).toBeNull();
    const rows = await getDatabase().db.select().from(apiKeys).where(eq(apiKeys.townId, somerville.id));
    expect(rows).toHaveLength(1);
  });

  it('shows a town in every state of the lifecycle, the ones the README names', async () => {
    await seedDemo(getDatabase().db, today);
    const lifecycles = new Map((await listTowns()).map((t) => [t.slug, lifecycleOf(t, today)]));
    expect(lifecycles.get(DEMO_LIFECYCLE_TOWNS.endingSoon)).toMatchObject({ state: 'grant_ending', daysLeft: 20 });
    expect(lifecycles.get(DEMO_LIFECYCLE_TOWNS.grace)?.state).toBe('grace');
    expect(lifecycles.get(DEMO_LIFECYCLE_TOWNS.lapsed)?.state).toBe('lapsed');
    expect(lifecycles.get(DEMO_LIFECYCLE_TOWNS.subscribedByCard)).toMatchObject({ state: 'subscribed', renews: true });
    expect(lifecycles.get(DEMO_LIFECYCLE_TOWNS.subscribedByPurchaseOrder)).toMatchObject({ state: 'subscribed', renews: false });
    expect(lifecycles.get('somerville')?.state).toBe('in_grant');
    const others = [...lifecycles].filter(([slug]) => !Object.values(DEMO_LIFECYCLE_TOWNS).includes(slug as never));
    expect(new Set(others.map(([, l]) => l.state))).toEqual(new Set(['in_grant']));
  });
});
