import { asc, sql } from 'drizzle-orm';
import { categories } from '#db/schema';
import type { Tx } from '#db/scope';

// The one place that says which program category a town's category reports under.
// program category: switch to categories.program_category when it lands
/** The statewide program category of a town's category (a `categories` row in the query): what figures are grouped and filtered by. */
export const programCategoryOf = sql<string>`${categories.code}`;

export type ProgramCategory = { code: string; name: string };

/**
 * Every program category some town uses, with its name. Today that is the category code, named
 * by the first of the names towns give it (a town may rename its categories).
 */
// program category: switch to categories.program_category when it lands (names from program_categories)
export async function listProgramCategories(tx: Tx): Promise<ProgramCategory[]> {
  return tx
    .select({ code: programCategoryOf, name: sql<string>`min(${categories.name})` })
    .from(categories)
    .groupBy(programCategoryOf)
    .orderBy(asc(sql`min(${categories.name})`));
}
