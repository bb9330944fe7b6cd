import { and, count, eq } from 'drizzle-orm';
import { auditLog, categories, departments, serviceRequests, staffInvitations, towns } from '#db/schema';
import { withGlobal, withTown } from '#db/scope';
import { changeStatus } from '~/modules/staff/request-work.server';
import { findTownBySlug, type TownProfile } from '~/utils/town-profile.server';
import { startSession } from '~/utils/auth.server';
import { townLinks } from '~/utils/town.server';
import { loader as homeLoader } from '~/routes/_index';
import * as overviewPage from '~/routes/admin._index';
import { action as reportAction, loader as reportLoader } from '~/routes/report';
import { loader as requestLoader } from '~/routes/requests.$trackingNumber';
import * as newTownPage from '~/routes/state.towns.new';
import * as onboardingPage from '~/routes/state.towns.$slug_.onboarding';
import { townStaffFor } from '../capabilities';
import { browserRequest, cookieFrom, createUser, mailboxFor, townBySlug } from '../factories';
import { signInEveryone, STATE_PAGE_MATRIX, type MatrixPerson } from '../people';
import { reportRequest, settle } from '../requests';

const STATEWIDE = 'http://localhost:3000';
const SOMERVILLE = 'http://somerville.localhost:3000';
const ARLINGTON = 'http://arlington.localhost:3000';
// Arlington (MassGIS 10) is not in the registry: these tests bring it into the program.
const ARLINGTON_ID = 10;
const ARLINGTON_TOWN_HALL = { lat: '42.4154', lng: '-71.1565', locationSource: 'map' };

type RouteFunction = (args: never) => Promise<Response>;
let ip = 0;
const call = (fn: RouteFunction, request: Request, params: Record<string, string> = {}) => settle(fn({ request, params, context: { clientIp: `10.9.0.${++ip}` } } as never));
const get = (fn: RouteFunction, url: string, cookie: string | null, params: Record<string, string> = {}) => call(fn, browserRequest(url, { cookie }), params);
const post = (fn: RouteFunction, url: string, form: Record<string, string>, cookie: string | null, params: Record<string, string> = {}) => call(fn, browserRequest(url, { form, cookie }), params);

const townCount = async () => (await withGlobal((tx) => tx.select({ n: count() }).from(towns)))[0]!.n;
const arlingtonForm = (overrides: Record<string, string> = {}) => ({
  municipality: String(ARLINGTON_ID),
  slug: 'arlington',
  trackingCode: 'ARL',
  cohort: '2027 expansion',
  timezone: 'America/New_York',
  grantStart: '2027-01-04',
  grantEnd: '',
  adminEmail: 'Admin@Arlington.example',
  ...overrides,
});

let somerville: TownProfile;
let malden: TownProfile;
let cookies: Record<MatrixPerson, string | null>;
let stateCookie: string;

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  malden = await townBySlug('malden');
  ({ cookies } = await signInEveryone(STATEWIDE));
  stateCookie = cookies.state!;
});

describe('who may use the program pages', () => {
  const refused = STATE_PAGE_MATRIX.filter(([who]) => who !== 'state');

  it('only state staff open /state/towns/new and a town’s program page; everyone else is refused', async () => {
    for (const [who, status] of refused) {
      expect([who, (await get(newTownPage.loader, `${STATEWIDE}/state/towns/new`, cookies[who]!)).status]).toEqual([who, status]);
      expect([who, (await get(onboardingPage.loader, `${STATEWIDE}/state/towns/somerville/onboarding`, cookies[who]!, { slug: 'somerville' })).status]).toEqual([who, status]);
    }
    expect((await get(newTownPage.loader, `${STATEWIDE}/state/towns/new`, stateCookie)).status).toBe(200);
    expect((await get(onboardingPage.loader, `${STATEWIDE}/state/towns/somerville/onboarding`, stateCookie, { slug: 'somerville' })).status).toBe(200);
    // On a town's host the state console does not exist.
    expect((await get(newTownPage.loader, `${SOMERVILLE}/state/towns/new`, stateCookie)).status).toBe(404);
    expect((await get(onboardingPage.loader, `${STATEWIDE}/state/towns/nowhere/onboarding`, stateCookie, { slug: 'nowhere' })).status).toBe(404);
  });

  it('refuses every program action to everyone but state staff, and changes nothing', async () => {
    const before = await townCount();
    for (const [who, status] of refused) {
      expect([who, (await post(newTownPage.action, `${STATEWIDE}/state/towns/new`, arlingtonForm(), cookies[who]!)).status]).toEqual([who, status]);
      const leave = await post(onboardingPage.action, `${STATEWIDE}/state/towns/somerville/onboarding`, { intent: 'leave_program', reason: 'matrix' }, cookies[who]!, { slug: 'somerville' });
      expect([who, leave.status]).toEqual([who, status]);
    }
    expect(await townCount()).toBe(before);
    expect((await findTownBySlug('somerville'))!.leftProgramAt).toBeNull();
  });
});

