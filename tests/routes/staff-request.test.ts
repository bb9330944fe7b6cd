import { eq } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { auditLog, departments, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { createServiceRequest } from '~/modules/requests/create-request.server';
import { addInternalNote, getStaffRequest } from '~/modules/staff/request-work.server';
import { createTemplate, getTemplate, listTemplates } from '~/modules/templates/response-templates.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { loader as publicLoader } from '~/routes/requests.$trackingNumber';
import { action as bulkAction } from '~/routes/staff.bulk';
import { action as requestAction, loader as requestLoader } from '~/routes/staff.requests.$trackingNumber';
import { action as templatesAction, loader as templatesLoader } from '~/routes/staff.templates';
import { startSession } from '~/utils/auth.server';
import type { TownStaff } from '~/utils/capabilities.server';
import { townLinks } from '~/utils/town.server';
import { townAdminFor, townStaffFor } from '../capabilities';
import { browserRequest, cookieFrom, createUser, townBySlug } from '../factories';
import { PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const ctx = { clientIp: '10.3.3.3' };
const WHO = ['anonymous', 'resident', 'staffA', 'adminA', 'staffB', 'state'] as const;
type Who = (typeof WHO)[number];
/** Somerville is town A, Malden town B. */
const ALLOWED: Record<Who, boolean> = { anonymous: false, resident: false, staffA: true, adminA: true, staffB: false, state: false };

let somerville: TownProfile;
const cookies: Partial<Record<Who, string>> = {};
const people: Partial<Record<Who, { id: string; email: string }>> = {};
let publicWorks: string;
let asStaffA: TownStaff;
let asStaffB: TownStaff;

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  const malden = await townBySlug('malden');
  people.resident = await createUser();
  people.staffA = await createUser({ roles: [[somerville, 'staff']] });
  people.adminA = await createUser({ roles: [[somerville, 'admin']] });
  people.staffB = await createUser({ roles: [[malden, 'staff']] });
  people.state = await createUser({ stateStaff: true });
  asStaffA = await townStaffFor(somerville, people.staffA);
  asStaffB = await townStaffFor(malden, people.staffB);
  for (const who of WHO) if (who !== 'anonymous') cookies[who] = cookieFrom(await startSession(people[who]!.id, new Request(SOMERVILLE)));
  publicWorks = uuidv7();
  await withTown(somerville.id, (tx) => tx.insert(departments).values({ townId: somerville.id, id: publicWorks, name: 'Public Works' }));
});


/** `entries` may repeat a name (ticked checkboxes). */
const post = (path: string, entries: [string, string][], who: Who) => browserRequest(`${SOMERVILLE}${path}`, { form: entries, cookie: cookies[who] });

let n = 0;
async function file(email: string | null = null) {
  n++;
  const created = await createServiceRequest({
    town: somerville,
    categoryCode: 'graffiti',
    description: `Staff route test ${n}`,
    location: { lat: 42.381 + n * 0.0001, lng: -71.105, address: null, source: 'map' },
    answers: {},
    reporter: { userId: null, email, name: null },
    photos: [],
    idempotencyKey: uuidv7(),
    links: townLinks('somerville'),
  });
  if (created.kind !== 'filed') throw new Error('not filed');
  return created.trackingNumber;
}

const snapshot = async (trackingNumber: string) => {
  const request = (await getStaffRequest(asStaffA, trackingNumber))!;
  const audit = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(eq(auditLog.entityId, trackingNumber)));
  return { status: request.status, version: request.version, category: request.category.code, lat: request.lat, events: request.timeline.length, audit: audit.length };
};

function expectOutcome(response: Response, who: Who) {
  if (who === 'anonymous') {
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toMatch(/^\/login\?/);
  } else if (!ALLOWED[who]) {
    expect(response.status).toBe(403);
  }
}

const INTENTS: [string, (version: number) => [string, string][]][] = [
  ['acknowledge', () => []],
  ['status', () => [['to', 'not_fixed'], ['reason', 'On private property']]],
  ['assign', () => [['departmentId', publicWorks], ['assigneeUserId', people.adminA!.id]]],
  ['priority', () => [['priority', 'urgent']]],
  ['note', () => [['note', 'Checked with the crew.']]],
  ['reply', () => [['message', 'A crew is on the way.']]],
  ['recategorise', () => [['categoryCode', 'pothole']]],
  ['relocate', () => [['lat', String(PLACES.somervilleCityHall.lat)], ['lng', String(PLACES.somervilleCityHall.lng)], ['address', '93 Highland Ave']]],
];

