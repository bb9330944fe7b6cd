import { locateTown } from '~/modules/geo/locate-town.server';
import { loader as rootLoader } from '~/root';
import { loader as adminLoader } from '~/routes/admin';
import { action as reportAction } from '~/routes/report';
import { action as adminStaffAction } from '~/routes/admin.staff';
import { loader as staffLoader } from '~/routes/staff';
import { loader as queueLoader } from '~/routes/staff._index';
import { startSession } from '~/utils/auth.server';
import { browserRequest, cookieFrom, createUser, townBySlug } from '../factories';
import { reportRequest, settle } from '../requests';
import { statementsDuring } from '../statements';

const SOMERVILLE = 'http://somerville.localhost:3000';

/**
 * The three lookups every guarded page starts with: the town (any read of it; cached in process
 * until the towns table changes, so none once warm), lucia's session and getTownRole's membership.
 */
const lookups = (statements: string[]) => ({
  town: statements.filter((s) => s.includes('from "towns"')).length,
  session: statements.filter((s) => s.includes('from "sessions" inner join "users"')).length,
  membership: statements.filter((s) => s.includes('"memberships"."user_id" =')).length,
});

describe('one lookup per HTTP request', () => {
  let cookie: string;

  beforeAll(async () => {
    const somerville = await townBySlug('somerville');
    const staff = await createUser({ roles: [[somerville, 'staff']] });
    cookie = cookieFrom(await startSession(staff.id, new Request(SOMERVILLE)));
    // The town cache serves lookups once its LISTEN is up (town-cache.server.ts).
    await vi.waitFor(async () => expect(lookups(await statementsDuring(() => townBySlug('somerville'))).town).toBe(0));
  });

  // What Remix runs for GET /staff: the root, the console frame and the queue, in parallel, with one load context.
  const staffPageLoad = (contextFor: () => { clientIp: string }) =>
    Promise.all(
      [rootLoader, staffLoader, queueLoader].map(async (loader) => {
        const response = await loader({ request: browserRequest(`${SOMERVILLE}/staff`, { cookie }), params: {}, context: contextFor() });
        expect(response.status).toBe(200);
      }),
    );

  it('a staff page load reads the session and the membership once, and the town not at all', async () => {
    const context = { clientIp: '10.4.4.4' };
    expect(lookups(await statementsDuring(() => staffPageLoad(() => context)))).toEqual({ town: 0, session: 1, membership: 1 });
  });

  it('loaders with a context each (separate HTTP requests) look the session and membership up again', async () => {
    expect(lookups(await statementsDuring(() => staffPageLoad(() => ({ clientIp: '10.4.4.4' }))))).toEqual({ town: 0, session: 3, membership: 3 });
  });

  it("an action's lookups are not reused: the loaders after it see the role it changed", async () => {
    const somerville = await townBySlug('somerville');
    const admin = await createUser({ roles: [[somerville, 'admin']] });
    await createUser({ roles: [[somerville, 'admin']] });
    const adminCookie = cookieFrom(await startSession(admin.id, new Request(SOMERVILLE)));
    // A form post without JavaScript: Remix runs the action, then the page's loaders, with one load context.
    const context = { clientIp: '10.4.4.5' };
    const demote = browserRequest(`${SOMERVILLE}/admin/staff`, { cookie: adminCookie, form: { intent: 'change-role', userId: admin.id, role: 'staff' } });
    expect((await adminStaffAction({ request: demote, params: {}, context })).status).toBe(200);
    const frame = await settle(adminLoader({ request: browserRequest(`${SOMERVILLE}/admin/staff`, { cookie: adminCookie }), params: {}, context }));
    expect(frame.status).toBe(403);
  });
});

describe('a report submission', () => {
  // Each scope opens its transaction with set_config('role', …); BEGIN and COMMIT are not counted as statements.
  const transactions = (statements: string[]) => statements.filter((s) => s.includes("set_config('role'")).length;

  it('files in at most 3 transactions and 14 statements, and the counter is the last thing the checks touch', async () => {
    // The routing index is read once per process, like the town cache above: a warm process is counted.
    await locateTown(42.3911, -71.1077);
    const request = reportRequest(SOMERVILLE, { category: 'pothole', description: 'Counted', lat: '42.3911', lng: '-71.1077', locationSource: 'map', email: 'counted@example.com' });
    let response: Response | undefined;
    const statements = await statementsDuring(async () => {
      response = await settle(reportAction({ request, params: {}, context: { clientIp: '10.4.4.6' } }));
    });
    expect(response!.status).toBe(302);
    expect(transactions(statements)).toBeLessThanOrEqual(3);
    // 13: a report with an email and no account also stores its reporter's manage link (docs/decisions/0021);
    // 14: the town's webhook endpoints are looked up in the filing transaction (docs/decisions/0024).
    expect(statements.length).toBeLessThanOrEqual(14);
    // The number is taken right before its transaction commits: no insert runs while the counter row is locked.
    const counter = statements.findIndex((s) => s.includes('insert into "town_counters"'));
    expect(counter).toBeGreaterThan(-1);
    expect(statements[counter + 1]).toContain("set_config('role'");
  });
});

