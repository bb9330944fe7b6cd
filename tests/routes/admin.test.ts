import { readFileSync } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { auditLog, categories, staffInvitations, towns } from '#db/schema';
import { withGlobal, withTown } from '#db/scope';
import { getTownRole } from '~/utils/memberships.server';
import type { LonLat } from '~/modules/geo/geometry';
import { boundaryFingerprint } from '~/modules/geo/boundary.server';
import { locateTown } from '~/modules/geo/locate-town.server';
import { findTownBySlug, type TownProfile } from '~/utils/town-profile.server';
import { loader as rootLoader } from '~/root';
import { loader as homeLoader } from '~/routes/_index';
import * as adminLayout from '~/routes/admin';
import * as overviewPage from '~/routes/admin._index';
import * as auditPage from '~/routes/admin.audit';
import * as boundaryPage from '~/routes/admin.boundary';
import * as categoryPage from '~/routes/admin.categories.$code';
import * as categoriesPage from '~/routes/admin.categories._index';
import * as departmentsPage from '~/routes/admin.departments';
import * as profilePage from '~/routes/admin.profile';
import * as staffPage from '~/routes/admin.staff';
import * as invitationPage from '~/routes/invitations.$token';
import { action as reportAction, loader as reportLoader } from '~/routes/report';
import { startSession } from '~/utils/auth.server';
import { browserRequest, cookieFrom, createUser, mailboxFor, townBySlug } from '../factories';
import { multipartRequest, reportRequest, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
type RouteFunction = (args: never) => Promise<Response>;
let ipCounter = 0;

const call = (fn: RouteFunction, request: Request, params: Record<string, string> = {}) => settle(fn({ request, params, context: { clientIp: `10.7.0.${++ipCounter}` } } as never));

const get = (fn: RouteFunction, path: string, cookie: string | null, params: Record<string, string> = {}) => call(fn, browserRequest(`${SOMERVILLE}${path}`, { cookie }), params);
const post = (fn: RouteFunction, path: string, form: Record<string, string>, cookie: string | null, params: Record<string, string> = {}) =>
  call(fn, browserRequest(`${SOMERVILLE}${path}`, { form, cookie }), params);


const geojsonFile = (value: unknown) => ({ field: 'boundary', name: 'boundary.geojson', type: 'application/geo+json', bytes: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });
const registryBoundary = (slug: string) => (JSON.parse(readFileSync(`tenants/${slug}/boundary.geojson`, 'utf8')) as { geometry: { type: 'Polygon'; coordinates: LonLat[][] } }).geometry;
const auditCount = async (townId: number) => (await withTown(townId, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(auditLog)))[0]!.n;
const linkIn = (text: string) => new URL(text.match(/https?:\/\/\S+\/invitations\/\S+/)![0]);
const reportCategories = async () => {
  const data = await (await get(reportLoader as RouteFunction, '/report', null)).json();
  return (data.form.groups as { categories: { code: string; questions: { label: string }[] }[] }[]).flatMap((g) => g.categories);
};

let somerville: TownProfile;
let malden: TownProfile;
const people: Record<string, { id: string; email: string }> = {};
const cookies: Record<string, string | null> = { anonymous: null };

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  malden = await townBySlug('malden');
  Object.assign(people, {
    resident: await createUser(),
    staffA: await createUser({ roles: [[somerville, 'staff']] }),
    adminA: await createUser({ roles: [[somerville, 'admin']] }),
    adminB: await createUser({ roles: [[malden, 'admin']] }),
    state: await createUser({ stateStaff: true }),
    spare: await createUser({ roles: [[somerville, 'staff']] }),
    leaving: await createUser({ roles: [[somerville, 'staff']] }),
  });
  for (const name of ['resident', 'staffA', 'adminA', 'adminB', 'state']) {
    cookies[name] = cookieFrom(await startSession(people[name]!.id, new Request(SOMERVILLE)));
  }
});

const REFUSED: [string, number][] = [
  ['anonymous', 302],
  ['resident', 403],
  ['staffA', 403],
  ['adminB', 403],
  ['state', 403],
];