describe('staff request page: who may do what', () => {
  it.each(WHO)('%s: opening the page', async (who) => {
    const trackingNumber = await file();
    const response = await settle(requestLoader({ request: browserRequest(`${SOMERVILLE}/staff/requests/${trackingNumber}`, { cookie: cookies[who] }), params: { trackingNumber }, context: ctx }));
    expectOutcome(response, who);
    if (ALLOWED[who]) {
      expect(response.status).toBe(200);
      expect((await response.json()).request.trackingNumber).toBe(trackingNumber);
    }
  });

  const cases = WHO.flatMap((who) => INTENTS.map(([intent, fields]) => [who, intent, fields] as const));
  it.each(cases)('%s: %s', async (who, intent, fields) => {
    const trackingNumber = await file();
    const before = await snapshot(trackingNumber);
    const form: [string, string][] = [['intent', intent], ['expectedVersion', String(before.version)], ...fields(before.version)];
    const response = await settle(requestAction({ request: post(`/staff/requests/${trackingNumber}`, form, who), params: { trackingNumber }, context: ctx }));
    expectOutcome(response, who);
    const after = await snapshot(trackingNumber);
    if (ALLOWED[who]) {
      expect(response.status).toBe(302);
      expect(response.headers.get('Location')).toBe(`/staff/requests/${trackingNumber}?done=${intent}`);
      expect(after.version).toBe(before.version + 1);
      expect(after.audit).toBe(1);
    } else {
      expect(after).toEqual(before);
    }
  });
});

