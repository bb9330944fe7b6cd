import { and, asc, count, eq, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { categories, departments, programCategories, serviceRequests } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { CategoryQuestion } from '#db/vocabulary';
import type { FieldErrorCodes } from '~/utils/field-errors';
import { recordAuditBy } from '~/modules/audit/audit.server';
import type { TownAdmin } from '~/utils/capabilities.server';
import { codeFrom, type CategoryInput, type QuestionInput } from '~/modules/admin/admin-forms';
import { summaryColumns, type CategorySummary } from './categories.server';
import { findProgramCategory, listProgramCategories, type ProgramCategory } from './program-categories.server';

export type AdminCategory = CategorySummary & {
  id: string;
  departmentId: string | null;
  departmentName: string | null;
  /** The program category it counts as, and that category's name. */
  programCategory: string;
  programCategoryName: string;
  sortOrder: number;
  /** A request refers to it, so it can be deactivated but never deleted. */
  inUse: boolean;
};

/** Every field error a category change can return, as a path in the errors catalogue (`errors:category.…`). */
export const CATEGORY_ADMIN_ERROR_CODES = ['category.nameTaken', 'category.departmentNotFound', 'category.programCategoryNotFound', 'category.tooManyQuestions', 'category.questionAsked'] as const;

export type Outcome = { ok: true } | { ok: false; errors: FieldErrorCodes };

export const QUESTIONS_PER_CATEGORY_MAX = 20;

const adminColumns = {
  id: categories.id,
  ...summaryColumns,
  departmentId: categories.departmentId,
  departmentName: departments.name,
  programCategory: categories.programCategory,
  programCategoryName: programCategories.name,
  sortOrder: categories.sortOrder,
  inUse: sql<boolean>`exists (select 1 from ${serviceRequests} r where r.town_id = ${categories.townId} and r.category_id = ${categories.id})`,
};

/** The town's categories, and the program's categories they may map to, in one transaction. */
export async function categoriesForAdmin(admin: TownAdmin): Promise<{ categories: AdminCategory[]; programCategories: ProgramCategory[] }> {
  return withTown(admin.town.id, async (tx) => ({
    categories: await tx
      .select(adminColumns)
      .from(categories)
      .leftJoin(departments, and(eq(departments.townId, categories.townId), eq(departments.id, categories.departmentId)))
      .innerJoin(programCategories, eq(programCategories.code, categories.programCategory))
      .orderBy(asc(categories.sortOrder), asc(categories.name)),
    programCategories: await listProgramCategories(tx),
  }));
}

/** The category row, locked until the transaction ends so concurrent edits apply one after the other. */
async function lockCategory(tx: Tx, code: string) {
  const [row] = await tx.select().from(categories).where(eq(categories.code, code)).for('update');
  return row ?? null;
}

/** The field errors of `input` against the town's other categories, its departments and the program; and the program category it names. */
async function checkInput(tx: Tx, input: CategoryInput, exceptId: string | null): Promise<{ errors: FieldErrorCodes; program: ProgramCategory | null }> {
  const errors: FieldErrorCodes = {};
  const sameName = await tx
    .select({ id: categories.id })
    .from(categories)
    .where(sql`lower(${categories.name}) = ${input.name.toLowerCase()}`);
  if (sameName.some((c) => c.id !== exceptId)) errors.name = { code: 'category.nameTaken' };
  if (input.departmentId) {
    const [department] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, input.departmentId));
    if (!department) errors.departmentId = { code: 'category.departmentNotFound' };
  }
  const program = await findProgramCategory(tx, input.programCategory);
  if (!program) errors.programCategory = { code: 'category.programCategoryNotFound' };
  return { errors, program };
}

function settingsOf(c: { name: string; group: string; description: string; targetDays: number; ackTargetDays: number; departmentId: string | null; programCategory: string }) {
  return { name: c.name, group: c.group, description: c.description, targetDays: c.targetDays, ackTargetDays: c.ackTargetDays, departmentId: c.departmentId, programCategory: c.programCategory };
}

/**
 * The code (Open311 service_code) is made from the name once and never changes: clients and old
 * requests refer to it. The category starts with its program category's default questions and
 * keywords, which the town then edits as its own.
 */
