import { eq, sql } from 'drizzle-orm';
import type { Database } from '#db/client';
import { isForeignKeyViolation } from '#db/errors';
import { uuidv7 } from '#db/ids';
import { categories, programCategories, towns } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { CategoryRegistrySnapshot } from '#db/vocabulary';
import { listProgramCategories, type ProgramCategory } from '~/modules/categories/program-categories.server';
import { RegistryError, type ProgramCategoryEntry, type RegistryCategory, type TownRegistry, type TownRegistryEntry } from './registry.server';
import { invalidateTownCaches } from '~/utils/town-cache.server';

/** JSON with sorted keys: jsonb does not keep key order, and equality must not depend on it. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function registryValues(entry: TownRegistryEntry) {
  return {
    slug: entry.slug,
    name: entry.name,
    type: entry.type,
    county: entry.county,
    geoid: entry.geoid,
    trackingCode: entry.trackingCode,
    timezone: entry.timezone,
    contact: entry.contact,
    accentColor: entry.accentColor,
    cohort: entry.cohort,
    source: entry.source,
    grantStart: entry.grant.start,
    grantEnd: entry.grant.end,
    boundary: entry.boundary,
  };
}
/**
 * Which fields follow the registry: those whose database value is still the one the previous sync
 * wrote (`snapshot`); the others were changed in the app, and keep the app's value.
 */
function followRegistry<Wanted extends Record<string, unknown>>(current: Record<keyof Wanted, unknown>, wanted: Wanted, snapshot: Partial<Record<keyof Wanted, unknown>>) {
  const update: Partial<Wanted> = {};
  const keptInApp: (keyof Wanted & string)[] = [];
  for (const field of Object.keys(wanted) as (keyof Wanted & string)[]) {
    const value = canonicalJson(current[field]);
    if (value === canonicalJson(wanted[field])) continue;
    if (value === canonicalJson(snapshot[field])) update[field] = wanted[field];
    else keptInApp.push(field);
  }
  return { update, keptInApp };
}

export type TownSyncChange = {
  slug: string;
  action: 'created' | 'updated' | 'unchanged';
  fields: string[];
  /** Town fields, and category fields as `categories.<code>.<field>`, whose value a town admin changed in the app. */
  keptInApp: string[];
  categoriesAdded: number;
  /** Codes of categories with a field that followed the registry (their keywords). */
  categoriesUpdated: string[];
};
/** Program category codes by what the sync did to them. */
export type ProgramCategorySync = { added: string[]; updated: string[]; removed: string[] };
export type RegistrySync = { programCategories: ProgramCategorySync; towns: TownSyncChange[] };

const PROGRAM_FILE = 'tenants/_program/categories.json';

/**
 * Loads the registry into the database. The program's categories follow the registry exactly: the
 * state owns them and no town edits them. A town field follows the registry only while the
 * database still holds the value the previous sync wrote; once a town admin changes it in the app,
 * the admin's value stays. A town's missing registry categories are added; of those it has, only
 * the keywords follow the registry, by the same rule; none is removed.
 * Runs with the owner connection for the town list and the program's categories (no runtime role
 * may write them) and through `withTown` for town-scoped rows, which RLS guards even for the owner.
 */
export async function syncTownRegistry(db: Database, registry: TownRegistry): Promise<RegistrySync> {
  // Checked before anything is written, for registries not read by loadTownRegistry (which checks too).
  const programCodes = new Set(registry.programCategories.map((c) => c.code));
  for (const town of registry.towns) {
    const unmapped = town.categories.find((c) => !programCodes.has(c.programCategory));
    if (unmapped) {
      throw new RegistryError(`tenants/${town.slug}/town.json`, `category "${unmapped.code}" of ${town.name} maps to "${unmapped.programCategory}", which ${PROGRAM_FILE} does not list`);
    }
  }
  const program = await syncProgramCategories(db, registry.programCategories);
  const changes: TownSyncChange[] = [];
  for (const entry of registry.towns) {
    const wanted = registryValues(entry);
    const [existing] = await db.select().from(towns).where(eq(towns.id, entry.massgisTownId));
    let change: Omit<TownSyncChange, 'categoriesAdded' | 'categoriesUpdated'>;
    if (!existing) {
      // A town in the registry is a participant already, live from its grant's first day, unless it
      // was exported from the app while still onboarding.
      const liveSince = entry.onboarding ? null : sql`${entry.grant.start}::timestamp at time zone ${entry.timezone}`;
      await db.insert(towns).values({ id: entry.massgisTownId, ...wanted, liveSince, registrySnapshot: wanted });
      change = { slug: entry.slug, action: 'created', fields: Object.keys(wanted), keptInApp: [] };
    } else {
      const snapshot = existing.registrySnapshot;
      const { update, keptInApp } = followRegistry(existing, wanted, snapshot);
      const snapshotChanged = canonicalJson(snapshot) !== canonicalJson(wanted);
      if (Object.keys(update).length > 0 || snapshotChanged) {
        await db
          .update(towns)
          .set({ ...(update as Partial<typeof towns.$inferInsert>), registrySnapshot: wanted, updatedAt: new Date() })
          .where(eq(towns.id, entry.massgisTownId));
      }
      change = { slug: entry.slug, action: Object.keys(update).length > 0 ? 'updated' : 'unchanged', fields: Object.keys(update), keptInApp };
    }
    const categoryChanges = await syncRegistryCategories(entry);
    changes.push({ ...change, ...categoryChanges, keptInApp: [...change.keptInApp, ...categoryChanges.keptInApp] });
  }
  invalidateTownCaches();
  return { programCategories: program, towns: changes };
}