describe('who may use the admin console of town A (Somerville)', () => {
  const pages: [string, RouteFunction, Record<string, string>][] = [
    ['/admin (layout)', adminLayout.loader, {}],
    ['/admin', overviewPage.loader, {}],
    ['/admin/categories', categoriesPage.loader, {}],
    ['/admin/categories/pothole', categoryPage.loader, { code: 'pothole' }],
    ['/admin/departments', departmentsPage.loader, {}],
    ['/admin/staff', staffPage.loader, {}],
    ['/admin/profile', profilePage.loader, {}],
    ['/admin/boundary', boundaryPage.loader, {}],
    ['/admin/audit', auditPage.loader, {}],
  ];

  it.each(pages)('page %s: anonymous 302, everyone but A’s admin 403, A’s admin 200', async (label, loader, params) => {
    const path = label.replace(' (layout)', '');
    for (const [who, status] of REFUSED) expect([who, (await get(loader, path, cookies[who]!, params)).status]).toEqual([who, status]);
    expect((await get(loader, path, cookies.adminA!, params)).status).toBe(200);
  });

  // Each form would change town A; A's admin goes last, so the refusals are checked against an untouched town.
  const actions: [string, RouteFunction, string, Record<string, string>, () => Record<string, string>, number][] = [
    ['create a category', categoriesPage.action, '/admin/categories', {}, () => ({ intent: 'create', name: 'Matrix check', group: 'Test', programCategory: 'other', targetDays: '5' }), 302],
    ['deactivate a category', categoriesPage.action, '/admin/categories', {}, () => ({ intent: 'deactivate', code: 'illegal-parking' }), 200],
    ['edit a category', categoryPage.action, '/admin/categories/street-sign', { code: 'street-sign' }, () => ({ intent: 'update', name: 'Street sign', group: 'Streets & sidewalks', programCategory: 'signs', targetDays: '9' }), 200],
    ['edit search words', categoryPage.action, '/admin/categories/street-sign', { code: 'street-sign' }, () => ({ intent: 'keywords', keywords: 'stop sign\nsign down' }), 200],
    ['add a question', categoryPage.action, '/admin/categories/street-sign', { code: 'street-sign' }, () => ({ intent: 'add-question', label: 'Which sign?', type: 'text' }), 200],
    ['delete a category', categoryPage.action, '/admin/categories/abandoned-vehicle', { code: 'abandoned-vehicle' }, () => ({ intent: 'delete' }), 302],
    ['add a department', departmentsPage.action, '/admin/departments', {}, () => ({ intent: 'create', name: 'Matrix works', email: 'works@example.gov' }), 200],
    ['invite staff', staffPage.action, '/admin/staff', {}, () => ({ intent: 'invite', email: 'matrix.invitee@example.com', role: 'staff' }), 200],
    ['change a role', staffPage.action, '/admin/staff', {}, () => ({ intent: 'change-role', userId: people.spare!.id, role: 'admin' }), 200],
    ['remove access', staffPage.action, '/admin/staff', {}, () => ({ intent: 'remove', userId: people.leaving!.id }), 200],
    ['edit the profile', profilePage.action, '/admin/profile', {}, () => ({ accentColor: somerville.accentColor, welcomeMessage: 'Matrix welcome' }), 200],
  ];

  it.each(actions)('action “%s”: refused for everyone but A’s admin, and nothing changes in A', async (_label, action, path, params, form, okStatus) => {
    const before = { a: await auditCount(somerville.id), b: await auditCount(malden.id) };
    for (const [who, status] of REFUSED) expect([who, (await post(action, path, form(), cookies[who]!, params)).status]).toEqual([who, status]);
    expect({ a: await auditCount(somerville.id), b: await auditCount(malden.id) }).toEqual(before);
    expect((await post(action, path, form(), cookies.adminA!, params)).status).toBe(okStatus);
    expect(await auditCount(somerville.id)).toBeGreaterThan(before.a);
  });

  it('action “replace the boundary”: refused for everyone but A’s admin', async () => {
    const [row] = await withGlobal((tx) => tx.select({ boundary: towns.boundary }).from(towns).where(eq(towns.id, somerville.id)));
    const form = { intent: 'confirm', candidate: JSON.stringify(row!.boundary), basedOn: boundaryFingerprint(row!.boundary) };
    const before = await auditCount(somerville.id);
    for (const [who, status] of REFUSED) expect([who, (await post(boundaryPage.action, '/admin/boundary', form, cookies[who]!)).status]).toEqual([who, status]);
    expect(await auditCount(somerville.id)).toBe(before);
    expect((await post(boundaryPage.action, '/admin/boundary', form, cookies.adminA!)).status).toBe(302);
  });

  it("town B's admin manages B from B's host, never A from A's", async () => {
    const maldenRequest = browserRequest('http://malden.localhost:3000/admin/categories', { cookie: cookies.adminB });
    expect((await call(categoriesPage.loader, maldenRequest)).status).toBe(200);
    const [category] = await withTown(somerville.id, (tx) => tx.select({ name: categories.name }).from(categories).where(eq(categories.code, 'matrix-check')));
    expect(category?.name).toBe('Matrix check');
  });
});

