import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { categories, programCategories, towns } from '#db/schema';
import { withTown } from '#db/scope';
import { loadTownRegistry, RegistryError, type TownRegistry, type TownRegistryEntry } from './registry.server';
import { syncTownRegistry, type TownSyncChange } from './tenant-sync.server';

const db = () => getDatabase().db;
let registry: TownRegistry;
/** The registry with each town passed through `edit`. */
const withTowns = (edit: (town: TownRegistryEntry) => TownRegistryEntry): TownRegistry => ({ ...registry, towns: registry.towns.map(edit) });

beforeAll(async () => {
  registry = await loadTownRegistry();
});

// The scratch database's grant terms were set outside the registry (scripts/scratch-database.ts), so only category fields are compared.
const keptCategoryFields = (change: TownSyncChange) => change.keptInApp.filter((field) => field.startsWith('categories.'));
const townRow = async (slug: string) => (await db().select().from(towns).where(eq(towns.slug, slug)))[0]!;

describe('syncTownRegistry', () => {
  it('loads every registry town with its categories, and a second run changes nothing', async () => {
    expect(await db().$count(towns)).toBe(45);
    const before = await townRow('somerville');
    const { programCategories: program, towns: changes } = await syncTownRegistry(db(), registry);
    expect(program).toEqual({ added: [], updated: [], removed: [] });
    expect(changes.every((c) => c.action === 'unchanged' && c.categoriesAdded === 0 && c.categoriesUpdated.length === 0)).toBe(true);
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
    const programTrash = registry.programCategories.find((p) => p.code === 'trash-recycling')!;
    expect(rows.find((c) => c.code === 'leaf-pickup')).toMatchObject({ programCategory: 'trash-recycling', questions: programTrash.defaultQuestions, keywords: programTrash.defaultKeywords });
  });

  it("gives a new town's categories their program category's default questions and the registry's keywords", async () => {
    const program = (code: string) => registry.programCategories.find((p) => p.code === code)!;
    const somerville = registry.towns.find((t) => t.slug === 'somerville')!;
    const rows = await withTown(somerville.massgisTownId, (tx) => tx.select().from(categories));
    const pothole = rows.find((c) => c.code === 'pothole')!;
    expect(pothole.questions.map((q) => q.label)).toEqual(['How big is it?', 'Where in the road is it?']);
    expect(pothole.keywords).toEqual(program('pothole').defaultKeywords);
    expect(pothole.keywords).toContain('pot hole');
    expect(rows.find((c) => c.code === 'streetlight')!.questions.map((q) => q.code)).toContain('pole-number');
    expect(rows.find((c) => c.code === 'abandoned-vehicle')!.keywords).toContain('car');
    expect(rows.find((c) => c.code === 'missed-trash-pickup')!.keywords).toEqual(expect.arrayContaining(['garbage', 'rubbish']));
    // The defaults' own list for "other" replaces its program category's (which has none).
    expect(rows.find((c) => c.code === 'other')!.keywords).toEqual(expect.arrayContaining(['noise', 'rat']));
    expect(pothole.registrySnapshot).toEqual({ keywords: pothole.keywords });
  });

  it("follows the registry's keywords until a town admin changes them, then keeps the admin's and says so", async () => {
    const town = registry.towns.find((t) => t.slug === 'chelsea')!;
    const townId = town.massgisTownId;
    await withTown(townId, (tx) => tx.update(categories).set({ keywords: ['road crater'] }).where(eq(categories.code, 'pothole')));
    const edited = withTowns((t) =>
      t.slug === town.slug ? { ...t, categories: t.categories.map((c) => (c.code === 'pothole' || c.code === 'graffiti' ? { ...c, keywords: [`${c.code} (registry)`] } : c)) } : t,
    );
    const [change] = (await syncTownRegistry(db(), edited)).towns.filter((c) => c.slug === town.slug);
    expect(change!.categoriesUpdated).toEqual(['graffiti']);
    expect(keptCategoryFields(change!)).toEqual(['categories.pothole.keywords']);
    const keywordsOf = async (code: string) => (await withTown(townId, (tx) => tx.select({ keywords: categories.keywords }).from(categories).where(eq(categories.code, code))))[0]!.keywords;
    expect(await keywordsOf('pothole')).toEqual(['road crater']);
    expect(await keywordsOf('graffiti')).toEqual(['graffiti (registry)']);

    // Back to the registry as it is: graffiti follows again; pothole stays the admin's.
    const [restored] = (await syncTownRegistry(db(), registry)).towns.filter((c) => c.slug === town.slug);
    expect(restored!.categoriesUpdated).toEqual(['graffiti']);
    expect(keptCategoryFields(restored!)).toEqual(['categories.pothole.keywords']);
    expect(await keywordsOf('graffiti')).toEqual(registry.programCategories.find((p) => p.code === 'graffiti')!.defaultKeywords);
    expect(await keywordsOf('pothole')).toEqual(['road crater']);
  });

  it('gives a category from before keywords existed (no snapshot, no keywords) the registry keywords', async () => {
    const town = registry.towns.find((t) => t.slug === 'somerville')!;
    await withTown(town.massgisTownId, (tx) => tx.update(categories).set({ keywords: [], registrySnapshot: null }).where(eq(categories.code, 'tree')));
    const [change] = (await syncTownRegistry(db(), registry)).towns.filter((c) => c.slug === 'somerville');
    expect(change!.categoriesUpdated).toEqual(['tree']);
    expect(keptCategoryFields(change!)).toEqual([]);
    const [tree] = await withTown(town.massgisTownId, (tx) => tx.select().from(categories).where(eq(categories.code, 'tree')));
    expect(tree!.keywords).toContain('fallen tree');
    expect(tree!.registrySnapshot).toEqual({ keywords: tree!.keywords });
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
    const extra = { code: 'bridges', name: 'Bridges', description: 'A damaged bridge.', defaultTargetDays: 10, defaultKeywords: [], defaultQuestions: [] };
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
