import { and, eq, inArray } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { auditLog, categories, departments, memberships, requestEvents, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import type { RequestStatus } from '#db/vocabulary';
import { assign } from '~/modules/staff/request-work.server';
import { action as staffAction } from '~/routes/admin.staff';
import { loader as queueLoader } from '~/routes/staff._index';
import { startSession } from '~/utils/auth.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { townLinks } from '~/utils/town.server';
import { townStaffFor } from '../capabilities';
import { browserRequest, cookieFrom, createUser, mailboxFor, requestRow, townBySlug } from '../factories';
import { fileReport, PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const ctx = { clientIp: '10.5.5.5' };

let somerville: TownProfile;
let adminCookie: string;
let staffCookie: string;
let graffitiId: string;
let roads: string;
let parks: string;
let colleague: { id: string; email: string };

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  const admin = await createUser({ roles: [[somerville, 'admin']] });
  const staff = await createUser({ roles: [[somerville, 'staff']] });
  colleague = await createUser({ displayName: 'Casey Colleague', roles: [[somerville, 'staff']] });
  adminCookie = cookieFrom(await startSession(admin.id, new Request(SOMERVILLE)));
  staffCookie = cookieFrom(await startSession(staff.id, new Request(SOMERVILLE)));
  roads = uuidv7();
  parks = uuidv7();
  await withTown(somerville.id, async (tx) => {
    await tx.insert(departments).values([
      { townId: somerville.id, id: roads, name: 'Roads' },
      { townId: somerville.id, id: parks, name: 'Parks', email: 'parks@somerville.example.com' },
    ]);
    // Graffiti goes to Parks, so "their department" gives an unrouted request Parks.
    const [graffiti] = await tx.update(categories).set({ departmentId: parks }).where(eq(categories.code, 'graffiti')).returning({ id: categories.id });
    graffitiId = graffiti!.id;
  });
});

const post = (form: Record<string, string>) => settle(staffAction({ request: browserRequest(`${SOMERVILLE}/admin/staff`, { form, cookie: adminCookie }), params: {}, context: ctx }));

/** Requests assigned to `userId`: open with a department, open without one, and one closed (history). */
async function workOf(userId: string) {
  const rows = (
    [
      ['acknowledged', roads],
      ['in_progress', null],
      ['fixed', roads],
    ] as [RequestStatus, string | null][]
  ).map(([status, departmentId]) =>
    requestRow(somerville, graffitiId, { createdAt: new Date(), status, departmentId, assigneeUserId: userId, closedAt: status === 'fixed' ? new Date() : null, address: '93 Highland Ave' }),
  );
  await withTown(somerville.id, (tx) => tx.insert(serviceRequests).values(rows));
  return { withDepartment: rows[0]!.trackingNumber, withoutDepartment: rows[1]!.trackingNumber, closed: rows[2]!.trackingNumber };
}

const rowsOf = (trackingNumbers: string[]) =>
  withTown(somerville.id, (tx) =>
    tx.select({ trackingNumber: serviceRequests.trackingNumber, assignee: serviceRequests.assigneeUserId, department: serviceRequests.departmentId, version: serviceRequests.version }).from(serviceRequests).where(inArray(serviceRequests.trackingNumber, trackingNumbers)),
  ).then((rows) => Object.fromEntries(rows.map((r) => [r.trackingNumber, r])));

const roleOf = async (userId: string) =>
  (await withTown(somerville.id, (tx) => tx.select({ role: memberships.role }).from(memberships).where(eq(memberships.userId, userId))))[0]?.role ?? null;

const CHOICES = ['person', 'department', 'unassigned'] as const;
type Choice = (typeof CHOICES)[number];

/** Where each of the two open requests should end up for a choice. */
const expected = (choice: Choice) =>
  ({
    person: { withDepartment: { assignee: colleague.id, department: roads }, withoutDepartment: { assignee: colleague.id, department: null } },
    department: { withDepartment: { assignee: null, department: roads }, withoutDepartment: { assignee: null, department: parks } },
    unassigned: { withDepartment: { assignee: null, department: null }, withoutDepartment: { assignee: null, department: null } },
  })[choice];

