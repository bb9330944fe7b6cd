import { and, eq } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { auditLog, categories, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import type { TownAdmin } from '~/utils/capabilities.server';
import { townAdminFor } from '../../../tests/capabilities';
import { createUser, townBySlug } from '../../../tests/factories';
import { fixedT } from '~/i18n/translate';
import {
  CATEGORY_ADMIN_ERROR_CODES,
  addQuestion,
  categoriesForAdmin,
  createCategory,
  deleteCategory,
  deleteQuestion,
  moveCategory,
  moveQuestion,
  setCategoryActive,
  updateCategory,
  updateQuestion,
} from './category-admin.server';
import { createDepartment } from '~/modules/departments/departments.server';

const base = { group: 'Parks', programCategory: 'other', description: '', targetDays: 5, ackTargetDays: 2, departmentId: null };
const listCategoriesForAdmin = async (admin: TownAdmin) => (await categoriesForAdmin(admin)).categories;
const auditActions = async (townId: number) => (await withTown(townId, (tx) => tx.select({ action: auditLog.action }).from(auditLog))).map((a) => a.action);

describe('category administration', () => {
  let townId: number;
  let admin: TownAdmin;
  let maldenAdmin: TownAdmin;

  beforeAll(async () => {
    const somerville = await townBySlug('somerville');
    const malden = await townBySlug('malden');
    townId = somerville.id;
    admin = await townAdminFor(somerville, await createUser({ roles: [[somerville, 'admin']] }));
    maldenAdmin = await townAdminFor(malden, await createUser({ roles: [[malden, 'admin']] }));
  });

  it('makes a unique code from the name, refuses a duplicate name and audits the creation', async () => {
    expect(await createCategory(admin, { ...base, name: 'Fallen tree' })).toEqual({ ok: true, code: 'fallen-tree' });
    expect(await createCategory(admin, { ...base, name: 'FALLEN TREE' })).toEqual({ ok: false, errors: { name: { code: 'category.nameTaken' } } });
    expect(await createCategory(admin, { ...base, name: 'Fallen tree!' })).toEqual({ ok: true, code: 'fallen-tree-2' });
    const list = await listCategoriesForAdmin(admin);
    expect(list.at(-1)).toMatchObject({ code: 'fallen-tree-2', inUse: false, active: true });
    expect(await auditActions(townId)).toContain('category.created');
  });

  it('renames, regroups and routes to a department; an unchanged save writes nothing', async () => {
    await createCategory(admin, { ...base, name: 'Bench broken' });
    const department = await createDepartment(admin, { name: 'Parks crew', email: null });
    if (!department.ok) throw new Error('department not created');
    const edit = { ...base, name: 'Broken bench', group: 'Parks & trees', description: 'A park bench', targetDays: 12, departmentId: department.id };
    expect(await updateCategory(admin, 'bench-broken', edit)).toEqual({ ok: true });
    const before = (await auditActions(townId)).length;
    expect(await updateCategory(admin, 'bench-broken', edit)).toEqual({ ok: true });
    expect((await auditActions(townId)).length).toBe(before);
    const saved = (await listCategoriesForAdmin(admin)).find((c) => c.code === 'bench-broken');
    expect(saved).toMatchObject({ name: 'Broken bench', group: 'Parks & trees', targetDays: 12, departmentName: 'Parks crew' });
    expect(await updateCategory(admin, 'bench-broken', { ...edit, departmentId: uuidv7() })).toEqual({ ok: false, errors: { departmentId: { code: 'category.departmentNotFound' } } });
  });

  it("cannot touch another town's category", async () => {
    expect(await updateCategory(maldenAdmin, 'bench-broken', { ...base, name: 'Hijacked' })).toBeNull();
    expect(await setCategoryActive(maldenAdmin, 'bench-broken', false)).toBe(false);
    expect(await deleteCategory(maldenAdmin, 'bench-broken')).toEqual({ ok: false, reason: 'not_found' });
  });

  it('deletes an unused category but refuses one a request uses', async () => {
    await createCategory(admin, { ...base, name: 'Used kind' });
    await createCategory(admin, { ...base, name: 'Unused kind' });
    const [used] = await withTown(townId, (tx) => tx.select({ id: categories.id }).from(categories).where(eq(categories.code, 'used-kind')));
    await withTown(townId, (tx) =>
      tx.insert(serviceRequests).values({
        townId,
        id: uuidv7(),
        number: 900001,
        trackingNumber: 'SOM-900001',
        categoryId: used!.id,
        description: 'Test',
        lat: 42.39,
        lng: -71.1,
        locationSource: 'map',
        idempotencyKey: uuidv7(),
      }),
    );
    expect(await deleteCategory(admin, 'used-kind')).toEqual({ ok: false, reason: 'in_use', requestCount: 1 });
    expect(await deleteCategory(admin, 'unused-kind')).toEqual({ ok: true, name: 'Unused kind' });
    expect((await listCategoriesForAdmin(admin)).map((c) => c.code)).not.toContain('unused-kind');
    expect((await listCategoriesForAdmin(admin)).find((c) => c.code === 'used-kind')?.inUse).toBe(true);
  });

  it('moves a category one place and renumbers the order', async () => {
    const codes = async () => (await listCategoriesForAdmin(admin)).map((c) => c.code);
    const before = await codes();
    const second = before[1]!;
    expect(await moveCategory(admin, second, 'up')).toBe(true);
    expect((await codes()).slice(0, 2)).toEqual([second, before[0]]);
    expect(await moveCategory(admin, second, 'up')).toBe(true);
    expect((await codes())[0]).toBe(second);
  });

  it('maps every category to a program category: created with one, which brings its default questions, and remapped on edit', async () => {
    const { programCategories } = await categoriesForAdmin(admin);
    const pothole = programCategories.find((p) => p.code === 'pothole')!;
    expect(pothole.defaultQuestions.length).toBeGreaterThan(0);
    expect(await createCategory(admin, { ...base, name: 'Road crater', programCategory: 'pothole' })).toEqual({ ok: true, code: 'road-crater' });
    const created = (await listCategoriesForAdmin(admin)).find((c) => c.code === 'road-crater')!;
    expect(created).toMatchObject({ programCategory: 'pothole', programCategoryName: pothole.name, questions: pothole.defaultQuestions });

    expect(await updateCategory(admin, 'road-crater', { ...base, name: 'Road crater', programCategory: 'sidewalk' })).toEqual({ ok: true });
    expect((await listCategoriesForAdmin(admin)).find((c) => c.code === 'road-crater')).toMatchObject({ programCategory: 'sidewalk', questions: pothole.defaultQuestions });
    const [audit] = await withTown(townId, (tx) => tx.select({ before: auditLog.before, after: auditLog.after }).from(auditLog).where(and(eq(auditLog.action, 'category.updated'), eq(auditLog.entityId, 'road-crater'))));
    expect(audit).toMatchObject({ before: { programCategory: 'pothole' }, after: { programCategory: 'sidewalk' } });
  });

  it('refuses a program category the program does not list, next to the field', async () => {
    expect(await createCategory(admin, { ...base, name: 'Unmapped', programCategory: 'potholes' })).toEqual({ ok: false, errors: { programCategory: { code: 'category.programCategoryNotFound' } } });
    expect((await listCategoriesForAdmin(admin)).map((c) => c.code)).not.toContain('unmapped');
    expect(await updateCategory(admin, 'pothole', { ...base, name: 'Pothole', programCategory: 'nope' })).toEqual({ ok: false, errors: { programCategory: { code: 'category.programCategoryNotFound' } } });
    expect((await listCategoriesForAdmin(admin)).find((c) => c.code === 'pothole')?.programCategory).toBe('pothole');
  });

  it('maps the default categories of a town the registry created to their program categories', async () => {
    const mapped = Object.fromEntries((await listCategoriesForAdmin(maldenAdmin)).map((c) => [c.code, c.programCategory]));
    expect(mapped).toMatchObject({ pothole: 'pothole', 'damaged-sidewalk': 'sidewalk', 'missed-trash-pickup': 'trash-recycling', tree: 'trees', other: 'other' });
  });

  it('adds, edits, reorders and deletes extra questions, keeping their codes', async () => {
    await createCategory(admin, { ...base, name: 'Questions test' });
    const code = 'questions-test';
    expect(await addQuestion(admin, code, { label: 'Pole number', type: 'text', required: false, public: true })).toEqual({ ok: true });
    expect(await addQuestion(admin, code, { label: 'How deep?', type: 'single', required: true, public: false, choices: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] })).toEqual({
      ok: true,
    });
    expect(await addQuestion(admin, code, { label: 'pole NUMBER', type: 'text', required: false, public: false })).toEqual({ ok: false, errors: { label: { code: 'category.questionAsked' } } });
    expect(await updateQuestion(admin, code, 'how-deep', { label: 'How deep is it?', type: 'number', required: false, public: false })).toEqual({ ok: true });
    expect(await moveQuestion(admin, code, 'how-deep', 'up')).toEqual({ ok: true });
    let category = (await listCategoriesForAdmin(admin)).find((c) => c.code === code)!;
    expect(category.questions).toEqual([
      { code: 'how-deep', label: 'How deep is it?', type: 'number', required: false, public: false },
      { code: 'pole-number', label: 'Pole number', type: 'text', required: false, public: true },
    ]);
    expect(await deleteQuestion(admin, code, 'pole-number')).toEqual({ ok: true });
    expect(await deleteQuestion(admin, code, 'pole-number')).toBeNull();
    category = (await listCategoriesForAdmin(admin)).find((c) => c.code === code)!;
    expect(category.questions.map((q) => q.code)).toEqual(['how-deep']);
    expect(await auditActions(townId)).toEqual(expect.arrayContaining(['category.question_added', 'category.question_updated', 'category.question_moved', 'category.question_deleted']));
  });
});

describe('category admin error wording', () => {
  it('the English catalogue words every code a category change can return', () => {
    const t = fixedT('en', 'errors');
    expect(CATEGORY_ADMIN_ERROR_CODES.filter((code) => t(code) === code)).toEqual([]);
  });
});
