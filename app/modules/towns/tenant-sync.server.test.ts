import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { categories, programCategories, towns } from '#db/schema';
import { withTown } from '#db/scope';
import { loadTownRegistry, RegistryError, type TownRegistry, type TownRegistryEntry } from './registry.server';
import { syncTownRegistry } from './tenant-sync.server';

const db = () => getDatabase().db;
let registry: TownRegistry;
/** The registry with each town passed through `edit`. */
const withTowns = (edit: (town: TownRegistryEntry) => TownRegistryEntry): TownRegistry => ({ ...registry, towns: registry.towns.map(edit) });

beforeAll(async () => {
  registry = await loadTownRegistry();
});

const townRow = async (slug: string) => (await db().select().from(towns).where(eq(towns.slug, slug)))[0]!;

describe('syncTownRegistry', () => {
  it('loads every registry town with its categories, and a second run changes nothing', async () => {
    expect(await db().$count(towns)).toBe(45);
    const before = await townRow('somerville');
    const { programCategories: program, towns: changes } = await syncTownRegistry(db(), registry);
    expect(program).toEqual({ added: [], updated: [], removed: [] });
    expect(changes.every((c) => c.action === 'unchanged' && c.categoriesAdded === 0)).toBe(true);
    expect((await townRow('somerville')).updatedAt).toEqual(before.updatedAt);
    const somervilleCategories = await withTown(before.id, (tx) => tx.select().from(categories));
    const listed = registry.towns.find((t) => t.slug === 'somerville')!.categories;
    expect(somervilleCategories.map((c) => [c.code, c.programCategory]).sort()).toEqual(listed.map((c) => [c.code, c.programCategory]).sort());
  });

  it('applies registry changes but keeps what a town admin changed in the app', async () => {
    const malden = await townRow('malden');
    await db().update(towns).set({ accentColor: '#005ea2' }).where(eq(towns.id, malden.id));
    const edited = withTowns((t) =>
      t.slug === 'malden'
        ? { ...t, accentColor: '#222222', contact: { ...t.contact, website: 'https://www.cityofmalden.org' } }
        : t,
    );
    const [change] = (await syncTownRegistry(db(), edited)).towns.filter((c) => c.slug === 'malden');
    // The scratch database's current grant term (scripts/scratch-database.ts) was set outside the registry too.
    expect(change).toMatchObject({ action: 'updated', fields: ['contact'], keptInApp: ['accentColor', 'grantStart', 'grantEnd'] });
    const after = await townRow('malden');
    expect(after.accentColor).toBe('#005ea2');
    expect(after.contact.website).toBe('https://www.cityofmalden.org');
  });

  it('adds new registry categories but never rewrites one a town has', async () => {
    const town = registry.towns.find((t) => t.slug === 'newton')!;
    const townId = town.massgisTownId;
    await withTown(townId, (tx) => tx.update(categories).set({ name: 'Road hole' }).where(eq(categories.code, 'pothole')));
    const withExtra = withTowns((t) =>
      t.slug === 'newton'
        ? {
            ...t,
            categories: [
              ...t.categories.map((c) => (c.code === 'pothole' ? { ...c, name: 'Pothole (registry)' } : c)),
              { code: 'leaf-pickup', name: 'Leaf pickup', group: 'Sanitation', programCategory: 'trash-recycling', description: 'Bagged leaves left out.', targetDays: 5 },
            ],
          }
        : t,
    );
    const [change] = (await syncTownRegistry(db(), withExtra)).towns.filter((c) => c.slug === 'newton');
    expect(change!.categoriesAdded).toBe(1);
    const rows = await withTown(townId, (tx) => tx.select().from(categories));
    expect(rows.find((c) => c.code === 'pothole')!.name).toBe('Road hole');
    expect(rows.find((c) => c.code === 'leaf-pickup')).toMatchObject({ programCategory: 'trash-recycling', questions: [] });
  });

  it("refuses, before writing anything, a town category that maps to a program category the program does not list", async () => {
    const before = await townRow('somerville');
    const broken = withTowns((t) =>
      t.slug === 'somerville'
        ? { ...t, accentColor: '#222222', categories: [...t.categories, { code: 'leaves', name: 'Leaves', group: 'Sanitation', programCategory: 'leaf-pickup', description: 'Leaves.', targetDays: 5 }] }
        : t,
    );
    const error = await syncTownRegistry(db(), broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toBe('tenants/somerville/town.json: category "leaves" of Somerville maps to "leaf-pickup", which tenants/_program/categories.json does not list');
    expect((await townRow('somerville')).accentColor).toBe(before.accentColor);
  });

  it('keeps the program categories exactly as listed: adds, updates and removes an unused one', async () => {
    const [first, ...rest] = registry.programCategories;
    const renamed = { ...first!, name: `${first!.name} (renamed)` };
    const extra = { code: 'bridges', name: 'Bridges', description: 'A damaged bridge.', defaultTargetDays: 10, defaultQuestions: [] };
    const changed = await syncTownRegistry(db(), { ...registry, programCategories: [renamed, ...rest, extra] });
    expect(changed.programCategories).toEqual({ added: ['bridges'], updated: [first!.code], removed: [] });
    expect((await db().select().from(programCategories).where(eq(programCategories.code, first!.code)))[0]!.name).toBe(renamed.name);

    const restored = await syncTownRegistry(db(), registry);
    expect(restored.programCategories).toEqual({ added: [], updated: [first!.code], removed: ['bridges'] });
    expect(await db().$count(programCategories)).toBe(registry.programCategories.length);
  });

  it('refuses to remove a program category that town categories still map to, and changes nothing', async () => {
    const withoutGraffiti = { ...registry, programCategories: registry.programCategories.filter((p) => p.code !== 'graffiti') };
    const townsWithoutGraffiti = { ...withoutGraffiti, towns: [] };
    const error = await syncTownRegistry(db(), townsWithoutGraffiti).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/^tenants\/_program\/categories\.json: the program category "graffiti" is no longer listed, but town categories still map to it/);
    expect(await db().$count(programCategories)).toBe(registry.programCategories.length);
  });
});