describe('categories reach the report form at once', () => {
  it('shows a new question on the report form, and hides a deactivated category until it is activated again', async () => {
    const path = '/admin/categories/graffiti';
    const params = { code: 'graffiti' };
    const added = await post(categoryPage.action, path, { intent: 'add-question', label: 'Is it offensive?', type: 'single', choices: 'Yes\nNo', required: 'on' }, cookies.adminA!, params);
    expect(added.status).toBe(200);
    const graffiti = (await reportCategories()).find((c) => c.code === 'graffiti');
    // After the program's default questions the category started with.
    expect(graffiti?.questions.at(-1)).toEqual(
      { code: 'is-it-offensive', label: 'Is it offensive?', type: 'single', required: true, public: false, choices: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }] },
    );

    expect((await post(categoryPage.action, path, { intent: 'deactivate' }, cookies.adminA!, params)).status).toBe(200);
    expect((await reportCategories()).map((c) => c.code)).not.toContain('graffiti');
    expect((await post(categoryPage.action, path, { intent: 'activate' }, cookies.adminA!, params)).status).toBe(200);
    expect((await reportCategories()).map((c) => c.code)).toContain('graffiti');
  });

  it('shows messages next to the fields', async () => {
    const response = await post(categoriesPage.action, '/admin/categories', { intent: 'create', name: '', group: 'Parks', programCategory: 'parks', targetDays: '90' }, cookies.adminA!);
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toEqual({ name: 'Enter a name', targetDays: 'The target must be between 1 and 60 business days' });
    const question = await post(categoryPage.action, '/admin/categories/tree', { intent: 'add-question', label: 'Kind', type: 'multi', choices: 'Oak' }, cookies.adminA!, { code: 'tree' });
    expect(question.status).toBe(422);
    expect((await question.json()).errors.choices).toBe('List at least 2 choices, one per line');
  });

  it('refuses to delete a category a request uses, and deletes an unused one', async () => {
    const created = await post(categoriesPage.action, '/admin/categories', { intent: 'create', name: 'Loose manhole', group: 'Streets & sidewalks', programCategory: 'water-sewer', targetDays: '3' }, cookies.adminA!);
    expect(created.headers.get('Location')).toBe('/admin/categories/loose-manhole?created=1');
    const filed = await call(reportAction as RouteFunction, reportRequest(SOMERVILLE, { category: 'loose-manhole', description: 'Rattles', lat: '42.3876', lng: '-71.0995', locationSource: 'map' }));
    expect(filed.status).toBe(302);

    const refused = await post(categoryPage.action, '/admin/categories/loose-manhole', { intent: 'delete' }, cookies.adminA!, { code: 'loose-manhole' });
    expect(refused.status).toBe(409);
    expect((await refused.json()).formError).toMatch(/cannot be deleted: 1 request uses it\. Deactivate it instead/);
    expect((await reportCategories()).map((c) => c.code)).toContain('loose-manhole');

    await post(categoriesPage.action, '/admin/categories', { intent: 'create', name: 'Never used', group: 'Other', programCategory: 'other', targetDays: '3' }, cookies.adminA!);
    const deleted = await post(categoryPage.action, '/admin/categories/never-used', { intent: 'delete' }, cookies.adminA!, { code: 'never-used' });
    expect(deleted.headers.get('Location')).toBe('/admin/categories?deleted=Never+used');
    expect((await get(categoryPage.loader, '/admin/categories/never-used', cookies.adminA!, { code: 'never-used' })).status).toBe(404);
  });
});

