import { eq, sql } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { oversightReads } from '#db/schema';
import { withStateOversight } from '#db/scope';
import { createDepartment } from '~/modules/departments/departments.server';
import { listStatewideAuditLog } from '~/modules/audit/audit.server';
import { NO_AUDIT_FILTERS } from '~/modules/audit/audit-filters';
import { stateStaffFor, townAdminFor } from '../../../tests/capabilities';
import { createUser, townBySlug } from '../../../tests/factories';

const refusalCode = (attempt: Promise<unknown>) =>
  attempt.then(
    () => null,
    (e: { code?: string; cause?: { code?: string } }) => e.code ?? e.cause?.code,
  );

describe('oversight reads of personal data', () => {
  it('records each read of the statewide audit log: who, which page, which towns', async () => {
    const somerville = await townBySlug('somerville');
    const malden = await townBySlug('malden');
    for (const town of [somerville, malden]) {
      const admin = await townAdminFor(town, await createUser({ roles: [[town, 'admin']] }));
      await createDepartment(admin, { name: `Works of ${town.name}`, email: null });
    }
    const state = await createUser({ stateStaff: true });
    const { entries } = await listStatewideAuditLog(await stateStaffFor(state), NO_AUDIT_FILTERS, 1);
    expect(entries.map((e) => e.townName).sort()).toEqual(['Malden', 'Somerville']);

    const reads = await getDatabase().db.select().from(oversightReads).where(eq(oversightReads.stateStaffUserId, state.id));
    expect(reads).toEqual([
      { id: expect.any(String), stateStaffUserId: state.id, what: 'statewide audit log, page 1', townIds: [somerville.id, malden.id].sort((a, b) => a - b), readAt: expect.any(Date) },
    ]);
  });

  it('the oversight scope can add to the record, never read, change or remove it', async () => {
    for (const statement of [sql`select 1 from oversight_reads`, sql`update oversight_reads set what = 'nothing'`, sql`delete from oversight_reads`]) {
      expect(await refusalCode(withStateOversight((tx) => tx.execute(statement))), String(statement.queryChunks[0])).toBe('42501');
    }
  });
});