describe('the municipality picker', () => {
  it('lists all 351 municipalities and marks those already participating', async () => {
    const data = await (await get(newTownPage.loader, `${STATEWIDE}/state/towns/new`, stateCookie)).json();
    expect(data.municipalities).toHaveLength(351);
    expect(data.municipalities.find((m: { name: string }) => m.name === 'Somerville')).toMatchObject({ participating: true });
    expect(data.municipalities.find((m: { name: string }) => m.name === 'Arlington')).toMatchObject({ participating: false });
  });

  it('shows the chosen municipality’s MassGIS boundary with suggested slug and code; a participating one is not offered', async () => {
    const data = await (await get(newTownPage.loader, `${STATEWIDE}/state/towns/new?municipality=${ARLINGTON_ID}`, stateCookie)).json();
    expect(data.chosen).toMatchObject({ name: 'Arlington', county: 'Middlesex' });
    expect(data.suggested).toEqual({ slug: 'arlington', trackingCode: 'ARL' });
    expect(data.outline.paths[0]).toMatch(/^M[\d. L]+Z/);
    const participating = await (await get(newTownPage.loader, `${STATEWIDE}/state/towns/new?municipality=${somerville.id}`, stateCookie)).json();
    expect(participating.chosen).toBeNull();
  });
});

describe('adding a town: bad input is refused with a message and writes nothing', () => {
  const cases: [string, Record<string, string>, string, RegExp][] = [
    ['a municipality already participating', { municipality: '274', slug: 'somerville-two', trackingCode: 'SMV' }, 'municipality', /Somerville is already in the program/],
    ['a municipality that does not exist', { municipality: '999' }, 'municipality', /Choose a Massachusetts city or town/],
    ['a slug another town uses', { slug: 'malden' }, 'slug', /Malden already uses this web address/],
    ['a slug that names another municipality', { slug: 'belmont' }, 'slug', /name of Belmont/],
    ['a slug that is not kebab-case', { slug: 'Arlington MA' }, 'slug', /lowercase letters, digits and single hyphens/],
    ['the statewide site’s www', { slug: 'www' }, 'slug', /belongs to the statewide site/],
    ['a tracking code another town uses', { trackingCode: 'SOM' }, 'trackingCode', /Somerville already uses this code/],
    ['a lowercase tracking code', { trackingCode: 'arl' }, 'trackingCode', /2 to 4 capital letters/],
    ['a five-letter tracking code', { trackingCode: 'ARLIN' }, 'trackingCode', /2 to 4 capital letters/],
    ['a grant that ends before it starts', { grantEnd: '2026-12-31' }, 'grantEnd', /must end after it starts/],
    ['a grant start that is not a date', { grantStart: '2027-02-30' }, 'grantStart', /real date/],
    ['no cohort', { cohort: ' ' }, 'cohort', /Enter the cohort/],
    ['a malformed admin email', { adminEmail: 'not-an-email' }, 'adminEmail', /email address like/],
  ];

  it.each(cases)('%s', async (_label, overrides, field, message) => {
    const before = await townCount();
    const response = await post(newTownPage.action, `${STATEWIDE}/state/towns/new`, arlingtonForm(overrides), stateCookie);
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.errors[field]).toMatch(message);
    expect(body.values.cohort).toBe(overrides.cohort ?? '2027 expansion');
    expect(await townCount()).toBe(before);
  });
});