const CHANGES = [
  ['removal', (userId: string) => ({ intent: 'remove', userId }), null],
  ['demotion', (userId: string) => ({ intent: 'change-role', userId, role: 'staff' }), 'staff'],
] as const;

describe.each(CHANGES)('%s with open requests', (_, form, roleAfter) => {
  it('asks first, in the same form, and changes nothing until answered', async () => {
    const leaving = await createUser({ roles: [[somerville, 'admin']] });
    const work = await workOf(leaving.id);
    const asked = await post(form(leaving.id));
    expect(asked.status).toBe(200);
    expect((await asked.json()).openRequests).toMatchObject({ userId: leaving.id, email: leaving.email, openRequests: 2, allowKeep: roleAfter !== null });
    expect(await roleOf(leaving.id)).toBe('admin');
    // "Another person" without one is asked again, still changing nothing.
    const noPerson = await post({ ...form(leaving.id), openRequests: 'person' });
    expect(noPerson.status).toBe(422);
    expect(await noPerson.json()).toMatchObject({ formError: 'Choose who takes the requests: someone else on the team.', openRequests: { openRequests: 2 } });
    const themselves = await post({ ...form(leaving.id), openRequests: 'person', reassignTo: leaving.id });
    expect(themselves.status).toBe(422);
    expect(await roleOf(leaving.id)).toBe('admin');
    expect(Object.values(await rowsOf(Object.values(work))).every((r) => r.assignee === leaving.id && r.version === 1)).toBe(true);
  });

  it.each(CHOICES)('reassigns to %s in the same step, audited; the closed request keeps its history', async (choice) => {
    const leaving = await createUser({ roles: [[somerville, 'admin']] });
    const work = await workOf(leaving.id);
    const response = await post({ ...form(leaving.id), openRequests: choice, ...(choice === 'person' ? { reassignTo: colleague.id } : {}) });
    expect(response.status).toBe(200);
    expect((await response.json()).message).toMatch(/2 open requests were reassigned\.$/);
    expect(await roleOf(leaving.id)).toBe(roleAfter);
    const rows = await rowsOf(Object.values(work));
    expect(rows[work.withDepartment]).toMatchObject({ ...expected(choice).withDepartment, version: 2 });
    expect(rows[work.withoutDepartment]).toMatchObject({ ...expected(choice).withoutDepartment, version: 2 });
    expect(rows[work.closed]).toMatchObject({ assignee: leaving.id, department: roads, version: 1 });
    // Nothing open is left with them.
    const stillTheirs = await withTown(somerville.id, (tx) =>
      tx.select().from(serviceRequests).where(and(eq(serviceRequests.assigneeUserId, leaving.id), inArray(serviceRequests.status, ['submitted', 'acknowledged', 'in_progress']))),
    );
    expect(stillTheirs).toEqual([]);
    const audit = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(inArray(auditLog.entityId, [leaving.id, work.withDepartment, work.withoutDepartment])));
    const membershipEntry = audit.find((a) => a.entityType === 'membership')!;
    expect(membershipEntry.after).toMatchObject({ openRequests: { reassignedTo: choice === 'person' ? colleague.id : choice, requests: [work.withDepartment, work.withoutDepartment] } });
    expect(audit.filter((a) => a.action === 'assigned').map((a) => a.entityId).sort()).toEqual([work.withDepartment, work.withoutDepartment].sort());
    const events = await withTown(somerville.id, (tx) =>
      tx.select({ kind: requestEvents.kind, public: requestEvents.public }).from(requestEvents).innerJoin(serviceRequests, eq(serviceRequests.id, requestEvents.requestId)).where(eq(serviceRequests.trackingNumber, work.withDepartment)),
    );
    expect(events).toEqual([{ kind: 'assigned', public: false }]);
    if (choice === 'person') {
      const mail = (await mailboxFor(colleague.email)).filter((m) => m.subject.startsWith(`Assigned to you: ${work.withDepartment} `));
      expect(mail).toHaveLength(1);
      expect(mail[0]!.text).toContain('Where: 93 Highland Ave (42.39000, -71.03000)');
      expect(mail[0]!.text).toContain(`${SOMERVILLE}/staff/requests/${work.withDepartment}#location`);
    }
  });
});