describe('staff request page: behaviour', () => {
  const staffPost = (trackingNumber: string, form: [string, string][]) =>
    settle(requestAction({ request: post(`/staff/requests/${trackingNumber}`, form, 'staffA'), params: { trackingNumber }, context: ctx }));
  const staffPage = async (trackingNumber: string, search = '') =>
    (await requestLoader({ request: browserRequest(`${SOMERVILLE}/staff/requests/${trackingNumber}${search}`, { cookie: cookies.staffA }), params: { trackingNumber }, context: ctx })).json();

  it('a second close at the same version is 409 and changes nothing', async () => {
    const trackingNumber = await file();
    const { version } = await snapshot(trackingNumber);
    const close = (to: string, reason = '') => staffPost(trackingNumber, [['intent', 'status'], ['expectedVersion', String(version)], ['to', to], ['reason', reason]]);
    expect((await close('fixed')).status).toBe(302);
    const stale = await close('not_fixed', 'Not ours');
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ intent: 'status', formError: expect.stringMatching(/changed this request meanwhile/), values: { reason: 'Not ours' } });
    expect(await snapshot(trackingNumber)).toMatchObject({ status: 'fixed', version: version + 1 });
  });

  it('answers field errors with 422 and invalid transitions with a message', async () => {
    const trackingNumber = await file();
    const { version } = await snapshot(trackingNumber);
    const withVersion = (form: [string, string][]) => staffPost(trackingNumber, [['expectedVersion', String(version)], ...form]);
    const noReason = await withVersion([['intent', 'status'], ['to', 'not_fixed']]);
    expect(noReason.status).toBe(422);
    expect((await noReason.json()).fieldErrors).toEqual({ reason: 'Say why the request is closed without a fix.' });
    const badLat = await withVersion([['intent', 'relocate'], ['lat', 'north'], ['lng', '-71.1']]);
    expect(badLat.status).toBe(422);
    expect((await badLat.json()).fieldErrors).toEqual({ lat: 'Enter the latitude as a decimal number.' });
    const outside = await withVersion([['intent', 'relocate'], ['lat', String(PLACES.albanyNY.lat)], ['lng', String(PLACES.albanyNY.lng)]]);
    expect(outside.status).toBe(422);
    expect((await outside.json()).fieldErrors.location).toMatch(/not in a Massachusetts/);
    const withdraw = await withVersion([['intent', 'status'], ['to', 'withdrawn']]);
    expect(withdraw.status).toBe(422);
    expect((await withdraw.json()).formError).toMatch(/cannot become "Withdrawn"/);
    const unknown = await withVersion([['intent', 'delete-everything']]);
    expect(unknown.status).toBe(400);
    expect(await snapshot(trackingNumber)).toMatchObject({ status: 'submitted', version });
    const missing = await settle(requestAction({ request: post('/staff/requests/SOM-999999', [['intent', 'note'], ['expectedVersion', '1'], ['note', 'x']], 'staffA'), params: { trackingNumber: 'SOM-999999' }, context: ctx }));
    expect(missing.status).toBe(404);
  });

  it('shows staff internal notes and withdrawn requests; the public page shows neither', async () => {
    const trackingNumber = await file('page-reporter@example.com');
    await addInternalNote(asStaffA, { trackingNumber, expectedVersion: 1 }, 'Secret crew note');
    const page = await staffPage(trackingNumber);
    expect(page.request.timeline.map((e: { kind: string; public: boolean }) => [e.kind, e.public])).toEqual([
      ['submitted', true],
      ['internal_note', false],
    ]);
    expect(page.request.reporter.email).toBe('page-reporter@example.com');
    const publicPage = await (await publicLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: ctx })).json();
    expect(JSON.stringify(publicPage)).not.toContain('Secret crew note');
    expect(JSON.stringify(publicPage)).not.toContain('page-reporter@example.com');

    await withTown(somerville.id, (tx) => tx.update(serviceRequests).set({ status: 'withdrawn' }).where(eq(serviceRequests.trackingNumber, trackingNumber)));
    expect((await staffPage(trackingNumber)).request).toMatchObject({ status: 'withdrawn', withdrawn: true });
    const gone = await settle(publicLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: ctx }));
    expect(gone.status).toBe(404);
  });

  it('puts a chosen template in the reply box without JavaScript (?template=)', async () => {
    const trackingNumber = await file();
    const created = await createTemplate(asStaffA, { title: 'Scheduled', body: 'A crew is scheduled this week.' });
    if (!created.ok) throw new Error('no template');
    const page = await staffPage(trackingNumber, `?template=${created.template.id}`);
    expect(page).toMatchObject({ chosenTemplateId: created.template.id, replyDraft: 'A crew is scheduled this week.' });
    expect(page.templates).toContainEqual(created.template);
    expect((await staffPage(trackingNumber, '?template=nonsense')).replyDraft).toBe('');
  });

  it('moves a request whose corrected spot is in another town, and says so', async () => {
    const trackingNumber = await file();
    const response = await staffPost(trackingNumber, [
      ['intent', 'relocate'],
      ['expectedVersion', '1'],
      ['lat', String(PLACES.maldenCityHall.lat)],
      ['lng', String(PLACES.maldenCityHall.lng)],
      ['transferNote', 'The pole is on the Malden side.'],
    ]);
    expect(response.headers.get('Location')).toBe(`/staff/requests/${trackingNumber}?done=transferred`);
    expect((await staffPage(trackingNumber)).request).toMatchObject({ status: 'referred', referredTo: expect.stringMatching(/^Malden \(MAL-\d+\)$/) });
  });
});

describe('bulk actions', () => {
  it.each(WHO)('%s: acknowledging two requests', async (who) => {
    const numbers = [await file(), await file()];
    const before = await Promise.all(numbers.map(snapshot));
    const form: [string, string][] = [...numbers.map((t): [string, string] => ['trackingNumbers', t]), ['operation', 'acknowledge'], ['returnTo', '/staff?status=open']];
    const response = await settle(bulkAction({ request: post('/staff/bulk', form, who), params: {}, context: ctx }));
    expectOutcome(response, who);
    const after = await Promise.all(numbers.map(snapshot));
    if (ALLOWED[who]) {
      expect(response.status).toBe(302);
      expect(response.headers.get('Location')).toBe('/staff?status=open&bulk=2%2C0');
      expect(after.map((a) => a.status)).toEqual(['acknowledged', 'acknowledged']);
    } else {
      expect(after).toEqual(before);
    }
  });

  it('reports failures per request and only returns to the staff console', async () => {
    const open = await file();
    const closed = await file();
    await settle(bulkAction({ request: post('/staff/bulk', [['trackingNumbers', closed], ['operation', 'close'], ['closeStatus', 'fixed']], 'staffA'), params: {}, context: ctx }));
    const bulk = (returnTo: string) =>
      settle(
        bulkAction({
          request: post('/staff/bulk', [['trackingNumbers', open], ['trackingNumbers', closed], ['operation', 'close'], ['closeStatus', 'referred'], ['reason', 'MassDOT'], ['returnTo', returnTo]], 'staffA'),
          params: {},
          context: ctx,
        }),
      );
    const response = await bulk('/staff?page=2&bulk=9,9');
    // The failure names its cause by code: a fixed request cannot become referred.
    expect(response.headers.get('Location')).toBe(`/staff?page=2&bulk=1%2C1&${new URLSearchParams({ bulkFailed: `${closed}~staffWork.status.cannot_become~fixed~referred` })}`);
    expect(await snapshot(open)).toMatchObject({ status: 'referred' });
    expect((await getStaffRequest(asStaffA, open))!.referredTo).toBe('MassDOT');
    for (const elsewhere of ['https://evil.example/staff', '//evil.example/staff', '/account', '/staffing']) {
      const failed = [`${open}~staffWork.status.cannot_become~referred~referred`, `${closed}~staffWork.status.cannot_become~fixed~referred`];
      expect((await bulk(elsewhere)).headers.get('Location')).toBe(`/staff?bulk=0%2C2&${new URLSearchParams(failed.map((f) => ['bulkFailed', f]))}`);
    }
    const nonsense = await settle(bulkAction({ request: post('/staff/bulk', [['trackingNumbers', open], ['operation', 'explode']], 'staffA'), params: {}, context: ctx }));
    expect(nonsense.headers.get('Location')).toBe('/staff?bulk=0%2C1');
  });
});

