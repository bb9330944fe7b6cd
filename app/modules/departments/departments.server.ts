import { asc, count, eq, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { categories, departments, serviceRequests } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { FieldErrorCodes } from '~/utils/field-errors';
import type { DepartmentInput } from '~/modules/admin/admin-forms';
import { recordAuditBy } from '~/modules/audit/audit.server';
import type { TownAdmin, TownStaff } from '~/utils/capabilities.server';

/** The town's departments, for staff routing requests to one. */
export type Department = { id: string; name: string; email: string | null };

export async function listDepartments(staff: TownStaff): Promise<Department[]> {
  return withTown(staff.town.id, selectDepartments);
}

/** listDepartments inside a transaction the caller already holds for the town. */
export function selectDepartments(tx: Tx): Promise<Department[]> {
  return tx.select({ id: departments.id, name: departments.name, email: departments.email }).from(departments).orderBy(asc(departments.name));
}

export type AdminDepartment = { id: string; name: string; email: string | null; categoryNames: string[] };

export async function listDepartmentsForAdmin(admin: TownAdmin): Promise<AdminDepartment[]> {
  return withTown(admin.town.id, async (tx) => {
    const rows = await tx.select({ id: departments.id, name: departments.name, email: departments.email }).from(departments).orderBy(asc(departments.name));
    const used = await tx
      .select({ departmentId: categories.departmentId, name: categories.name })
      .from(categories)
      .orderBy(asc(categories.sortOrder), asc(categories.name));
    return rows.map((d) => ({ ...d, categoryNames: used.filter((c) => c.departmentId === d.id).map((c) => c.name) }));
  });
}

async function nameTaken(tx: Tx, name: string, exceptId: string | null): Promise<boolean> {
  const rows = await tx.select({ id: departments.id }).from(departments).where(sql`lower(${departments.name}) = ${name.toLowerCase()}`);
  return rows.some((d) => d.id !== exceptId);
}

/** Every field error a department change can return, as a path in the errors catalogue (`errors:department.…`). */
export const DEPARTMENT_ERROR_CODES = ['department.nameTaken'] as const;

const NAME_TAKEN: FieldErrorCodes = { name: { code: 'department.nameTaken' } };

export async function createDepartment(admin: TownAdmin, input: DepartmentInput): Promise<{ ok: true; id: string } | { ok: false; errors: FieldErrorCodes }> {
  return withTown(admin.town.id, async (tx) => {
    if (await nameTaken(tx, input.name, null)) return { ok: false, errors: NAME_TAKEN };
    const id = uuidv7();
    await tx.insert(departments).values({ townId: admin.town.id, id, ...input });
    await recordAuditBy(tx, admin, { action: 'department.created', entityType: 'department', entityId: id, after: input });
    return { ok: true, id };
  });
}

/** null: no such department. */
export async function updateDepartment(admin: TownAdmin, id: string, input: DepartmentInput): Promise<{ ok: true } | { ok: false; errors: FieldErrorCodes } | null> {
  return withTown(admin.town.id, async (tx) => {
    const [current] = await tx.select({ name: departments.name, email: departments.email }).from(departments).where(eq(departments.id, id)).for('update');
    if (!current) return null;
    if (await nameTaken(tx, input.name, id)) return { ok: false, errors: NAME_TAKEN };
    if (current.name === input.name && current.email === input.email) return { ok: true };
    await tx.update(departments).set(input).where(eq(departments.id, id));
    await recordAuditBy(tx, admin, { action: 'department.updated', entityType: 'department', entityId: id, before: current, after: input });
    return { ok: true };
  });
}

export type DeleteDepartmentResult =
  | { ok: true; name: string }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'in_use'; name: string; categoryNames: string[]; requestCount: number };

/** Refused while categories route new requests to it or requests are filed under it: move those first. */
export async function deleteDepartment(admin: TownAdmin, id: string): Promise<DeleteDepartmentResult> {
  return withTown(admin.town.id, async (tx) => {
    // Locked, so a category or request cannot be pointed at it between the check and the delete.
    const [current] = await tx.select({ name: departments.name, email: departments.email }).from(departments).where(eq(departments.id, id)).for('update');
    if (!current) return { ok: false, reason: 'not_found' };
    const usedBy = await tx.select({ name: categories.name }).from(categories).where(eq(categories.departmentId, id)).orderBy(asc(categories.name));
    const [requests] = await tx.select({ n: count() }).from(serviceRequests).where(eq(serviceRequests.departmentId, id));
    const requestCount = requests?.n ?? 0;
    if (usedBy.length > 0 || requestCount > 0) return { ok: false, reason: 'in_use', name: current.name, categoryNames: usedBy.map((c) => c.name), requestCount };
    await tx.delete(departments).where(eq(departments.id, id));
    await recordAuditBy(tx, admin, { action: 'department.deleted', entityType: 'department', entityId: id, before: current });
    return { ok: true, name: current.name };
  });
}
