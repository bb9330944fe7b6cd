import { asc, eq } from 'drizzle-orm';
import { categories } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { CategoryQuestion } from '#db/vocabulary';
import { matchCategories } from './category-match';

export type CategorySummary = {
  code: string;
  name: string;
  group: string;
  description: string;
  targetDays: number;
  ackTargetDays: number;
  active: boolean;
  questions: CategoryQuestion[];
  /** Other words residents use for it, for the category search (category-match.ts). */
  keywords: string[];
};

export async function listCategories(townId: number, options: { activeOnly?: boolean } = {}): Promise<CategorySummary[]> {
  return withTown(townId, (tx) => selectCategories(tx, options));
}

/** What every reader of a category sees; the admin side selects these and more. */
export const summaryColumns = {
  code: categories.code,
  name: categories.name,
  group: categories.group,
  description: categories.description,
  targetDays: categories.targetDays,
  ackTargetDays: categories.ackTargetDays,
  active: categories.active,
  questions: categories.questions,
  keywords: categories.keywords,
};

/** listCategories inside a transaction the caller already holds for the town. */
export function selectCategories(tx: Tx, { activeOnly = true } = {}): Promise<CategorySummary[]> {
  return (
    tx
      .select(summaryColumns)
      .from(categories)
      .where(activeOnly ? eq(categories.active, true) : undefined)
      .orderBy(asc(categories.sortOrder), asc(categories.name))
  );
}

/** Groups in first-seen order, so the town's own ordering of categories is kept. */
export function groupCategories<T extends { group: string }>(list: T[]): { group: string; categories: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const category of list) groups.set(category.group, [...(groups.get(category.group) ?? []), category]);
  return [...groups].map(([group, items]) => ({ group, categories: items }));
}

/** The town's active categories that match what a resident typed, best first (category-match.ts), and all of them. */
export async function searchCategories(townId: number, query: string): Promise<{ matches: CategorySummary[]; all: CategorySummary[] }> {
  const all = await listCategories(townId);
  return { matches: matchCategories(query, all), all };
}
