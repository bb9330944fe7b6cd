import { loader as adminLoader } from '~/routes/admin';
import { loader as stateLoader } from '~/routes/state._index';
import { loader as staffLoader } from '~/routes/staff';
import { startSession } from '~/utils/auth.server';
import { browserRequest, cookieFrom, createUser, townBySlug } from '../factories';
import { signInEveryone, type MatrixPerson } from '../people';
import { settle } from '../requests';

const url = (slug: string | null, path: string) => `http://${slug ? `${slug}.` : ''}localhost:3000${path}`;

async function statusOf(loader: (args: never) => Promise<Response>, requestUrl: string, cookie: string | null): Promise<number> {
  return (await settle(loader({ request: browserRequest(requestUrl, { cookie }), params: {}, context: { clientIp: '127.0.0.1' } } as never))).status;
}

describe('who may open the staff, admin and state consoles', () => {
  let cookies: Record<MatrixPerson, string | null>;

  beforeAll(async () => {
    ({ cookies } = await signInEveryone(url('somerville', '/')));
  });

  // Somerville is town A; Malden is town B. 302 = sent to sign in.
  const matrix: [MatrixPerson, number, number, number][] = [
    //  who           /staff A  /admin A  /state
    ['anonymous', 302, 302, 302],
    ['resident', 403, 403, 403],
    ['staffA', 200, 403, 403],
    ['adminA', 200, 200, 403],
    ['staffB', 403, 403, 403],
    ['state', 403, 403, 200],
  ];

  it.each(matrix)('%s: staff %i, admin %i, state %i', async (who, staff, admin, state) => {
    expect(await statusOf(staffLoader, url('somerville', '/staff'), cookies[who]!)).toBe(staff);
    expect(await statusOf(adminLoader, url('somerville', '/admin'), cookies[who]!)).toBe(admin);
    expect(await statusOf(stateLoader, url(null, '/state'), cookies[who]!)).toBe(state);
  });

  it("town B's staff is refused on B's pages of town A, and A's staff on B", async () => {
    expect(await statusOf(staffLoader, url('malden', '/staff'), cookies.staffB!)).toBe(200);
    expect(await statusOf(staffLoader, url('malden', '/staff'), cookies.staffA!)).toBe(403);
    expect(await statusOf(adminLoader, url('malden', '/admin'), cookies.adminA!)).toBe(403);
  });

  it('the consoles live on their own kind of host', async () => {
    expect(await statusOf(staffLoader, url(null, '/staff'), cookies.staffA!)).toBe(404);
    expect(await statusOf(stateLoader, url('somerville', '/state'), cookies.state!)).toBe(404);
  });
});

describe('audit logs', () => {
  it('state staff read every town’s audit log; nobody else does', async () => {
    const { loader: stateAuditLoader } = await import('~/routes/state.audit');
    const somerville = await townBySlug('somerville');
    const state = await createUser({ stateStaff: true });
    const admin = await createUser({ roles: [[somerville, 'admin']] });
    const stateCookie = cookieFrom(await startSession(state.id, new Request(url(null, '/'))));
    const adminCookie = cookieFrom(await startSession(admin.id, new Request(url(null, '/'))));
    expect(await statusOf(stateAuditLoader, url(null, '/state/audit'), stateCookie)).toBe(200);
    expect(await statusOf(stateAuditLoader, url(null, '/state/audit'), adminCookie)).toBe(403);
    expect(await statusOf(stateAuditLoader, url(null, '/state/audit'), null)).toBe(302);
  });
});
