import { asc, eq } from 'drizzle-orm';
import { programCategories } from '#db/schema';
import type { Tx } from '#db/scope';
import type { CategoryQuestion } from '#db/vocabulary';

/** One of the state program's categories, which every town category maps to (docs/decisions/0016). */
export type ProgramCategory = {
  code: string;
  name: string;
  description: string;
  defaultTargetDays: number;
  defaultQuestions: CategoryQuestion[];
  defaultKeywords: string[];
};

const columns = {
  code: programCategories.code,
  name: programCategories.name,
  description: programCategories.description,
  defaultTargetDays: programCategories.defaultTargetDays,
  defaultQuestions: programCategories.defaultQuestions,
  defaultKeywords: programCategories.defaultKeywords,
};

/**
 * The program's categories in the program's order. Reference data every town shares, so any scope
 * that may read it will do: a town's (`withTown`) or state oversight's (`withStateOversight`).
 */
export function listProgramCategories(tx: Tx): Promise<ProgramCategory[]> {
  return tx.select(columns).from(programCategories).orderBy(asc(programCategories.sortOrder), asc(programCategories.code));
}

/** null: the program has no category with that code. */
export async function findProgramCategory(tx: Tx, code: string): Promise<ProgramCategory | null> {
  const [row] = await tx.select(columns).from(programCategories).where(eq(programCategories.code, code));
  return row ?? null;
}

/** A program category as figures and reports name it. */
export type ProgramCategoryName = Pick<ProgramCategory, 'code' | 'name'>;

/** The program's categories by name only, in the program's order: what the state console groups by. */
export function listProgramCategoryNames(tx: Tx): Promise<ProgramCategoryName[]> {
  return tx
    .select({ code: programCategories.code, name: programCategories.name })
    .from(programCategories)
    .orderBy(asc(programCategories.sortOrder), asc(programCategories.code));
}
