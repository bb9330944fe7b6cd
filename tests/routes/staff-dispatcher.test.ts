/**
 * The queue at dispatcher speed: sorting, "all N matching" bulk actions and each bulk action with
 * its named failures, priority, saved views (personal, shared, another town), the way back to the
 * exact view and the map of every matching request.
 */
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { auditLog, requestEvents, savedQueueViews, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { createServiceRequest } from '~/modules/requests/create-request.server';
import { getStaffRequest } from '~/modules/staff/request-work.server';
import type { TownStaff } from '~/utils/capabilities.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { action as bulkAction } from '~/routes/staff.bulk';
import { action as queueAction, loader as queueLoader } from '~/routes/staff._index';
import { loader as mapLoader } from '~/routes/staff.map[.]json';
import { action as requestAction, loader as requestLoader } from '~/routes/staff.requests.$trackingNumber';
import { startSession } from '~/utils/auth.server';
import { townLinks } from '~/utils/town.server';
import { townStaffFor } from '../capabilities';
import { browserRequest, cookieFrom, createUser, townBySlug } from '../factories';
import { settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const MALDEN = 'http://malden.localhost:3000';
const ctx = { clientIp: '10.3.3.4' };

let somerville: TownProfile;
let malden: TownProfile;
const cookies = { staffA: '', staffA2: '', adminA: '', staffB: '' };
let asStaffA: TownStaff;

const hostOf = (who: keyof typeof cookies) => (who === 'staffB' ? MALDEN : SOMERVILLE);
const openQueue = async (search: string, who: keyof typeof cookies = 'staffA') => {
  const response = await settle(queueLoader({ request: browserRequest(`${hostOf(who)}/staff${search}`, { cookie: cookies[who] }), params: {}, context: ctx }));
  expect(response.status).toBe(200);
  return response.json();
};
const queuePost = (form: [string, string][], who: keyof typeof cookies = 'staffA') =>
  settle(queueAction({ request: browserRequest(`${hostOf(who)}/staff?index`, { form, cookie: cookies[who] }), params: {}, context: ctx }));
const bulk = (form: [string, string][], who: keyof typeof cookies = 'staffA') => settle(bulkAction({ request: browserRequest(`${hostOf(who)}/staff/bulk`, { form, cookie: cookies[who] }), params: {}, context: ctx }));
const trackingOf = (data: { items: { trackingNumber: string }[] }) => data.items.map((i) => i.trackingNumber);

async function file(town: TownProfile, description: string, categoryCode = 'graffiti'): Promise<string> {
  const created = await createServiceRequest({
    town,
    categoryCode,
    description,
    location: { lat: 42.387 + Math.random() * 0.002, lng: -71.1 + Math.random() * 0.002, address: null, source: 'map' },
    answers: {},
    reporter: { userId: null, email: null, name: null },
    photos: [],
    idempotencyKey: uuidv7(),
    links: townLinks(town.slug),
  });
  if (created.kind !== 'filed') throw new Error('not filed');
  return created.trackingNumber;
}

/** Requests with a word of their own, so each test's search finds only its own. */
async function fileMany(word: string, count: number): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) numbers.push(await file(somerville, `${word} number ${i}`));
  return numbers;
}

const request = async (trackingNumber: string) => (await getStaffRequest(asStaffA, trackingNumber))!;

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  malden = await townBySlug('malden');
  const people = {
    staffA: await createUser({ roles: [[somerville, 'staff']], displayName: 'Dana Dispatcher' }),
    staffA2: await createUser({ roles: [[somerville, 'staff']] }),
    adminA: await createUser({ roles: [[somerville, 'admin']] }),
    staffB: await createUser({ roles: [[malden, 'staff']] }),
  };
  for (const who of Object.keys(cookies) as (keyof typeof cookies)[]) cookies[who] = cookieFrom(await startSession(people[who].id, new Request(hostOf(who))));
  asStaffA = await townStaffFor(somerville, people.staffA);
});