describe('a town from onboarding to live', () => {
  let arlington: TownProfile;
  let adminCookie: string;
  let staffCookie: string;

  it('state staff add Arlington: town, default categories, the invitation email and an audit entry, in onboarding', async () => {
    const response = await post(newTownPage.action, `${STATEWIDE}/state/towns/new`, arlingtonForm(), stateCookie);
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/state/towns/arlington/onboarding?added=1');
    arlington = (await findTownBySlug('arlington'))!;
    expect(arlington).toMatchObject({ id: ARLINGTON_ID, name: 'Arlington', trackingCode: 'ARL', grantStart: '2027-01-04', grantEnd: '2030-01-04', liveSince: null, leftProgramAt: null });
    const [row] = await withGlobal((tx) => tx.select({ cohort: towns.cohort, county: towns.county, geoid: towns.geoid }).from(towns).where(eq(towns.id, ARLINGTON_ID)));
    expect(row).toEqual({ cohort: '2027 expansion', county: 'Middlesex', geoid: '2501701605' });
    const categoryCodes = (await withTown(ARLINGTON_ID, (tx) => tx.select({ code: categories.code }).from(categories))).map((c) => c.code);
    expect(categoryCodes).toContain('pothole');
    const [invitation] = await withTown(ARLINGTON_ID, (tx) => tx.select({ email: staffInvitations.email, role: staffInvitations.role }).from(staffInvitations));
    expect(invitation).toEqual({ email: 'admin@arlington.example', role: 'admin' });
    const [mail] = await mailboxFor('admin@arlington.example');
    expect(mail!.text).toContain(`${ARLINGTON}/invitations/`);
    const audit = await withTown(ARLINGTON_ID, (tx) => tx.select({ action: auditLog.action }).from(auditLog));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['town.onboarded', 'invitation.sent']));
  });

  it('adding the same municipality again is refused', async () => {
    const response = await post(newTownPage.action, `${STATEWIDE}/state/towns/new`, arlingtonForm({ slug: 'arlington-ma', trackingCode: 'ARM' }), stateCookie);
    expect(response.status).toBe(422);
    expect((await response.json()).errors.municipality).toMatch(/Arlington is already in the program/);
  });

  it('while onboarding its site says it is coming soon and takes no report from the public, here or routed from a neighbour', async () => {
    const home = await (await get(homeLoader as RouteFunction, `${ARLINGTON}/`, null)).json();
    expect(home.closedBecause).toBe('onboarding');
    const statewide = await (await get(homeLoader as RouteFunction, `${STATEWIDE}/`, null)).json();
    expect(statewide.towns.map((t: { slug: string }) => t.slug)).not.toContain('arlington');
    const form = await (await get(reportLoader as RouteFunction, `${ARLINGTON}/report`, null)).json();
    expect(form.closedBecause).toBe('onboarding');
    const here = await call(reportAction as RouteFunction, reportRequest(ARLINGTON, { category: 'pothole', description: 'Deep pothole', ...ARLINGTON_TOWN_HALL }));
    expect(here.status).toBe(422);
    expect((await here.json()).errors.location).toMatch(/Arlington, which is joining Commonwealth Connect soon/);
    const fromSomerville = await call(reportAction as RouteFunction, reportRequest(SOMERVILLE, { category: 'pothole', description: 'Deep pothole', ...ARLINGTON_TOWN_HALL, confirmTown: 'arlington' }));
    expect((await fromSomerville.json()).errors.location).toMatch(/joining Commonwealth Connect soon/);
    expect((await withTown(ARLINGTON_ID, (tx) => tx.select({ n: count() }).from(serviceRequests)))[0]!.n).toBe(0);
  });

  it('cannot go live before its checklist is complete', async () => {
    const response = await post(onboardingPage.action, `${STATEWIDE}/state/towns/arlington/onboarding`, { intent: 'go_live' }, stateCookie, { slug: 'arlington' });
    expect(response.status).toBe(409);
    expect((await response.json()).formError).toMatch(/finish every item on the onboarding checklist/);
    expect((await findTownBySlug('arlington'))!.liveSince).toBeNull();
  });

  it('its admin works through the checklist; its own team may file the test request', async () => {
    const admin = await createUser({ roles: [[arlington, 'admin']] });
    const staff = await createUser({ roles: [[arlington, 'staff']] });
    adminCookie = cookieFrom(await startSession(admin.id, new Request(ARLINGTON)));
    staffCookie = cookieFrom(await startSession(staff.id, new Request(ARLINGTON)));
    const checklist = async () => (await (await get(overviewPage.loader, `${ARLINGTON}/admin`, adminCookie)).json()).checklist;
    expect((await checklist()).items.filter((i: { done: boolean }) => i.done).map((i: { item: string }) => i.item)).toEqual(['team_member']);

    expect((await post(overviewPage.action, `${ARLINGTON}/admin`, { intent: 'confirm_boundary' }, adminCookie)).status).toBe(302);
    expect((await post(overviewPage.action, `${ARLINGTON}/admin`, { intent: 'confirm_categories' }, adminCookie)).status).toBe(302);
    expect((await post(overviewPage.action, `${ARLINGTON}/admin`, { intent: 'something_else' }, adminCookie)).status).toBe(400);
    // Staff may not tick the admin's confirmations.
    expect((await post(overviewPage.action, `${ARLINGTON}/admin`, { intent: 'confirm_boundary' }, staffCookie)).status).toBe(403);
    await withTown(ARLINGTON_ID, (tx) => tx.insert(departments).values({ townId: ARLINGTON_ID, id: crypto.randomUUID(), name: 'Public Works', email: 'dpw@arlington.example' }));

    const form = await (await get(reportLoader as RouteFunction, `${ARLINGTON}/report`, staffCookie)).json();
    expect(form.closedBecause).toBeNull();
    const filed = await call(reportAction as RouteFunction, reportRequest(ARLINGTON, { category: 'pothole', description: 'Test request', ...ARLINGTON_TOWN_HALL }, { cookie: staffCookie }));
    expect(filed.status).toBe(302);
    const trackingNumber = new URL(filed.headers.get('Location')!).pathname.split('/').pop()!;
    expect(trackingNumber).toMatch(/^ARL-/);
    expect((await checklist()).complete).toBe(false);
    const [request] = await withTown(ARLINGTON_ID, (tx) => tx.select({ version: serviceRequests.version }).from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)));
    const closed = await changeStatus(await townStaffFor(arlington, staff), { trackingNumber, expectedVersion: request!.version }, { to: 'fixed', reason: 'Test request' }, townLinks('arlington'));
    expect(closed.ok).toBe(true);
    expect(await checklist()).toMatchObject({ complete: true });
  });

  it('state staff switch it live; it then takes everyone’s reports and the checklist is gone', async () => {
    const response = await post(onboardingPage.action, `${STATEWIDE}/state/towns/arlington/onboarding`, { intent: 'go_live' }, stateCookie, { slug: 'arlington' });
    expect(response.status).toBe(302);
    expect((await findTownBySlug('arlington'))!.liveSince).not.toBeNull();
    const again = await post(onboardingPage.action, `${STATEWIDE}/state/towns/arlington/onboarding`, { intent: 'go_live' }, stateCookie, { slug: 'arlington' });
    expect((await again.json()).formError).toMatch(/already live/);
    expect((await (await get(homeLoader as RouteFunction, `${ARLINGTON}/`, null)).json()).closedBecause).toBeNull();
    expect((await (await get(overviewPage.loader, `${ARLINGTON}/admin`, adminCookie)).json()).checklist).toBeNull();
    const statewide = await (await get(homeLoader as RouteFunction, `${STATEWIDE}/`, null)).json();
    expect(statewide.towns.find((t: { slug: string }) => t.slug === 'arlington')).toMatchObject({ name: 'Arlington', mapSlug: 'arlington' });
    const filed = await call(reportAction as RouteFunction, reportRequest(ARLINGTON, { category: 'pothole', description: 'A real one', email: 'pat@example.com', ...ARLINGTON_TOWN_HALL }));
    expect(filed.status).toBe(302);
    const audit = await withTown(ARLINGTON_ID, (tx) => tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.action, 'town.went_live')));
    expect(audit).toHaveLength(1);
  });

  it('leaving the program needs a reason, stops new reports and keeps every request page; rejoining opens it again', async () => {
    const url = `${STATEWIDE}/state/towns/arlington/onboarding`;
    const noReason = await post(onboardingPage.action, url, { intent: 'leave_program', reason: '  ' }, stateCookie, { slug: 'arlington' });
    expect(noReason.status).toBe(422);
    expect((await noReason.json()).errors.reason).toMatch(/Give the reason/);
    expect((await findTownBySlug('arlington'))!.leftProgramAt).toBeNull();

    expect((await post(onboardingPage.action, url, { intent: 'leave_program', reason: 'Town meeting vote' }, stateCookie, { slug: 'arlington' })).status).toBe(302);
    expect((await (await get(homeLoader as RouteFunction, `${ARLINGTON}/`, null)).json()).closedBecause).toBe('left');
    const refused = await call(reportAction as RouteFunction, reportRequest(ARLINGTON, { category: 'pothole', description: 'After leaving', ...ARLINGTON_TOWN_HALL }, { cookie: staffCookie }));
    expect((await refused.json()).errors.location).toMatch(/no longer takes reports/);
    const [kept] = await withTown(ARLINGTON_ID, (tx) => tx.select({ trackingNumber: serviceRequests.trackingNumber }).from(serviceRequests).limit(1));
    expect((await get(requestLoader as RouteFunction, `${ARLINGTON}/requests/${kept!.trackingNumber}`, null, { trackingNumber: kept!.trackingNumber })).status).toBe(200);
    const [entry] = await withTown(ARLINGTON_ID, (tx) => tx.select({ after: auditLog.after }).from(auditLog).where(and(eq(auditLog.action, 'town.left_program'))));
    expect(entry!.after).toMatchObject({ reason: 'Town meeting vote' });

    const statewide = await (await get(homeLoader as RouteFunction, `${STATEWIDE}/`, null)).json();
    expect(statewide.towns.map((t: { slug: string }) => t.slug)).not.toContain('arlington');

    expect((await post(onboardingPage.action, url, { intent: 'rejoin_program', reason: 'Rejoined' }, stateCookie, { slug: 'arlington' })).status).toBe(302);
    expect((await (await get(homeLoader as RouteFunction, `${ARLINGTON}/`, null)).json()).closedBecause).toBeNull();
  });
});