describe('team changes without a question', () => {
  it('a demoted admin may keep their open requests', async () => {
    const demoted = await createUser({ roles: [[somerville, 'admin']] });
    const work = await workOf(demoted.id);
    const response = await post({ intent: 'change-role', userId: demoted.id, role: 'staff', openRequests: 'keep' });
    expect(response.status).toBe(200);
    expect(await roleOf(demoted.id)).toBe('staff');
    expect((await rowsOf([work.withDepartment]))[work.withDepartment]).toMatchObject({ assignee: demoted.id, version: 1 });
  });

  it('removal cannot keep them, and nobody with no open requests is asked', async () => {
    const leaving = await createUser({ roles: [[somerville, 'staff']] });
    await workOf(leaving.id);
    expect((await (await post({ intent: 'remove', userId: leaving.id, openRequests: 'keep' })).json()).openRequests).toMatchObject({ openRequests: 2, allowKeep: false });
    expect(await roleOf(leaving.id)).toBe('staff');
    const idle = await createUser({ roles: [[somerville, 'staff']] });
    expect((await (await post({ intent: 'remove', userId: idle.id })).json()).message).toMatch(/no longer has access/);
    expect(await roleOf(idle.id)).toBeNull();
    const promoted = await createUser({ roles: [[somerville, 'staff']] });
    await workOf(promoted.id);
    expect((await (await post({ intent: 'change-role', userId: promoted.id, role: 'admin' })).json()).message).toMatch(/is now an administrator/);
  });

  it('after a removal nobody can be assigned work for the person', async () => {
    const gone = await createUser({ roles: [[somerville, 'staff']] });
    expect((await (await post({ intent: 'remove', userId: gone.id })).json()).message).toMatch(/no longer has access/);
    const [row] = await workOf(colleague.id).then((w) => rowsOf([w.withDepartment]).then((r) => Object.values(r)));
    const asColleague = await townStaffFor(somerville, colleague);
    expect(await assign(asColleague, { trackingNumber: row!.trackingNumber, expectedVersion: 1 }, { assigneeUserId: gone.id }, townLinks('somerville'))).toMatchObject({ ok: false, field: 'assigneeUserId' });
  });
});

describe("the queue's assignee filter", () => {
  it('lists former assignees as such, and finds their historic requests', async () => {
    const former = await createUser({ displayName: 'Fran Former', roles: [[somerville, 'staff']] });
    const work = await workOf(former.id);
    expect((await post({ intent: 'remove', userId: former.id, openRequests: 'department' })).status).toBe(200);
    const queue = async (search: string) => (await queueLoader({ request: browserRequest(`${SOMERVILLE}/staff${search}`, { cookie: staffCookie }), params: {}, context: ctx })).json();
    const view = await queue('');
    expect(view.formerStaff).toContainEqual({ id: former.id, name: `Fran Former (${former.email}) (former)` });
    expect(view.staff.map((s: { id: string }) => s.id)).not.toContain(former.id);
    const theirs = await queue(`?assignee=${former.id}&status=closed`);
    expect(theirs.items).toEqual([expect.objectContaining({ trackingNumber: work.closed, assignee: 'Fran Former (former)', assigneeFormer: true })]);
  });
});

describe('staff emails carry the location', () => {
  it('a new request to its department: the address, the coordinates and the map link', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { address: '93 Highland Ave' });
    const [mail] = (await mailboxFor('parks@somerville.example.com')).filter((m) => m.subject.startsWith(`New request ${trackingNumber}`));
    expect(mail!.text).toMatch(/Where: 93 Highland Ave \(42\.\d{5}, -71\.\d{5}\)/);
    expect(mail!.text).toContain(`See it on the map: ${SOMERVILLE}/staff/requests/${trackingNumber}#location`);
    expect(mail!.html).toContain(`href="${SOMERVILLE}/staff/requests/${trackingNumber}#location"`);
  });
});