describe('sorting', () => {
  it('sorts by the column headers, which are links, and says which column is sorted', async () => {
    const [a, b, c] = await fileMany('sortable', 3);
    await withTown(somerville.id, async (tx) => {
      await tx.update(serviceRequests).set({ priority: 'urgent', dueAt: new Date('2099-03-01T00:00:00Z') }).where(eq(serviceRequests.trackingNumber, a!));
      await tx.update(serviceRequests).set({ dueAt: new Date('2099-01-01T00:00:00Z') }).where(eq(serviceRequests.trackingNumber, b!));
      await tx.update(serviceRequests).set({ priority: 'low', dueAt: new Date('2099-02-01T00:00:00Z') }).where(eq(serviceRequests.trackingNumber, c!));
    });
    const byDefault = await openQueue('?q=sortable');
    expect(byDefault.filters.sort).toBe('priority');
    expect(trackingOf(byDefault)).toEqual([a, b, c]);
    expect(byDefault.sortLinks).toEqual({
      priority: '/staff?q=sortable',
      newest: '/staff?q=sortable&sort=newest',
      oldest: '/staff?q=sortable&sort=oldest',
      due: '/staff?q=sortable&sort=due',
      updated: '/staff?q=sortable&sort=updated',
    });
    expect(trackingOf(await openQueue('?q=sortable&sort=due'))).toEqual([b, c, a]);
    expect(trackingOf(await openQueue('?q=sortable&sort=oldest'))).toEqual([a, b, c]);
    expect(trackingOf(await openQueue('?q=sortable&sort=newest'))).toEqual([c, b, a]);
    expect((await openQueue('?q=sortable&sort=newest')).items[0]).toMatchObject({ trackingNumber: c, priority: 'low', ageDays: 0, categoryName: 'Graffiti' });
  });

  it('filters by priority', async () => {
    const [urgent, normal] = await fileMany('prioritised', 2);
    await withTown(somerville.id, (tx) => tx.update(serviceRequests).set({ priority: 'urgent' }).where(eq(serviceRequests.trackingNumber, urgent!)));
    expect(trackingOf(await openQueue('?q=prioritised&priority=urgent'))).toEqual([urgent]);
    expect(trackingOf(await openQueue('?q=prioritised&priority=normal'))).toEqual([normal]);
  });
});

describe('bulk actions on all matching requests', () => {
  it('applies to every request the view matches, not only the ticked or shown ones, and comes back to the view', async () => {
    const matching = await fileMany('everymatch', 4);
    const [other] = await fileMany('notmatching', 1);
    const response = await bulk([
      ['scope', 'matching'],
      // The page showed two; all four match.
      ['query', 'q=everymatch&pageSize=2'],
      ['trackingNumbers', other!],
      ['operation', 'priority'],
      ['priority', 'high'],
      ['returnTo', '/staff?q=everymatch&pageSize=2'],
    ]);
    expect(response.headers.get('Location')).toBe('/staff?q=everymatch&pageSize=2&bulk=4%2C0');
    expect((await Promise.all(matching.map(request))).map((r) => r.priority)).toEqual(['high', 'high', 'high', 'high']);
    expect((await request(other!)).priority).toBe('normal');
    const audits = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(and(eq(auditLog.entityId, matching[0]!), eq(auditLog.action, 'priority_changed'))));
    expect(audits).toMatchObject([{ before: { priority: 'normal' }, after: { priority: 'high' } }]);
  });

  it('"all on this page" acts on the page shown, without JavaScript ticking anything', async () => {
    const [first, second] = await fileMany('wholepage', 2);
    const response = await bulk([['scope', 'page'], ['pageNumbers', first!], ['pageNumbers', second!], ['operation', 'acknowledge']]);
    expect(response.headers.get('Location')).toBe('/staff?bulk=2%2C0');
    expect((await request(first!)).status).toBe('acknowledged');
  });

  it("never reaches another town's requests, whatever the query", async () => {
    const [theirs] = [await file(malden, 'everymatch in Malden')];
    await bulk([['scope', 'matching'], ['query', 'q=everymatch&status=open&status=closed'], ['operation', 'note'], ['message', 'Checked.']]);
    const response = await bulk([['trackingNumbers', theirs!], ['operation', 'acknowledge']]);
    expect(response.headers.get('Location')).toBe(`/staff?bulk=0%2C1&${new URLSearchParams({ bulkFailed: `${theirs}~staffWork.notFound` })}`);
  });
});

