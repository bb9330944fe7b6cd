import { sql } from 'drizzle-orm';
import { categories } from '#db/schema';

/**
 * The one place that says which program category a town's category reports under (a `categories`
 * row in the query): what the figures are grouped and filtered by. Grouping at read time means a
 * category an admin remaps regroups its history too (docs/decisions/0016, 0017).
 */
export const programCategoryOf = sql<string>`${categories.programCategory}`;