describe('program categories', () => {
  type ListedCategory = { code: string; programCategory: string; programCategoryName: string; questions: { code: string }[] };
  const listed = async () => (await (await get(categoriesPage.loader, '/admin/categories', cookies.adminA!)).json()) as { categories: ListedCategory[]; programCategories: { code: string; name: string; defaultTargetDays: number }[] };

  it('lists each category with its program category, and the program categories to choose from', async () => {
    const { categories: list, programCategories } = await listed();
    expect(list.find((c) => c.code === 'damaged-sidewalk')).toMatchObject({ programCategory: 'sidewalk', programCategoryName: 'Sidewalk' });
    expect(programCategories.map((p) => p.code)).toEqual(expect.arrayContaining(['pothole', 'sidewalk', 'other']));
    expect(programCategories.find((p) => p.code === 'pothole')?.defaultTargetDays).toBe(5);
  });

  it('requires a program category to create a category, and refuses one the program does not list', async () => {
    const form = { intent: 'create', name: 'Bike lane blocked', group: 'Streets & sidewalks', targetDays: '2' };
    const missing = await post(categoriesPage.action, '/admin/categories', form, cookies.adminA!);
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors).toEqual({ programCategory: 'Choose the program category this counts as' });
    const unknown = await post(categoriesPage.action, '/admin/categories', { ...form, programCategory: 'bike-lanes' }, cookies.adminA!);
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).errors).toEqual({ programCategory: 'Choose a program category from the list' });
    expect((await listed()).categories.map((c) => c.code)).not.toContain('bike-lane-blocked');

    const created = await post(categoriesPage.action, '/admin/categories', { ...form, programCategory: 'parking' }, cookies.adminA!);
    expect(created.headers.get('Location')).toBe('/admin/categories/bike-lane-blocked?created=1');
    const category = (await listed()).categories.find((c) => c.code === 'bike-lane-blocked');
    expect(category).toMatchObject({ programCategory: 'parking', programCategoryName: 'Parking' });
    expect(category!.questions.map((q) => q.code)).toEqual(['problem', 'plate']);
  });

  it("lets the town admin remap a category on its page, and refuses an unknown program category next to the field", async () => {
    const path = '/admin/categories/snow-ice';
    const params = { code: 'snow-ice' };
    const form = { intent: 'update', name: 'Snow & ice', group: 'Streets & sidewalks', targetDays: '2' };
    const page = await (await get(categoryPage.loader, path, cookies.adminA!, params)).json();
    expect(page.category.programCategory).toBe('snow-ice');
    expect(page.programCategories.map((p: { code: string }) => p.code)).toContain('sidewalk');

    const refused = await post(categoryPage.action, path, { ...form, programCategory: 'blizzards' }, cookies.adminA!, params);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ form: 'settings', errors: { programCategory: 'Choose a program category from the list' }, values: { programCategory: 'blizzards' } });
    const unset = await post(categoryPage.action, path, { ...form, programCategory: '' }, cookies.adminA!, params);
    expect((await unset.json()).errors).toEqual({ programCategory: 'Choose the program category this counts as' });

    const saved = await post(categoryPage.action, path, { ...form, programCategory: 'sidewalk' }, cookies.adminA!, params);
    expect(saved.status).toBe(200);
    expect((await listed()).categories.find((c) => c.code === 'snow-ice')).toMatchObject({ programCategory: 'sidewalk', programCategoryName: 'Sidewalk' });
    const [audit] = await withTown(somerville.id, (tx) =>
      tx.select({ before: auditLog.before, after: auditLog.after }).from(auditLog).where(and(eq(auditLog.action, 'category.updated'), eq(auditLog.entityId, 'snow-ice'))),
    );
    expect(audit).toMatchObject({ before: { programCategory: 'snow-ice' }, after: { programCategory: 'sidewalk' } });
  });

  it("town B's admin cannot remap town A's category", async () => {
    const form = { intent: 'update', name: 'Graffiti', group: 'Sanitation', programCategory: 'other', targetDays: '10' };
    expect((await post(categoryPage.action, '/admin/categories/graffiti', form, cookies.adminB!, { code: 'graffiti' })).status).toBe(403);
    const [graffiti] = await withTown(somerville.id, (tx) => tx.select({ programCategory: categories.programCategory }).from(categories).where(eq(categories.code, 'graffiti')));
    expect(graffiti?.programCategory).toBe('graffiti');
  });
});