describe('each bulk action', () => {
  const events = async (trackingNumber: string) => (await request(trackingNumber)).timeline.map((e) => ({ kind: e.kind, public: e.public, message: e.message }));

  it('replies to residents (public) and adds internal notes (staff only)', async () => {
    const [one, two] = await fileMany('bulkreply', 2);
    const ticked: [string, string][] = [['trackingNumbers', one!], ['trackingNumbers', two!]];
    expect((await bulk([...ticked, ['operation', 'reply'], ['message', 'A crew is on the way.']])).headers.get('Location')).toBe('/staff?bulk=2%2C0');
    expect((await bulk([...ticked, ['operation', 'note'], ['message', 'Crew 3 has these.']])).headers.get('Location')).toBe('/staff?bulk=2%2C0');
    for (const n of [one!, two!]) {
      expect(await events(n)).toEqual(
        expect.arrayContaining([
          { kind: 'public_reply', public: true, message: 'A crew is on the way.' },
          { kind: 'internal_note', public: false, message: 'Crew 3 has these.' },
        ]),
      );
    }
  });

  it('recategorises, and names the request already in that category', async () => {
    const [one] = await fileMany('bulkrecat', 1);
    const [pothole] = [await file(somerville, 'bulkrecat already', 'pothole')];
    const response = await bulk([['trackingNumbers', one!], ['trackingNumbers', pothole!], ['operation', 'recategorise'], ['categoryCode', 'pothole']]);
    const location = response.headers.get('Location')!;
    expect(location).toBe(`/staff?bulk=1%2C1&${new URLSearchParams({ bulkCategory: 'pothole', bulkFailed: `${pothole}~staffWork.categoryCode.unchanged` })}`);
    expect((await request(one!)).category.code).toBe('pothole');
    const back = await openQueue(location.slice('/staff'.length));
    expect(back.bulkResult.failures).toEqual([{ trackingNumber: pothole, cause: expect.stringContaining('Pothole') }]);
  });

  it('names the real cause of each failure: closing as not fixed needs a reason, an empty reply, a withdrawn request', async () => {
    const [one, two] = await fileMany('bulkfail', 2);
    const closing = await bulk([['trackingNumbers', one!], ['trackingNumbers', two!], ['operation', 'close'], ['closeStatus', 'not_fixed'], ['reason', '']]);
    const location = closing.headers.get('Location')!;
    expect(location).toBe(`/staff?bulk=0%2C2&${new URLSearchParams([['bulkFailed', `${one}~staffWork.reason.required`], ['bulkFailed', `${two}~staffWork.reason.required`]])}`);
    const page = await openQueue(location.slice('/staff'.length));
    expect(page.bulkResult).toEqual({
      succeeded: 0,
      failed: 2,
      failures: [
        { trackingNumber: one, cause: 'Say why the request is closed without a fix.' },
        { trackingNumber: two, cause: 'Say why the request is closed without a fix.' },
      ],
    });
    expect((await request(one!)).status).toBe('submitted');

    const reply = await bulk([['trackingNumbers', one!], ['operation', 'reply'], ['message', '  ']]);
    expect(reply.headers.get('Location')).toBe(`/staff?bulk=0%2C1&${new URLSearchParams({ bulkFailed: `${one}~staffWork.message.required` })}`);
    const priority = await bulk([['trackingNumbers', one!], ['operation', 'priority'], ['priority', 'extreme']]);
    expect(priority.headers.get('Location')).toBe(`/staff?bulk=0%2C1&${new URLSearchParams({ bulkFailed: `${one}~staffWork.priority.required` })}`);
  });

  it('keeps the optimistic lock: a request changed since it was read is not overwritten', async () => {
    const [one] = await fileMany('bulklock', 1);
    const before = await request(one!);
    await bulk([['trackingNumbers', one!], ['operation', 'priority'], ['priority', 'urgent']]);
    const after = await request(one!);
    expect(after.version).toBe(before.version + 1);
    expect(after.timeline.at(-1)).toMatchObject({ kind: 'priority_changed', public: false, message: 'Normal → Urgent' });
  });
});

