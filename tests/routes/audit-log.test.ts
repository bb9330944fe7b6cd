import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { oversightReads } from '#db/schema';
import { withTown } from '#db/scope';
import { recordAudit } from '~/modules/audit/audit.server';
import { createDepartment } from '~/modules/departments/departments.server';
import { addInternalNote, changeStatus } from '~/modules/staff/request-work.server';
import { loader as adminAuditLoader } from '~/routes/admin.audit';
import { loader as stateAuditLoader } from '~/routes/state.audit';
import { townLinks } from '~/utils/town.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { townAdminFor, townStaffFor } from '../capabilities';
import { browserRequest, createUser, townBySlug } from '../factories';
import { signInEveryone, TOWN_ADMIN_PAGE_MATRIX, type MatrixPerson } from '../people';
import { fileDirectly, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const APEX = 'http://localhost:3000';
const ctx = { clientIp: '10.6.6.6' };
let somerville: TownProfile;
let malden: TownProfile;
let cookies: Record<MatrixPerson, string | null>;
let people: Awaited<ReturnType<typeof signInEveryone>>['people'];
let worked: string;
let other: string;

type Page = { entries: { action: string; entityId: string; actorEmail: string | null; townName?: string; before?: unknown; after?: unknown }[]; hasOlder: boolean; actions: string[]; errors: Record<string, string>; filters: Record<string, string | null> };

const file = (n: number) => fileDirectly(somerville, { categoryCode: 'graffiti', description: `Audit test ${n}`, lat: 42.386 + n * 0.001, lng: -71.1 });

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  malden = await townBySlug('malden');
  ({ cookies, people } = await signInEveryone(SOMERVILLE));
  const staff = await townStaffFor(somerville, people.staffA);
  const admin = await townAdminFor(somerville, people.adminA);
  worked = await file(1);
  other = await file(2);
  await changeStatus(staff, { trackingNumber: worked, expectedVersion: 1 }, { to: 'fixed', reason: 'Painted over' }, townLinks('somerville'));
  await addInternalNote(staff, { trackingNumber: other, expectedVersion: 1 }, 'Checked');
  await createDepartment(admin, { name: 'Audit Works', email: null });
  await createDepartment(await townAdminFor(malden, await createUser({ roles: [[malden, 'admin']] })), { name: 'Malden Audit Works', email: null });
});

const adminPage = async (query = '', who: MatrixPerson = 'adminA') => settle(adminAuditLoader({ request: browserRequest(`${SOMERVILLE}/admin/audit${query}`, { cookie: cookies[who] }), params: {}, context: ctx }));
const adminJson = async (query = '') => (await (await adminPage(query)).json()) as Page;

describe('town audit log', () => {
  it.each(TOWN_ADMIN_PAGE_MATRIX)('%s: %i', async (who, status) => {
    expect((await adminPage('', who)).status).toBe(status);
  });

  it('shows only its own town, newest first, with the recorded actions to filter by', async () => {
    const page = await adminJson();
    expect(page.entries.map((e) => e.action)).toEqual(['department.created', 'note_added', 'status_changed']);
    expect(page.actions).toEqual(['department.created', 'note_added', 'status_changed']);
    expect(JSON.stringify(page)).not.toContain('Malden Audit Works');
  });

  it('filters by request (tracking number, any case), action, and who', async () => {
    expect((await adminJson(`?request=${worked.toLowerCase()}`)).entries).toEqual([
      expect.objectContaining({ action: 'status_changed', entityId: worked, actorEmail: people.staffA.email, before: expect.objectContaining({ status: 'submitted' }), after: expect.objectContaining({ status: 'fixed', statusReason: 'Painted over' }) }),
    ]);
    expect((await adminJson('?action=note_added')).entries.map((e) => e.entityId)).toEqual([other]);
    const who = people.adminA.email.split('@')[0]!.toUpperCase();
    expect((await adminJson(`?who=${encodeURIComponent(who)}`)).entries.map((e) => e.action)).toEqual(['department.created']);
    expect((await adminJson('?who=%25')).entries).toEqual([]); // a % is a letter to find, not "anything"
    expect((await adminJson(`?request=${worked}&action=note_added`)).entries).toEqual([]);
  });

  it('filters by days in the town’s time zone, both included', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: somerville.timezone }).format(new Date());
    const day = (offset: number) => new Date(Date.parse(`${today}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    expect((await adminJson(`?from=${today}&to=${today}`)).entries).toHaveLength(3);
    expect((await adminJson(`?from=${day(1)}`)).entries).toEqual([]);
    expect((await adminJson(`?to=${day(-1)}`)).entries).toEqual([]);
    const wrong = await adminJson(`?from=${day(1)}&to=${day(-1)}&request=nonsense`);
    expect(wrong.errors).toEqual({ to: 'The last day comes before the first: this filter was left out', request: 'Enter a tracking number like SOM-1042' });
    expect(wrong.filters).toMatchObject({ from: day(1), to: null, request: null });
  });

  it('pages through what the filters match, 50 at a time, keeping the filters', async () => {
    await withTown(somerville.id, async (tx) => {
      for (let i = 0; i < 51; i++) await recordAudit(tx, somerville.id, { actorUserId: null, action: 'test.paging', entityType: 'town', entityId: String(i) });
    });
    const first = await adminJson('?action=test.paging&who=system');
    expect(first.entries).toHaveLength(50);
    expect(first.hasOlder).toBe(true);
    const second = await adminJson('?action=test.paging&who=system&page=2');
    expect(second.entries).toHaveLength(1);
    expect(second.hasOlder).toBe(false);
  });
});

describe('state audit log', () => {
  const statePage = async (query = '') => settle(stateAuditLoader({ request: browserRequest(`${APEX}/state/audit${query}`, { cookie: cookies.state }), params: {}, context: ctx }));

  it('applies the same filters across towns and records the read with them', async () => {
    const response = await statePage('?action=department.created');
    expect(response.status).toBe(200);
    const page = (await response.json()) as Page;
    expect(page.entries.map((e) => e.townName).sort()).toEqual(['Malden', 'Somerville']);
    const reads = await getDatabase().db.select().from(oversightReads).where(eq(oversightReads.stateStaffUserId, people.state.id));
    expect(reads.map((r) => r.what)).toContain('statewide audit log, page 1 (action=department.created)');
    const oneRequest = (await (await statePage(`?request=${worked}`)).json()) as Page;
    expect(oneRequest.entries.map((e) => e.action)).toEqual(['status_changed']);
  });
});
