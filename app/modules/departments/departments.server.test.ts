import type { TownAdmin } from '~/utils/capabilities.server';
import { townAdminFor } from '../../../tests/capabilities';
import { createUser, townBySlug } from '../../../tests/factories';
import { createCategory, updateCategory } from '~/modules/categories/category-admin.server';
import { fixedT } from '~/i18n/translate';
import { createDepartment, DEPARTMENT_ERROR_CODES, deleteDepartment, listDepartmentsForAdmin, updateDepartment } from './departments.server';

describe('department administration', () => {
  let admin: TownAdmin;

  beforeAll(async () => {
    const somerville = await townBySlug('somerville');
    admin = await townAdminFor(somerville, await createUser({ roles: [[somerville, 'admin']] }));
  });

  it('creates, renames and deletes a department; names are unique in any case', async () => {
    const created = await createDepartment(admin, { name: 'Public Works', email: 'dpw@example.gov' });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(await createDepartment(admin, { name: 'public works', email: null })).toEqual({ ok: false, errors: { name: { code: 'department.nameTaken' } } });
    expect(await updateDepartment(admin, created.id, { name: 'DPW', email: null })).toEqual({ ok: true });
    expect((await listDepartmentsForAdmin(admin)).find((d) => d.id === created.id)).toMatchObject({ name: 'DPW', email: null, categoryNames: [] });
    expect(await deleteDepartment(admin, created.id)).toEqual({ ok: true, name: 'DPW' });
    expect(await deleteDepartment(admin, created.id)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('refuses to delete a department that categories use, naming them', async () => {
    const created = await createDepartment(admin, { name: 'Parks', email: null });
    if (!created.ok) throw new Error('not created');
    await createCategory(admin, { name: 'Overgrown park', group: 'Parks', programCategory: 'parks', description: '', targetDays: 5, ackTargetDays: 2, departmentId: created.id });
    expect(await deleteDepartment(admin, created.id)).toEqual({ ok: false, reason: 'in_use', name: 'Parks', categoryNames: ['Overgrown park'], requestCount: 0 });
    await updateCategory(admin, 'overgrown-park', { name: 'Overgrown park', group: 'Parks', programCategory: 'parks', description: '', targetDays: 5, ackTargetDays: 2, departmentId: null });
    expect(await deleteDepartment(admin, created.id)).toMatchObject({ ok: true });
  });
});

describe('department error wording', () => {
  it('the English catalogue words every code a department change can return', () => {
    const t = fixedT('en', 'errors');
    expect(DEPARTMENT_ERROR_CODES.filter((code) => t(code) === code)).toEqual([]);
  });
});