describe('priority on the request page', () => {
  const page = async (trackingNumber: string, search = '') =>
    settle(requestLoader({ request: browserRequest(`${SOMERVILLE}/staff/requests/${trackingNumber}${search}`, { cookie: cookies.staffA }), params: { trackingNumber }, context: ctx }));
  const post = (trackingNumber: string, form: [string, string][], search = '') =>
    settle(requestAction({ request: browserRequest(`${SOMERVILLE}/staff/requests/${trackingNumber}${search}`, { form, cookie: cookies.staffA }), params: { trackingNumber }, context: ctx }));

  it('is set by staff, audited, refused at a stale version, and shown on the page the crew opens', async () => {
    const [one] = await fileMany('crewview', 1);
    const { version } = await request(one!);
    expect((await (await page(one!)).json()).request.priority).toBe('normal');
    const set = await post(one!, [['intent', 'priority'], ['expectedVersion', String(version)], ['priority', 'urgent']]);
    expect(set.headers.get('Location')).toBe(`/staff/requests/${one}?done=priority`);
    expect((await (await page(one!)).json()).request.priority).toBe('urgent');
    const stale = await post(one!, [['intent', 'priority'], ['expectedVersion', String(version)], ['priority', 'low']]);
    expect(stale.status).toBe(409);
    const bad = await post(one!, [['intent', 'priority'], ['expectedVersion', String(version + 1)], ['priority', 'whenever']]);
    expect(bad.status).toBe(422);
    expect((await bad.json()).fieldErrors.priority).toBe('Choose low, normal, high or urgent.');
    expect((await request(one!)).priority).toBe('urgent');
    expect(trackingOf(await openQueue('?q=crewview&priority=urgent'))).toEqual([one]);
  });

  it('"Back to the queue" returns to the exact view the staff member came from, through every action', async () => {
    const [one] = await fileMany('wayback', 1);
    const data = await openQueue('?q=wayback&sort=due&pageSize=25&page=1&priority=normal');
    expect(data.back).toBe('priority=normal&q=wayback&sort=due&pageSize=25');
    const search = `?${new URLSearchParams({ back: data.back })}`;
    expect((await (await page(one!, search)).json()).queueHref).toBe('/staff?priority=normal&q=wayback&sort=due&pageSize=25');
    const { version } = await request(one!);
    const done = await post(one!, [['intent', 'note'], ['expectedVersion', String(version)], ['note', 'On it']], search);
    expect(done.headers.get('Location')).toBe(`/staff/requests/${one}?done=note&${new URLSearchParams({ back: data.back })}`);
    // Anything else in `back` is read as queue filters: it can only lead to a queue view.
    expect((await (await page(one!, `?back=${encodeURIComponent('//evil.example/&sort=bogus&page=3')}`)).json()).queueHref).toBe('/staff?page=3');
    expect((await (await page(one!)).json()).queueHref).toBe('/staff');
  });
});

describe('saved views', () => {
  const viewsOf = async (who: keyof typeof cookies) => (await openQueue('', who)).savedViews.map((v: { name: string }) => v.name);

  it('saves the current filters and sort under a name, personal or shared, and opens them as a link', async () => {
    const saved = await queuePost([['intent', 'saveView'], ['name', 'My overdue'], ['query', 'overdue=1&assignee=me&sort=due&page=4']]);
    expect(saved.status).toBe(302);
    const location = saved.headers.get('Location')!;
    expect(location).toMatch(/^\/staff\?assignee=me&overdue=1&sort=due&saved=[0-9a-f-]{36}$/);
    const page = await openQueue(location.slice('/staff'.length));
    expect(page.savedName).toBe('My overdue');
    expect(page.savedViews).toEqual([expect.objectContaining({ name: 'My overdue', shared: false, mine: true, canDelete: true, href: '/staff?assignee=me&overdue=1&sort=due', current: true })]);

    await queuePost([['intent', 'saveView'], ['name', 'Unassigned potholes'], ['query', 'assignee=unassigned&category=pothole'], ['shared', '1']]);
    expect(await viewsOf('staffA')).toEqual(['My overdue', 'Unassigned potholes']);
    // Another staff member of the town sees the shared view only; another town sees none.
    expect((await openQueue('', 'staffA2')).savedViews).toEqual([expect.objectContaining({ name: 'Unassigned potholes', shared: true, mine: false, canDelete: false, ownerName: 'Dana Dispatcher' })]);
    expect(await viewsOf('adminA')).toEqual(['Unassigned potholes']);
    expect(await viewsOf('staffB')).toEqual([]);
    const audit = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(and(eq(auditLog.entityType, 'saved_view'), eq(auditLog.entityId, 'Unassigned potholes'))));
    expect(audit).toMatchObject([{ action: 'saved_view.created', after: { query: 'category=pothole&assignee=unassigned', shared: true } }]);
  });

  it('saving again under the same name replaces the view; a name is required', async () => {
    await queuePost([['intent', 'saveView'], ['name', 'Replace me'], ['query', 'sort=oldest']], 'staffA2');
    await queuePost([['intent', 'saveView'], ['name', 'replace  ME'], ['query', 'sort=newest']], 'staffA2');
    expect((await openQueue('', 'staffA2')).savedViews.filter((v: { mine: boolean }) => v.mine)).toEqual([expect.objectContaining({ name: 'replace ME', query: 'sort=newest' })]);
    const unnamed = await queuePost([['intent', 'saveView'], ['name', '  '], ['query', '']], 'staffA2');
    expect(unnamed.status).toBe(422);
    expect(await unnamed.json()).toEqual({ error: 'Name the view.', name: '  ' });
  });

  it('only the creator deletes a view; an admin may also delete a shared one; nobody else sees a personal one to delete', async () => {
    await queuePost([['intent', 'saveView'], ['name', 'Shared to delete'], ['query', 'status=closed'], ['shared', '1']]);
    await queuePost([['intent', 'saveView'], ['name', 'Personal to keep'], ['query', 'status=fixed']]);
    const ids = Object.fromEntries((await openQueue('')).savedViews.map((v: { name: string; id: string }) => [v.name, v.id]));
    const remove = (id: string, who: keyof typeof cookies) => queuePost([['intent', 'deleteView'], ['viewId', id], ['returnTo', 'sort=due&page=2']], who);
    expect((await remove(ids['Shared to delete'], 'staffA2')).status).toBe(403);
    expect((await remove(ids['Personal to keep'], 'staffA2')).status).toBe(404);
    expect((await remove(ids['Personal to keep'], 'adminA')).status).toBe(404);
    expect((await remove(ids['Shared to delete'], 'staffB')).status).toBe(404);
    const deleted = await remove(ids['Shared to delete'], 'adminA');
    expect(deleted.headers.get('Location')).toBe('/staff?sort=due&page=2&deleted=1');
    expect(await viewsOf('staffA')).not.toContain('Shared to delete');
    expect((await remove(ids['Personal to keep'], 'staffA')).status).toBe(302);
    const rows = await withTown(somerville.id, (tx) => tx.select().from(savedQueueViews).where(eq(savedQueueViews.name, 'Personal to keep')));
    expect(rows).toEqual([]);
  });
});