describe('search words (category keywords)', () => {
  const path = '/admin/categories/pothole';
  const params = { code: 'pothole' };
  const keywordsOf = async (townId: number, code: string) =>
    (await withTown(townId, (tx) => tx.select({ keywords: categories.keywords }).from(categories).where(eq(categories.code, code))))[0]!.keywords;

  it('shows the registry keywords on the page, saves the admin’s, audits them, and the report form searches with them at once', async () => {
    const page = await (await get(categoryPage.loader, path, cookies.adminA!, params)).json();
    expect(page.category.keywords).toContain('pot hole');
    const before = page.category.keywords;

    const saved = await post(categoryPage.action, path, { intent: 'keywords', keywords: ' Road Crater \n\nfrost heave, road crater' }, cookies.adminA!, params);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ form: 'keywords', message: 'Search words saved.' });
    expect(await keywordsOf(somerville.id, 'pothole')).toEqual(['road crater', 'frost heave']);
    const [audit] = await withTown(somerville.id, (tx) =>
      tx.select({ before: auditLog.before, after: auditLog.after }).from(auditLog).where(and(eq(auditLog.action, 'category.keywords_updated'), eq(auditLog.entityId, 'pothole'))),
    );
    expect(audit).toEqual({ before: { keywords: before }, after: { keywords: ['road crater', 'frost heave'] } });
    const pothole = (await reportCategories()).find((c) => c.code === 'pothole') as unknown as { keywords: string[] };
    expect(pothole.keywords).toEqual(['road crater', 'frost heave']);
    // Saving the same words again records nothing.
    const audits = await auditCount(somerville.id);
    expect((await post(categoryPage.action, path, { intent: 'keywords', keywords: 'road crater\nfrost heave' }, cookies.adminA!, params)).status).toBe(200);
    expect(await auditCount(somerville.id)).toBe(audits);
  });

  it.each([
    ['a word longer than 40 characters', `fine\n${'x'.repeat(41)}`, `“${'x'.repeat(41)}” is too long: use at most 40 characters for each word or phrase`],
    ['more than 30 words', Array.from({ length: 31 }, (_, i) => `word ${i}`).join('\n'), 'List at most 30 words or phrases'],
    ['a word without letters', 'fine, ???', '“???” has no letters or digits'],
    ['control characters', 'pot\u0007hole', 'Remove the invisible control characters from this field'],
  ])('refuses %s next to the field, keeps what was typed, and writes nothing', async (_label, typed, message) => {
    const stored = await keywordsOf(somerville.id, 'pothole');
    const audits = await auditCount(somerville.id);
    const refused = await post(categoryPage.action, path, { intent: 'keywords', keywords: typed }, cookies.adminA!, params);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ form: 'keywords', errors: { keywords: message }, values: { keywords: typed } });
    expect(await keywordsOf(somerville.id, 'pothole')).toEqual(stored);
    expect(await auditCount(somerville.id)).toBe(audits);
  });

  it("lets only that town's admins change them: B's admin, A's staff, residents and state staff cannot", async () => {
    const stored = await keywordsOf(somerville.id, 'graffiti');
    for (const [who, status] of REFUSED) {
      expect([who, (await post(categoryPage.action, '/admin/categories/graffiti', { intent: 'keywords', keywords: 'hijacked' }, cookies[who]!, { code: 'graffiti' })).status]).toEqual([who, status]);
    }
    expect(await keywordsOf(somerville.id, 'graffiti')).toEqual(stored);
    // B's admin edits B's own category from B's host.
    const maldenPost = browserRequest('http://malden.localhost:3000/admin/categories/graffiti', { form: { intent: 'keywords', keywords: 'tags' }, cookie: cookies.adminB });
    expect((await call(categoryPage.action, maldenPost, { code: 'graffiti' })).status).toBe(200);
    expect(await keywordsOf(malden.id, 'graffiti')).toEqual(['tags']);
    expect(await keywordsOf(somerville.id, 'graffiti')).toEqual(stored);
  });

  it('answers 404 for a category the town does not have', async () => {
    expect((await post(categoryPage.action, '/admin/categories/nope', { intent: 'keywords', keywords: 'x' }, cookies.adminA!, { code: 'nope' })).status).toBe(404);
  });
});