export async function createCategory(admin: TownAdmin, input: CategoryInput): Promise<{ ok: true; code: string } | { ok: false; errors: FieldErrorCodes }> {
  return withTown(admin.town.id, async (tx) => {
    const { errors, program } = await checkInput(tx, input, null);
    if (!program || Object.keys(errors).length > 0) return { ok: false, errors };
    // Serialises concurrent creates in this town, so two cannot pick the same code or position.
    const existing = await tx.select({ code: categories.code, sortOrder: categories.sortOrder }).from(categories).for('update');
    const taken = new Set(existing.map((c) => c.code));
    const base = codeFrom(input.name) || 'category';
    let code = base;
    for (let n = 2; taken.has(code); n++) code = `${base.slice(0, 36)}-${n}`;
    const id = uuidv7();
    const sortOrder = Math.max(-1, ...existing.map((c) => c.sortOrder)) + 1;
    const { defaultQuestions: questions, defaultKeywords: keywords } = program;
    await tx.insert(categories).values({ townId: admin.town.id, id, code, ...input, questions, keywords, sortOrder });
    await recordAuditBy(tx, admin, { action: 'category.created', entityType: 'category', entityId: code, after: { code, ...settingsOf(input), questions, keywords } });
    return { ok: true, code };
  });
}

/** null: no such category. */
export async function updateCategory(admin: TownAdmin, code: string, input: CategoryInput): Promise<Outcome | null> {
  return withTown(admin.town.id, async (tx) => {
    const current = await lockCategory(tx, code);
    if (!current) return null;
    const { errors } = await checkInput(tx, input, current.id);
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    if (JSON.stringify(settingsOf(current)) === JSON.stringify(settingsOf(input))) return { ok: true };
    await tx.update(categories).set(input).where(eq(categories.id, current.id));
    await recordAuditBy(tx, admin, { action: 'category.updated', entityType: 'category', entityId: code, before: settingsOf(current), after: settingsOf(input) });
    return { ok: true };
  });
}

/**
 * The other words residents use for the category, as `checkKeywords` (category-match.ts) leaves
 * them. A registry category's keywords stop following the registry once changed here.
 */
export async function updateCategoryKeywords(admin: TownAdmin, code: string, keywords: string[]): Promise<Outcome | null> {
  return withTown(admin.town.id, async (tx) => {
    const current = await lockCategory(tx, code);
    if (!current) return null;
    if (JSON.stringify(current.keywords) === JSON.stringify(keywords)) return { ok: true };
    await tx.update(categories).set({ keywords }).where(eq(categories.id, current.id));
    await recordAuditBy(tx, admin, { action: 'category.keywords_updated', entityType: 'category', entityId: code, before: { keywords: current.keywords }, after: { keywords } });
    return { ok: true };
  });
}

/** An inactive category disappears from the report form at once (it reads the database); its requests stay. */
export async function setCategoryActive(admin: TownAdmin, code: string, active: boolean): Promise<boolean> {
  return withTown(admin.town.id, async (tx) => {
    const current = await lockCategory(tx, code);
    if (!current) return false;
    if (current.active === active) return true;
    await tx.update(categories).set({ active }).where(eq(categories.id, current.id));
    await recordAuditBy(tx, admin, {
      action: active ? 'category.activated' : 'category.deactivated',
      entityType: 'category',
      entityId: code,
      before: { active: current.active },
      after: { active },
    });
    return true;
  });
}

export type DeleteCategoryResult = { ok: true; name: string } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'in_use'; requestCount: number };

/** Only a category no request has used; a used one keeps its history and can be deactivated instead. */
export async function deleteCategory(admin: TownAdmin, code: string): Promise<DeleteCategoryResult> {
  return withTown(admin.town.id, async (tx) => {
    // The lock also makes a concurrent report that picks this category wait, then fail its foreign key.
    const current = await lockCategory(tx, code);
    if (!current) return { ok: false, reason: 'not_found' };
    const [used] = await tx.select({ n: count() }).from(serviceRequests).where(eq(serviceRequests.categoryId, current.id));
    if (used && used.n > 0) return { ok: false, reason: 'in_use', requestCount: used.n };
    await tx.delete(categories).where(eq(categories.id, current.id));
    await recordAuditBy(tx, admin, {
      action: 'category.deleted',
      entityType: 'category',
      entityId: code,
      before: { code, ...settingsOf(current), active: current.active, questions: current.questions, keywords: current.keywords },
    });
    return { ok: true, name: current.name };
  });
}