/** Inserts, updates and removes program categories to match the list, in one transaction. */
async function syncProgramCategories(db: Database, entries: ProgramCategoryEntry[]): Promise<ProgramCategorySync> {
  return db.transaction(async (tx) => {
    const result: ProgramCategorySync = { added: [], updated: [], removed: [] };
    const existing = new Map((await tx.select().from(programCategories)).map((row) => [row.code, row]));
    for (const [sortOrder, { code, ...entry }] of entries.entries()) {
      const wanted = { ...entry, sortOrder };
      const row = existing.get(code);
      const current = row && {
        name: row.name,
        description: row.description,
        defaultTargetDays: row.defaultTargetDays,
        defaultKeywords: row.defaultKeywords,
        defaultQuestions: row.defaultQuestions,
        sortOrder: row.sortOrder,
      };
      if (!current) {
        await tx.insert(programCategories).values({ code, ...wanted });
        result.added.push(code);
      } else if (canonicalJson(current) !== canonicalJson(wanted)) {
        await tx.update(programCategories).set(wanted).where(eq(programCategories.code, code));
        result.updated.push(code);
      }
      existing.delete(code);
    }
    for (const code of existing.keys()) {
      try {
        await tx.delete(programCategories).where(eq(programCategories.code, code));
      } catch (error) {
        // Town categories (whose rows the owner cannot see under forced RLS) still map to it.
        if (!isForeignKeyViolation(error)) throw error;
        throw new RegistryError(PROGRAM_FILE, `the program category "${code}" is no longer listed, but town categories still map to it; map them to another program category first`);
      }
      result.removed.push(code);
    }
    return result;
  });
}

/**
 * Towns the database has and the registry does not: added by state staff in the app. Sync leaves
 * them alone (docs/decisions/0018); `npm run tenants:export` writes them into the registry.
 */
export async function listDatabaseOnlyTowns(db: Database, entries: TownRegistryEntry[]): Promise<string[]> {
  const inRegistry = new Set(entries.map((e) => e.massgisTownId));
  return (await db.select({ id: towns.id, slug: towns.slug }).from(towns).orderBy(towns.slug)).filter((t) => !inRegistry.has(t.id)).map((t) => t.slug);
}

/**
 * A town's registry categories: the missing ones are added; of the ones it has, only the keywords
 * follow the registry, and only while a town admin has not changed them. Names, questions and the
 * rest belong to the town once the category exists.
 */
async function syncRegistryCategories(entry: TownRegistryEntry): Promise<Pick<TownSyncChange, 'categoriesAdded' | 'categoriesUpdated' | 'keptInApp'>> {
  return withTown(entry.massgisTownId, async (tx) => {
    const programs = await programCategoriesByCode(tx);
    const present = new Map((await tx.select({ id: categories.id, code: categories.code, keywords: categories.keywords, registrySnapshot: categories.registrySnapshot }).from(categories)).map((c) => [c.code, c]));
    const categoriesUpdated: string[] = [];
    const keptInApp: string[] = [];
    for (const category of entry.categories) {
      const row = present.get(category.code);
      if (!row) continue;
      const wanted = registryFieldsOf(category, programs);
      // A category from before the registry had keywords held none.
      const snapshot = row.registrySnapshot ?? { keywords: [] };
      const followed = followRegistry(row, wanted, snapshot);
      keptInApp.push(...followed.keptInApp.map((field) => `categories.${category.code}.${field}`));
      if (Object.keys(followed.update).length > 0) categoriesUpdated.push(category.code);
      if (Object.keys(followed.update).length > 0 || canonicalJson(snapshot) !== canonicalJson(wanted) || !row.registrySnapshot) {
        await tx.update(categories).set({ ...followed.update, registrySnapshot: wanted }).where(eq(categories.id, row.id));
      }
    }
    const categoriesAdded = await insertRegistryCategories(tx, entry.massgisTownId, entry.categories, (category) => !present.has(category.code), programs);
    return { categoriesAdded, categoriesUpdated, keptInApp };
  });
}

async function programCategoriesByCode(tx: Tx): Promise<Map<string, ProgramCategory>> {
  return new Map((await listProgramCategories(tx)).map((p) => [p.code, p]));
}

/** The values of the category's fields that keep following the registry (the category's own keywords, else its program category's). */
function registryFieldsOf(category: RegistryCategory, programs: Map<string, ProgramCategory>): CategoryRegistrySnapshot {
  return { keywords: category.keywords ?? programs.get(category.programCategory)?.defaultKeywords ?? [] };
}

/**
 * The registry's categories (those `include` keeps) as rows of `townId`, in registry order; inside
 * that town's scope. Each starts with its program category's default questions, like a category an
 * admin creates, so a new town's report form asks what crews need.
 */
export async function insertRegistryCategories(
  tx: Tx,
  townId: number,
  list: RegistryCategory[],
  include: (category: RegistryCategory) => boolean = () => true,
  programs?: Map<string, ProgramCategory>,
): Promise<number> {
  const missing = list.map((category, index) => ({ category, index })).filter(({ category }) => include(category));
  if (missing.length === 0) return 0;
  const byCode = programs ?? (await programCategoriesByCode(tx));
  await tx.insert(categories).values(
    missing.map(({ category, index }) => {
      const fields = registryFieldsOf(category, byCode);
      return {
        townId,
        id: uuidv7(),
        code: category.code,
        name: category.name,
        group: category.group,
        programCategory: category.programCategory,
        description: category.description,
        targetDays: category.targetDays,
        questions: byCode.get(category.programCategory)?.defaultQuestions ?? [],
        ...fields,
        registrySnapshot: fields,
        sortOrder: index,
      };
    }),
  );
  return missing.length;
}