describe('departments', () => {
  it('refuses to delete a department a category uses, with a clear message', async () => {
    await post(departmentsPage.action, '/admin/departments', { intent: 'create', name: 'Forestry', email: 'trees@example.gov' }, cookies.adminA!);
    const { departments } = await (await get(departmentsPage.loader, '/admin/departments', cookies.adminA!)).json();
    const forestry = (departments as { id: string; name: string }[]).find((d) => d.name === 'Forestry')!;
    await post(categoryPage.action, '/admin/categories/tree', { intent: 'update', name: 'Tree', group: 'Parks & trees', programCategory: 'trees', targetDays: '10', departmentId: forestry.id }, cookies.adminA!, { code: 'tree' });
    const refused = await post(departmentsPage.action, '/admin/departments', { intent: 'delete', id: forestry.id }, cookies.adminA!);
    expect(refused.status).toBe(409);
    expect((await refused.json()).formError).toMatch(/^Forestry cannot be deleted: the category “.+” send new requests to it/);
    const duplicate = await post(departmentsPage.action, '/admin/departments', { intent: 'create', name: 'FORESTRY' }, cookies.adminA!);
    expect((await duplicate.json()).errors.name).toBe('Another department already has this name');
  });
});

describe('staff', () => {
  it('will not let the last admin demote or remove themselves', async () => {
    // Nobody else in this file has a role in Newton.
    const newton = await townBySlug('newton');
    const lone = await createUser({ roles: [[newton, 'admin']] });
    const cookie = cookieFrom(await startSession(lone.id, new Request('http://newton.localhost:3000')));
    const request = (form: Record<string, string>) => browserRequest('http://newton.localhost:3000/admin/staff', { form, cookie });
    const demoted = await call(staffPage.action, request({ intent: 'change-role', userId: lone.id, role: 'staff' }));
    expect(demoted.status).toBe(409);
    expect((await demoted.json()).formError).toBe('You are the only administrator of Newton. Make someone else an administrator first.');
    expect((await call(staffPage.action, request({ intent: 'remove', userId: lone.id }))).status).toBe(409);
    expect(await getTownRole(newton.id, lone.id)).toBe('admin');
  });
});