describe('the map of every matching request', () => {
  const openMap = (search: string, who: keyof typeof cookies = 'staffA', host = SOMERVILLE) =>
    settle(mapLoader({ request: browserRequest(`${host}/staff/map.json${search}`, { cookie: cookies[who] }), params: {}, context: ctx }));
  const somervilleView = 'bbox=-71.14,42.37,-71.07,42.42';

  it('clusters every request the filters match, not one page, counting the overdue', async () => {
    const numbers = await fileMany('mapped', 3);
    await withTown(somerville.id, (tx) => tx.update(serviceRequests).set({ dueAt: new Date('2020-01-01T00:00:00Z') }).where(eq(serviceRequests.trackingNumber, numbers[0]!)));
    const whole = await (await openMap(`?q=mapped&pageSize=1&${somervilleView}&zoom=10`)).json();
    expect(whole.total).toBe(3);
    expect(whole.clusters).toEqual([{ lat: expect.any(Number), lng: expect.any(Number), count: 3, overdue: 1, request: null }]);
    const close = await (await openMap('?q=mapped&overdue=1&bbox=-71.101,42.386,-71.097,42.39&zoom=16')).json();
    expect(close.clusters).toEqual([expect.objectContaining({ count: 1, overdue: 1, request: { trackingNumber: numbers[0], categoryName: 'Graffiti', status: 'submitted' } })]);
  });

  it("is the town's staff's only, and refuses a view too large to cluster", async () => {
    expect((await openMap(`?${somervilleView}&zoom=10`, 'staffB')).status).toBe(403);
    // On its own site, Malden's staff see Malden's requests only.
    expect(await (await openMap(`?q=mapped&${somervilleView}&zoom=10`, 'staffB', MALDEN)).json()).toEqual({ clusters: [], total: 0 });
    expect((await openMap('?bbox=-73.5,41.2,-69.9,42.9&zoom=18')).status).toBe(400);
    expect((await openMap('?bbox=nonsense&zoom=10')).status).toBe(400);
  });
});

describe('events and audit for bulk work stay in the town', () => {
  it('writes no event for another town', async () => {
    const theirs = await file(malden, 'bulk elsewhere');
    await bulk([['trackingNumbers', theirs], ['operation', 'note'], ['message', 'Not yours']]);
    const maldenEvents = await withTown(malden.id, (tx) => tx.select().from(requestEvents).where(eq(requestEvents.message, 'Not yours')));
    expect(maldenEvents).toEqual([]);
  });
});