/** Swaps the category with its neighbour in the town's order (the report form lists categories in it). */
export async function moveCategory(admin: TownAdmin, code: string, direction: 'up' | 'down'): Promise<boolean> {
  return withTown(admin.town.id, async (tx) => {
    const ordered = await tx
      .select({ id: categories.id, code: categories.code, sortOrder: categories.sortOrder })
      .from(categories)
      .orderBy(asc(categories.sortOrder), asc(categories.name))
      .for('update');
    const from = ordered.findIndex((c) => c.code === code);
    if (from === -1) return false;
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to < 0 || to >= ordered.length) return true;
    [ordered[from], ordered[to]] = [ordered[to]!, ordered[from]!];
    // Renumbering 0..n-1 also repairs ties left by the registry or older edits.
    for (const [position, category] of ordered.entries()) {
      if (category.sortOrder !== position) await tx.update(categories).set({ sortOrder: position }).where(eq(categories.id, category.id));
    }
    await recordAuditBy(tx, admin, { action: 'category.moved', entityType: 'category', entityId: code, before: { position: from + 1 }, after: { position: to + 1 } });
    return true;
  });
}

// --- Extra questions (Open311 attributes) -------------------------------------------------------

type QuestionEdit = (
  questions: CategoryQuestion[],
) => { questions: CategoryQuestion[]; audit: { action: string; before?: unknown; after?: unknown } } | { errors: FieldErrorCodes } | 'unchanged' | null;

/** Read-modify-write of the questions list under the category's row lock. null: no such category or question. */
async function editQuestions(admin: TownAdmin, code: string, edit: QuestionEdit): Promise<Outcome | null> {
  return withTown(admin.town.id, async (tx) => {
    const current = await lockCategory(tx, code);
    if (!current) return null;
    const result = edit(current.questions);
    if (!result) return null;
    if (result === 'unchanged') return { ok: true };
    if ('errors' in result) return { ok: false, errors: result.errors };
    await tx.update(categories).set({ questions: result.questions }).where(eq(categories.id, current.id));
    await recordAuditBy(tx, admin, { entityType: 'category', entityId: code, ...result.audit });
    return { ok: true };
  });
}

/** The question's code (its answer key in stored requests) comes from the label once and then stays. */
export async function addQuestion(admin: TownAdmin, code: string, input: QuestionInput): Promise<Outcome | null> {
  return editQuestions(admin, code, (questions) => {
    if (questions.length >= QUESTIONS_PER_CATEGORY_MAX) return { errors: { label: { code: 'category.tooManyQuestions', values: { max: QUESTIONS_PER_CATEGORY_MAX } } } };
    if (questions.some((q) => q.label.toLowerCase() === input.label.toLowerCase())) return { errors: { label: { code: 'category.questionAsked' } } };
    const taken = new Set(questions.map((q) => q.code));
    const base = codeFrom(input.label, 32) || 'question';
    let questionCode = base;
    for (let n = 2; taken.has(questionCode); n++) questionCode = `${base}-${n}`;
    const question: CategoryQuestion = { code: questionCode, ...input };
    return { questions: [...questions, question], audit: { action: 'category.question_added', after: question } };
  });
}

export async function updateQuestion(admin: TownAdmin, code: string, questionCode: string, input: QuestionInput): Promise<Outcome | null> {
  return editQuestions(admin, code, (questions) => {
    const before = questions.find((q) => q.code === questionCode);
    if (!before) return null;
    if (questions.some((q) => q.code !== questionCode && q.label.toLowerCase() === input.label.toLowerCase())) {
      return { errors: { label: { code: 'category.questionAsked' } } };
    }
    const after: CategoryQuestion = { code: questionCode, ...input };
    return { questions: questions.map((q) => (q.code === questionCode ? after : q)), audit: { action: 'category.question_updated', before, after } };
  });
}

/** Answers already given stay on their requests; the question just stops being asked. */
export async function deleteQuestion(admin: TownAdmin, code: string, questionCode: string): Promise<Outcome | null> {
  return editQuestions(admin, code, (questions) => {
    const before = questions.find((q) => q.code === questionCode);
    if (!before) return null;
    return { questions: questions.filter((q) => q.code !== questionCode), audit: { action: 'category.question_deleted', before } };
  });
}

export async function moveQuestion(admin: TownAdmin, code: string, questionCode: string, direction: 'up' | 'down'): Promise<Outcome | null> {
  return editQuestions(admin, code, (questions) => {
    const from = questions.findIndex((q) => q.code === questionCode);
    if (from === -1) return null;
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to < 0 || to >= questions.length) return 'unchanged';
    const reordered = [...questions];
    [reordered[from], reordered[to]] = [reordered[to]!, reordered[from]!];
    return { questions: reordered, audit: { action: 'category.question_moved', before: { question: questionCode, position: from + 1 }, after: { question: questionCode, position: to + 1 } } };
  });
}
