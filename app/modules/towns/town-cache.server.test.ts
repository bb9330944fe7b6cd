import { eq, sql } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { towns } from '#db/schema';
import { withGlobal } from '#db/scope';
import { updateTownProfile } from '~/modules/admin/profile.server';
import { profileForm } from '~/modules/admin/admin-forms';
import { townAdminFor } from '../../../tests/capabilities';
import { createUser, townBySlug } from '../../../tests/factories';
import { TOWNS_CHANGED_CHANNEL } from '~/utils/town-cache.server';
import { findTownBySlug, listTowns } from '~/utils/town-profile.server';
import { statementsDuring } from '../../../tests/statements';

describe('town cache', () => {
  it('reads the towns once, however many lookups follow', async () => {
    await vi.waitFor(async () => {
      const statements = await statementsDuring(async () => {
        for (let i = 0; i < 5; i++) expect((await findTownBySlug('somerville'))?.slug).toBe('somerville');
        expect(await listTowns()).toHaveLength(45);
        expect(await findTownBySlug('no-such-town')).toBeNull();
      });
      // The first lookup may still be the one that fills the cache once LISTEN is up.
      expect(statements.filter((s) => s.includes('from "towns"')).length).toBeLessThanOrEqual(1);
      // LISTEN comes up asynchronously after the database is opened; on a loaded machine that takes seconds.
    }, { timeout: 15_000, interval: 200 });
    const statements = await statementsDuring(() => findTownBySlug('somerville'));
    expect(statements).toEqual([]);
  });

  it('shows a profile saved through the admin module on the very next lookup', async () => {
    const town = await townBySlug('malden');
    expect((await findTownBySlug('malden'))?.welcomeMessage).toBeNull();
    const admin = await townAdminFor(town, await createUser({ roles: [[town, 'admin']] }));
    const profile = profileForm.parse({ accentColor: town.accentColor, phone: '', email: '', website: '', welcomeMessage: 'Hello, Malden', bannerMessage: '' });
    expect(await updateTownProfile(admin, { profile, logo: null })).toEqual({ ok: true, changed: true });
    expect((await findTownBySlug('malden'))?.welcomeMessage).toBe('Hello, Malden');
  });

  it('drops its copy when the towns table changes on another connection, through the trigger and NOTIFY', async () => {
    expect((await findTownBySlug('melrose'))?.bannerMessage).toBeNull();
    // The owner connection, not the app's invalidation call: as a tenant sync in another process writes.
    await getDatabase().db.update(towns).set({ bannerMessage: 'Snow emergency' }).where(eq(towns.slug, 'melrose'));
    await vi.waitFor(async () => expect((await findTownBySlug('melrose'))?.bannerMessage).toBe('Snow emergency'));
  });

  it('drops its copy on a bare NOTIFY on the channel', async () => {
    const town = await townBySlug('everett');
    // Changed without the trigger firing, so only the notification below can make it visible.
    await getDatabase().db.transaction(async (tx) => {
      await tx.execute(sql`alter table towns disable trigger towns_changed`);
      await tx.update(towns).set({ bannerMessage: 'Road closed' }).where(eq(towns.id, town.id));
      await tx.execute(sql`alter table towns enable trigger towns_changed`);
    });
    expect((await findTownBySlug('everett'))?.bannerMessage).toBeNull();
    await withGlobal((tx) => tx.execute(sql`select pg_notify(${TOWNS_CHANGED_CHANNEL}, '')`));
    await vi.waitFor(async () => expect((await findTownBySlug('everett'))?.bannerMessage).toBe('Road closed'));
  });
});