describe('accepting an invitation', () => {
  async function invite(email: string, role: 'staff' | 'admin') {
    const response = await post(staffPage.action, '/admin/staff', { intent: 'invite', email, role }, cookies.adminA!);
    expect(response.status).toBe(200);
    const link = linkIn((await mailboxFor(email.toLowerCase())).at(-1)!.text);
    expect(link.origin).toBe(SOMERVILLE);
    const token = link.pathname.split('/').pop()!;
    return { path: link.pathname, params: { token } };
  }

  it('lets a newcomer create an account with the invited address and grants the role', async () => {
    const { path, params } = await invite('newcomer@example.com', 'staff');
    const page = await get(invitationPage.loader, path, null, params);
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ status: 'valid', email: 'newcomer@example.com', role: 'staff', signedInAs: null });

    const weak = await post(invitationPage.action, path, { intent: 'signup', password: 'short' }, null, params);
    expect(weak.status).toBe(422);
    const accepted = await post(invitationPage.action, path, { intent: 'signup', password: 'a long enough passphrase', displayName: 'New Person', email: 'typed@elsewhere.example' }, null, params);
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get('Location')).toBe('/staff');
    const cookie = cookieFrom(accepted.headers.get('Set-Cookie'));
    const root = await (await get(rootLoader as RouteFunction, '/', cookie)).json();
    expect(root).toMatchObject({ user: { email: 'newcomer@example.com' }, townRole: 'staff' });

    const again = await get(invitationPage.loader, path, null, params);
    expect(again.status).toBe(410);
    expect((await again.json()).message).toMatch(/already been used/);
  });

  it('lets an existing resident account sign in and accept, whatever the case of its email', async () => {
    const resident = await createUser({ email: 'Existing.Resident@Example.com' });
    const { path, params } = await invite('existing.resident@example.com', 'admin');
    const anonymous = await post(invitationPage.action, path, { intent: 'accept' }, null, params);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('Location')).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`);
    const taken = await post(invitationPage.action, path, { intent: 'signup', password: 'a long enough passphrase' }, null, params);
    expect(taken.status).toBe(409);
    expect((await taken.json()).formError).toMatch(/already exists\. Sign in with it/);

    const cookie = cookieFrom(await startSession(resident.id, new Request(SOMERVILLE)));
    expect(await (await get(invitationPage.loader, path, cookie, params)).json()).toMatchObject({ emailMatches: true });
    const accepted = await post(invitationPage.action, path, { intent: 'accept' }, cookie, params);
    expect(accepted.headers.get('Location')).toBe('/admin');
    expect(await getTownRole(somerville.id, resident.id)).toBe('admin');
  });

  it('refuses an account with another email, clearly, and keeps the invitation open', async () => {
    const { path, params } = await invite('intended@example.com', 'staff');
    const page = await (await get(invitationPage.loader, path, cookies.resident!, params)).json();
    expect(page).toMatchObject({ status: 'valid', emailMatches: false, signedInAs: people.resident!.email });
    const refused = await post(invitationPage.action, path, { intent: 'accept' }, cookies.resident!, params);
    expect(refused.status).toBe(403);
    expect((await refused.json()).formError).toBe(
      `This invitation is for intended@example.com, but you are signed in as ${people.resident!.email}. Sign out, then open the link again and sign in (or create an account) with intended@example.com.`,
    );
    expect(await getTownRole(somerville.id, people.resident!.id)).toBeNull();
    expect((await get(invitationPage.loader, path, null, params)).status).toBe(200);
  });

  it('answers 410 for an expired link and 404 for an unknown one', async () => {
    const user = await createUser({ email: 'too.late@example.com' });
    const { path, params } = await invite('too.late@example.com', 'staff');
    await withTown(somerville.id, (tx) => tx.update(staffInvitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(staffInvitations.email, 'too.late@example.com')));
    const page = await get(invitationPage.loader, path, null, params);
    expect(page.status).toBe(410);
    expect((await page.json()).message).toMatch(/has expired\. Ask an administrator of Somerville to invite you again/);
    const cookie = cookieFrom(await startSession(user.id, new Request(SOMERVILLE)));
    expect((await post(invitationPage.action, path, { intent: 'accept' }, cookie, params)).status).toBe(410);
    expect(await getTownRole(somerville.id, user.id)).toBeNull();
    expect((await get(invitationPage.loader, '/invitations/nonsense', null, { token: 'nonsense' })).status).toBe(404);
  });
});

describe('town profile', () => {
  it('refuses an accent colour white text cannot be read on, giving the measured ratio', async () => {
    const response = await post(profilePage.action, '/admin/profile', { accentColor: '#ffcc00' }, cookies.adminA!);
    expect(response.status).toBe(422);
    expect((await response.json()).errors.accentColor).toBe('White text on #ffcc00 has a contrast ratio of 1.51:1; it needs at least 4.5:1. Choose a darker colour.');
    expect((await findTownBySlug('somerville'))?.accentColor).toBe(somerville.accentColor);
  });

  it('refuses a logo that is not an image, in words', async () => {
    const response = await call(
      profilePage.action,
      multipartRequest(`${SOMERVILLE}/admin/profile`, { accentColor: '#1a4480' }, { files: [{ field: 'logo', name: 'seal.png', type: 'image/png', bytes: Buffer.from('<svg/>') }], cookie: cookies.adminA! }),
    );
    expect(response.status).toBe(422);
    expect((await response.json()).errors.logo).toMatch(/^This file is not a photo we can read\. Use a JPEG, PNG, WebP, (HEIC )?or AVIF image\.$/);
  });

  it('shows the logo and banner on every page and the welcome on the home page', async () => {
    const logo = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const saved = await call(
      profilePage.action,
      multipartRequest(`${SOMERVILLE}/admin/profile`, { accentColor: '#1a4480', welcomeMessage: 'Welcome to Somerville 311.', bannerMessage: 'Snow emergency: call 617-555-0100.' }, { files: [{ field: 'logo', name: 'seal.png', type: 'image/png', bytes: logo }], cookie: cookies.adminA! }),
    );
    expect(saved.status).toBe(200);
    const root = await (await get(rootLoader as RouteFunction, '/report', null)).json();
    expect(root.town).toMatchObject({ accentColor: '#1a4480', bannerMessage: 'Snow emergency: call 617-555-0100.', logoUrl: expect.stringMatching(`^/photos/towns/${somerville.id}/logo-[0-9a-f-]+\\.webp$`) });
    const home = await (await get(homeLoader as RouteFunction, '/', null)).json();
    expect(home.town.welcomeMessage).toBe('Welcome to Somerville 311.');
    await post(profilePage.action, '/admin/profile', { accentColor: somerville.accentColor }, cookies.adminA!);
  });
});

describe('replacing the boundary', () => {
  const preview = async (file: ReturnType<typeof geojsonFile>) => call(boundaryPage.action, multipartRequest(`${SOMERVILLE}/admin/boundary`, { intent: 'preview' }, { files: [file], cookie: cookies.adminA! }));
  const square = (lon: number, lat: number, side: number) => [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]];

  it.each([
    ['malformed JSON', '{"type": "Polygon", "coordinates": [[', 422, /not valid JSON/],
    ['an open ring', { type: 'Polygon', coordinates: [square(-71.1, 42.39, 0.01)[0]!.slice(0, 4).concat([[-71.1, 42.395]])] }, 422, /is not closed/],
    ['a square around Albany, NY', { type: 'Polygon', coordinates: square(-73.8, 42.6, 0.1) }, 422, /leaves Massachusetts/],
    ["Malden's boundary, for Somerville", registryBoundary('malden'), 422, /overlaps Malden by about/],
    ['a 6 MB file', `{"type":"Polygon","coordinates":[]${' '.repeat(6 * 1024 * 1024)}}`, 413, /larger than 5 MB/],
  ])('refuses %s with a reason', async (_name, content, status, message) => {
    const before = await auditCount(somerville.id);
    const response = await preview(geojsonFile(content));
    expect(response.status).toBe(status);
    expect((await response.json()).error).toMatch(message);
    expect(await auditCount(somerville.id)).toBe(before);
  });

  it('previews a valid replacement, saves it on confirmation and routes with it', async () => {
    const ring = registryBoundary('somerville').coordinates[0]!;
    const distinct = ring.slice(0, -1);
    const centre = [distinct.reduce((s, p) => s + p[0], 0) / distinct.length, distinct.reduce((s, p) => s + p[1], 0) / distinct.length] as const;
    const inward = distinct.map(([x, y]) => [centre[0] + (x - centre[0]) * 0.97, centre[1] + (y - centre[1]) * 0.97]);
    const response = await preview(geojsonFile({ type: 'Feature', properties: { name: 'Somerville' }, geometry: { type: 'Polygon', coordinates: [[...inward, inward[0]]] } }));
    expect(response.status).toBe(200);
    const { preview: shown } = await response.json();
    expect(shown.proposed.vertexCount).toBe(distinct.length);
    expect(shown.proposed.areaKm2).toBeLessThan(shown.current.areaKm2);
    expect(shown.outline.paths).toHaveLength(2);

    // Just inside the old boundary at its first corner: outside the new one.
    const spot = { lat: ring[0]![1] + (centre[1] - ring[0]![1]) * 0.005, lng: ring[0]![0] + (centre[0] - ring[0]![0]) * 0.005 };
    expect(await locateTown(spot.lat, spot.lng)).toMatchObject({ slug: 'somerville', how: 'inside' });
    const saved = await post(boundaryPage.action, '/admin/boundary', { intent: 'confirm', candidate: shown.candidate, basedOn: shown.basedOn }, cookies.adminA!);
    expect(saved.status).toBe(302);
    expect(saved.headers.get('Location')).toBe('/admin/boundary?saved=1');
    const routed = await locateTown(spot.lat, spot.lng);
    expect(routed.kind === 'town' && routed.slug === 'somerville' && routed.how === 'inside').toBe(false);

    const stale = await post(boundaryPage.action, '/admin/boundary', { intent: 'confirm', candidate: shown.candidate, basedOn: shown.basedOn }, cookies.adminA!);
    expect(stale.status).toBe(409);
    const entries = await withTown(somerville.id, (tx) => tx.select({ after: auditLog.after }).from(auditLog).where(eq(auditLog.action, 'town.boundary_replaced')));
    expect(entries.map((e) => (e.after as { areaKm2: number }).areaKm2)).toContain(shown.proposed.areaKm2);
  });
});