describe('response templates page', () => {
  const templatesPost = (form: [string, string][], who: Who) => settle(templatesAction({ request: post('/staff/templates', form, who), params: {}, context: ctx }));

  it.each(WHO)('%s: listing, creating, editing and deleting', async (who) => {
    const existing = await createTemplate(await townAdminFor(somerville, people.adminA!), { title: `Existing for ${who}`, body: 'Body' });
    if (!existing.ok) throw new Error('no template');
    const id = existing.template.id;

    const page = await settle(templatesLoader({ request: browserRequest(`${SOMERVILLE}/staff/templates`, { cookie: cookies[who] }), params: {}, context: ctx }));
    expectOutcome(page, who);
    if (ALLOWED[who]) expect(page.status).toBe(200);

    const created = await templatesPost([['intent', 'create'], ['title', `New from ${who}`], ['body', 'Thanks for reporting.']], who);
    const updated = await templatesPost([['intent', 'update'], ['id', id], ['title', `Edited by ${who}`], ['body', 'Edited.']], who);
    for (const response of [created, updated]) expectOutcome(response, who);
    if (ALLOWED[who]) {
      expect(created.headers.get('Location')).toBe('/staff/templates?done=created');
      expect(updated.headers.get('Location')).toBe('/staff/templates?done=updated');
      expect((await listTemplates(asStaffA)).map((t) => t.title)).toEqual(expect.arrayContaining([`New from ${who}`, `Edited by ${who}`]));
    } else {
      expect((await listTemplates(asStaffA)).map((t) => t.title)).not.toContain(`New from ${who}`);
      expect(await getTemplate(asStaffA, id)).toEqual(existing.template);
    }
    const deleted = await templatesPost([['intent', 'delete'], ['id', id]], who);
    expectOutcome(deleted, who);
    if (ALLOWED[who]) expect(deleted.headers.get('Location')).toBe('/staff/templates?done=deleted');
    expect(await getTemplate(asStaffA, id)).toEqual(ALLOWED[who] ? null : existing.template);
  });

  it('keeps what was typed and explains each field on a validation error', async () => {
    const response = await templatesPost([['intent', 'create'], ['title', ''], ['body', 'x'.repeat(4001)]], 'staffA');
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      formId: 'new',
      fieldErrors: { title: 'Give the template a title.', body: 'Use at most 4000 characters.' },
      values: { title: '', body: 'x'.repeat(4001) },
    });
  });

  it("another town's template cannot be edited or deleted from this town's host", async () => {
    const theirs = await createTemplate(asStaffB, { title: 'Malden only', body: 'Body' });
    if (!theirs.ok) throw new Error('no template');
    expect((await templatesPost([['intent', 'delete'], ['id', theirs.template.id]], 'staffA')).status).toBe(404);
    expect((await templatesPost([['intent', 'update'], ['id', theirs.template.id], ['title', 'Mine now'], ['body', 'x']], 'staffA')).status).toBe(404);
    expect(await getTemplate(asStaffB, theirs.template.id)).toEqual(theirs.template);
  });
});