describe('state staff extend or renew a grant term', () => {
  const url = `${STATEWIDE}/state/towns/malden/onboarding`;
  // A renewal running from a year ago to two years ahead, whenever the test runs.
  const yearFromNow = (years: number) => `${new Date().getUTCFullYear() + years}-07-01`;
  const [start, end] = [yearFromNow(-1), yearFromNow(2)];
  const term = (overrides: Record<string, string> = {}) => ({ intent: 'change_grant_term', grantStart: start, grantEnd: end, termReason: 'Renewed by the program board', ...overrides });

  it('refuses a term that ends before it starts, or without a reason, and changes nothing', async () => {
    const before = (await findTownBySlug('malden'))!;
    const backwards = await post(onboardingPage.action, url, term({ grantEnd: yearFromNow(-2) }), stateCookie, { slug: 'malden' });
    expect(backwards.status).toBe(422);
    expect((await backwards.json()).errors.grantEnd).toMatch(/must end after it starts/);
    const noReason = await post(onboardingPage.action, url, term({ termReason: '' }), stateCookie, { slug: 'malden' });
    expect((await noReason.json()).errors.termReason).toMatch(/Give the reason/);
    expect((await findTownBySlug('malden'))!).toMatchObject({ grantStart: before.grantStart, grantEnd: before.grantEnd });
  });

  it('only state staff may change it', async () => {
    for (const who of ['resident', 'staffA', 'adminA', 'staffB'] as const) {
      expect([who, (await post(onboardingPage.action, url, term(), cookies[who]!, { slug: 'malden' })).status]).toEqual([who, 403]);
    }
  });

  it('saves the new dates with the reason in the audit log, and the lifecycle follows', async () => {
    const before = (await findTownBySlug('malden'))!;
    expect((await post(onboardingPage.action, url, term(), stateCookie, { slug: 'malden' })).status).toBe(302);
    const after = (await findTownBySlug('malden'))!;
    expect(after).toMatchObject({ grantStart: start, grantEnd: end });
    const page = await (await get(onboardingPage.loader, url, stateCookie, { slug: 'malden' })).json();
    expect(page.lifecycle.state).toBe('in_grant');
    const [entry] = await withTown(malden.id, (tx) => tx.select({ before: auditLog.before, after: auditLog.after }).from(auditLog).where(eq(auditLog.action, 'town.grant_term_changed')));
    expect(entry).toMatchObject({ before: { grantStart: before.grantStart, grantEnd: before.grantEnd }, after: { grantStart: start, grantEnd: end, reason: 'Renewed by the program board' } });
    const again = await post(onboardingPage.action, url, term(), stateCookie, { slug: 'malden' });
    expect((await again.json()).formError).toMatch(/already the grant term/);
  });
});
