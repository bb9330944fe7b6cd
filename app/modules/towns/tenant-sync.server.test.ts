import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { categories, towns } from '#db/schema';
import { withTown } from '#db/scope';
import { loadTownRegistry, type TownRegistryEntry } from './registry.server';
import { syncTownRegistry } from './tenant-sync.server';

const db = () => getDatabase().db;
let registry: TownRegistryEntry[];

beforeAll(async () => {
  registry = await loadTownRegistry();
});

const townRow = async (slug: string) => (await db().select().from(towns).where(eq(towns.slug, slug)))[0]!;

describe('syncTownRegistry', () => {
  it('loads every registry town with its categories, and a second run changes nothing', async () => {
    expect(await db().$count(towns)).toBe(45);
    const before = await townRow('somerville');
    const changes = await syncTownRegistry(db(), registry);
    expect(changes.every((c) => c.action === 'unchanged' && c.categoriesAdded === 0)).toBe(true);
    expect((await townRow('somerville')).updatedAt).toEqual(before.updatedAt);
    const somervilleCategories = await withTown(before.id, (tx) => tx.select().from(categories));
    expect(somervilleCategories.map((c) => c.code).sort()).toEqual(registry.find((t) => t.slug === 'somerville')!.categories.map((c) => c.code).sort());
  });

  it('applies registry changes but keeps what a town admin changed in the app', async () => {
    const malden = await townRow('malden');
    await db().update(towns).set({ accentColor: '#005ea2' }).where(eq(towns.id, malden.id));
    const edited = registry.map((t) =>
      t.slug === 'malden'
        ? { ...t, accentColor: '#222222', contact: { ...t.contact, website: 'https://www.cityofmalden.org' } }
        : t,
    );
    const [change] = (await syncTownRegistry(db(), edited)).filter((c) => c.slug === 'malden');
    expect(change).toMatchObject({ action: 'updated', fields: ['contact'], keptInApp: ['accentColor'] });
    const after = await townRow('malden');
    expect(after.accentColor).toBe('#005ea2');
    expect(after.contact.website).toBe('https://www.cityofmalden.org');
  });

  it('adds new registry categories but never rewrites one a town has', async () => {
    const town = registry.find((t) => t.slug === 'newton')!;
    const townId = town.massgisTownId;
    await withTown(townId, (tx) => tx.update(categories).set({ name: 'Road hole' }).where(eq(categories.code, 'pothole')));
    const withExtra = registry.map((t) =>
      t.slug === 'newton'
        ? {
            ...t,
            categories: [
              ...t.categories.map((c) => (c.code === 'pothole' ? { ...c, name: 'Pothole (registry)' } : c)),
              { code: 'leaf-pickup', name: 'Leaf pickup', group: 'Sanitation', description: 'Bagged leaves left out.', targetDays: 5 },
            ],
          }
        : t,
    );
    const [change] = (await syncTownRegistry(db(), withExtra)).filter((c) => c.slug === 'newton');
    expect(change!.categoriesAdded).toBe(1);
    const rows = await withTown(townId, (tx) => tx.select().from(categories));
    expect(rows.find((c) => c.code === 'pothole')!.name).toBe('Road hole');
    expect(rows.find((c) => c.code === 'leaf-pickup')).toBeDefined();
  });
});
