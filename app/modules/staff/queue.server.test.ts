import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { categories, departments, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { REQUEST_STATUSES, type RequestStatus } from '#db/vocabulary';
import { createServiceRequest } from '~/modules/requests/create-request.server';
import { listDepartments } from '~/modules/departments/departments.server';
import type { TownProfile } from '~/utils/town-profile.server';
import type { TownStaff } from '~/utils/capabilities.server';
import { townLinks } from '~/utils/town.server';
import { townStaffFor } from '../../../tests/capabilities';
import { createUser, townBySlug } from '../../../tests/factories';
import { DEFAULT_QUEUE_FILTERS, listQueue, parseQueueFilters, QUEUE_COUNT_LIMIT, queueSearchParams, type QueueFilters } from './queue.server';
import { exportQueueCsv } from './queue-export.server';
import { listTownStaff } from './team.server';

type Spec = {
  category?: string;
  description?: string;
  status?: RequestStatus;
  createdAt: string;
  dueAt?: string | null;
  updatedAt?: string;
  departmentId?: string;
  assigneeUserId?: string;
  address?: string;
};

async function file(town: TownProfile, spec: Spec): Promise<string> {
  const result = await createServiceRequest({
    town,
    categoryCode: spec.category ?? 'pothole',
    description: spec.description ?? 'A hole in the road',
    location: { lat: 42.39, lng: -71.1, address: spec.address ?? null, source: 'map' },
    answers: {},
    reporter: { userId: null, email: null, name: null },
    photos: [],
    idempotencyKey: uuidv7(),
    links: townLinks(town.slug),
  });
  if (result.kind !== 'filed') throw new Error(JSON.stringify(result));
  const createdAt = new Date(spec.createdAt);
  await withTown(town.id, (tx) =>
    tx
      .update(serviceRequests)
      .set({
        status: spec.status ?? 'submitted',
        createdAt,
        updatedAt: new Date(spec.updatedAt ?? spec.createdAt),
        dueAt: spec.dueAt === null ? null : new Date(spec.dueAt ?? '2099-06-01T00:00:00Z'),
        departmentId: spec.departmentId ?? null,
        assigneeUserId: spec.assigneeUserId ?? null,
      })
      .where(eq(serviceRequests.trackingNumber, result.trackingNumber)),
  );
  return result.trackingNumber;
}

const filters = (params: Record<string, string | string[]> = {}): QueueFilters => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
  return parseQueueFilters(search);
};

/** Decoded keeping the byte-order mark, which Response.text() would drop. */
async function csvText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

describe('parseQueueFilters', () => {
  it('defaults to the open requests, most urgent first, 50 a page, as a list', () => {
    expect(filters()).toEqual(DEFAULT_QUEUE_FILTERS);
    expect(DEFAULT_QUEUE_FILTERS).toMatchObject({ status: ['open'], sort: 'priority', pageSize: 50, view: 'list' });
  });

  it('reads every filter, and several statuses', () => {
    const department = uuidv7();
    expect(
      filters({
        status: ['submitted', 'closed', 'submitted'],
        category: 'pothole',
        department,
        assignee: 'me',
        priority: 'urgent',
        overdue: '1',
        from: '2026-01-01',
        to: '2026-01-31',
        q: '  pothole  ',
        sort: 'due',
        page: '3',
        pageSize: '100',
        view: 'map',
      }),
    ).toEqual({
      status: ['submitted', 'closed'],
      category: 'pothole',
      department,
      assignee: 'me',
      priority: 'urgent',
      overdue: true,
      from: '2026-01-01',
      to: '2026-01-31',
      q: 'pothole',
      sort: 'due',
      page: 3,
      pageSize: 100,
      view: 'map',
    });
  });

  it('replaces each unreadable value by its default and keeps the rest', () => {
    const parsed = filters({
      status: ['bogus'],
      department: 'not-a-uuid',
      assignee: "1' or 1=1",
      priority: 'critical',
      overdue: 'yes',
      from: '2026-02-30',
      to: 'tomorrow',
      q: '   ',
      sort: 'random',
      page: '-4',
      pageSize: '5000',
      view: 'globe',
      category: 'graffiti',
    });
    expect(parsed).toEqual({ ...DEFAULT_QUEUE_FILTERS, category: 'graffiti' });
    expect(filters({ page: '1.5', pageSize: 'abc' })).toEqual(DEFAULT_QUEUE_FILTERS);
    expect(filters({ status: ['closed', 'nonsense'] }).status).toEqual(['closed']);
  });

  it('writes filters back as a URL that reads the same, leaving defaults out', () => {
    expect(queueSearchParams(DEFAULT_QUEUE_FILTERS).toString()).toBe('');
    const shared = filters({ status: ['fixed', 'referred'], assignee: 'unassigned', priority: 'high', overdue: '1', q: '50% off', sort: 'oldest', page: '2', view: 'map' });
    expect(parseQueueFilters(queueSearchParams(shared))).toEqual(shared);
  });
});

describe('listQueue', () => {
  let somerville: TownProfile;
  let malden: TownProfile;
  let viewer: { id: string };
  let asViewer: TownStaff;
  let asMaldenStaff: TownStaff;
  let colleague: { id: string };
  let roads: string;
  let parks: string;
  const n: Record<string, string> = {};
  const trackingOf = (page: { items: { trackingNumber: string }[] }) => page.items.map((i) => i.trackingNumber);
  const list = (params: Record<string, string | string[]> = {}) => listQueue(asViewer, filters(params));

  beforeAll(async () => {
    somerville = await townBySlug('somerville');
    malden = await townBySlug('malden');
    viewer = await createUser({ roles: [[somerville, 'staff']] });
    asViewer = await townStaffFor(somerville, viewer);
    asMaldenStaff = await townStaffFor(malden, await createUser({ roles: [[malden, 'staff']] }));
    colleague = await createUser({ roles: [[somerville, 'admin']] });
    [roads, parks] = [uuidv7(), uuidv7()];
    await withTown(somerville.id, (tx) =>
      tx.insert(departments).values([
        { townId: somerville.id, id: roads, name: 'Roads' },
        { townId: somerville.id, id: parks, name: 'Parks', email: 'parks@example.com' },
      ]),
    );
    const past = '2020-01-01T00:00:00Z';
    // Created in this order; `updated` and `due` deliberately in other orders.
    n.a = await file(somerville, { createdAt: '2026-03-01T15:00:00Z', dueAt: '2099-01-03T00:00:00Z', description: 'Deep pothole, 50% of the lane', departmentId: roads, assigneeUserId: viewer.id, updatedAt: '2026-03-20T00:00:00Z' });
    n.b = await file(somerville, { createdAt: '2026-03-02T15:00:00Z', category: 'graffiti', description: 'Tag on the wall at 5 Elm', dueAt: past, departmentId: parks });
    n.c = await file(somerville, { createdAt: '2026-03-03T15:00:00Z', status: 'acknowledged', description: 'POTHOLE again', assigneeUserId: colleague.id, dueAt: '2026-03-04T00:00:00Z' });
    n.d = await file(somerville, { createdAt: '2026-03-04T15:00:00Z', status: 'in_progress', description: 'under_score in text', dueAt: null, address: '1 Main St' });
    n.e = await file(somerville, { createdAt: '2026-03-05T15:00:00Z', status: 'fixed', description: 'Filled the pothole', dueAt: past, departmentId: roads });
    n.f = await file(somerville, { createdAt: '2026-03-06T15:00:00Z', status: 'not_fixed', category: 'graffiti', description: 'Private wall' });
    n.g = await file(somerville, { createdAt: '2026-03-07T15:00:00Z', status: 'withdrawn', description: 'Never mind' });
    // 23:30 on 9 March in Somerville, already 10 March in UTC.
    n.h = await file(somerville, { createdAt: '2026-03-10T03:30:00Z', dueAt: '2099-01-01T00:00:00Z', description: 'Late-night report\\ with a backslash' });
    n.other = await file(malden, { createdAt: '2026-03-08T15:00:00Z', description: 'Deep pothole, 50% of the lane' });
  });

  it('lists the open requests newest first, with what a row shows', async () => {
    const page = await list();
    expect(trackingOf(page)).toEqual([n.h, n.d, n.c, n.b, n.a]);
    expect(page.total).toBe(5);
    const a = page.items.find((i) => i.trackingNumber === n.a)!;
    expect(a).toMatchObject({ status: 'submitted', categoryName: expect.any(String), departmentName: 'Roads', assigneeEmail: expect.stringContaining('@example.com'), overdue: false, lat: 42.39, lng: -71.1 });
    expect(a.createdAt).toEqual(new Date('2026-03-01T15:00:00Z'));
    expect(page.items.find((i) => i.trackingNumber === n.d)).toMatchObject({ address: '1 Main St', dueAt: null, departmentName: null, assigneeEmail: null });
  });

  it('counts every status under the other filters, whatever statuses are chosen', async () => {
    const expected = { submitted: 3, acknowledged: 1, in_progress: 1, fixed: 1, not_fixed: 1, duplicate: 0, referred: 0, withdrawn: 1 };
    expect((await list()).countsByStatus).toEqual(expected);
    const fixed = await list({ status: 'fixed' });
    expect(fixed.countsByStatus).toEqual(expected);
    expect(fixed.total).toBe(1);
    expect((await list({ category: 'graffiti', status: 'closed' })).countsByStatus).toEqual({ ...expected, submitted: 1, acknowledged: 0, in_progress: 0, fixed: 0, withdrawn: 0 });
  });

  it('filters by status and status group', async () => {
    expect(trackingOf(await list({ status: 'closed' }))).toEqual([n.f, n.e]);
    expect(trackingOf(await list({ status: ['acknowledged', 'withdrawn'] }))).toEqual([n.g, n.c]);
    expect((await list({ status: ['open', 'closed', 'withdrawn'] })).total).toBe(8);
  });

  it('filters by category code, department and assignee', async () => {
    expect(trackingOf(await list({ category: 'graffiti', status: ['open', 'closed'] }))).toEqual([n.f, n.b]);
    expect((await list({ category: 'no-such-category' })).total).toBe(0);
    expect(trackingOf(await list({ department: roads, status: ['open', 'closed'] }))).toEqual([n.e, n.a]);
    expect(trackingOf(await list({ department: uuidv7() }))).toEqual([]);
    expect(trackingOf(await list({ assignee: 'me' }))).toEqual([n.a]);
    expect(trackingOf(await list({ assignee: colleague.id }))).toEqual([n.c]);
    expect(trackingOf(await list({ assignee: 'unassigned' }))).toEqual([n.h, n.d, n.b]);
  });

  it('finds overdue requests: open and past their due date', async () => {
    const overdue = await list({ overdue: '1', status: ['open', 'closed'] });
    expect(trackingOf(overdue)).toEqual([n.c, n.b]);
    expect(overdue.items.every((i) => i.overdue)).toBe(true);
    expect(overdue.countsByStatus.fixed).toBe(0);
    expect((await list()).items.find((i) => i.trackingNumber === n.b)?.overdue).toBe(true);
  });

  it("filters by the day of reporting in the town's timezone", async () => {
    expect(trackingOf(await list({ from: '2026-03-09', to: '2026-03-09' }))).toEqual([n.h]);
    expect(trackingOf(await list({ from: '2026-03-10' }))).toEqual([]);
    expect(trackingOf(await list({ from: '2026-03-02', to: '2026-03-03' }))).toEqual([n.c, n.b]);
  });

  it('searches the beginnings of words in the description, the address and the category name', async () => {
    const everyStatus = ['open', 'closed'];
    // Every request of the Pothole category, whatever its description says.
    expect(trackingOf(await list({ q: 'pothole', status: everyStatus }))).toEqual([n.h, n.e, n.d, n.c, n.a]);
    expect(trackingOf(await list({ q: 'graff', status: everyStatus }))).toEqual([n.f, n.b]);
    expect(trackingOf(await list({ q: 'main' }))).toEqual([n.d]);
    expect(trackingOf(await list({ q: 'Elm tag' }))).toEqual([n.b]);
    expect(trackingOf(await list({ q: 'POTHOLE again' }))).toEqual([n.c]);
    // Words are found by their beginning, not their middle.
    expect(trackingOf(await list({ q: 'hole', status: everyStatus }))).toEqual([]);
    expect(trackingOf(await list({ q: '50%' }))).toEqual([n.a]);
    expect(trackingOf(await list({ q: 'under_score' }))).toEqual([n.d]);
    expect(trackingOf(await list({ q: 'report\\ with' }))).toEqual([n.h]);
  });

  it('counts a search by words per status, each request once, with or without other filters', async () => {
    // "pot" starts the category name and words of some descriptions: every Pothole request, once.
    const expected = { submitted: 2, acknowledged: 1, in_progress: 1, fixed: 1, not_fixed: 0, duplicate: 0, referred: 0, withdrawn: 1 };
    expect((await list({ q: 'pot' })).countsByStatus).toEqual(expected);
    expect((await list({ q: 'pot', status: 'closed' })).countsByStatus).toEqual(expected);
    expect((await list({ q: 'pot hole' })).countsByStatus).toEqual({ ...expected, submitted: 0, acknowledged: 0, in_progress: 0, fixed: 0, withdrawn: 0 });
    expect((await list({ q: 'pot lane' })).countsByStatus).toEqual({ ...expected, submitted: 1, acknowledged: 0, in_progress: 0, fixed: 0, withdrawn: 0 });
    expect((await list({ q: 'pot', department: roads })).countsByStatus).toEqual({ ...expected, submitted: 1, acknowledged: 0, in_progress: 0, withdrawn: 0 });
  });

  it("keeps a request's words with its status: closed, it leaves a search of the open requests", async () => {
    const setStatus = (trackingNumber: string, status: RequestStatus) =>
      withTown(somerville.id, (tx) => tx.update(serviceRequests).set({ status }).where(eq(serviceRequests.trackingNumber, trackingNumber)));
    expect(trackingOf(await list({ q: 'pot' }))).toEqual([n.h, n.d, n.c, n.a]);
    await setStatus(n.h!, 'fixed');
    const afterClosing = await list({ q: 'pot' });
    expect(trackingOf(afterClosing)).toEqual([n.d, n.c, n.a]);
    expect(afterClosing.countsByStatus).toMatchObject({ submitted: 1, fixed: 2 });
    expect(trackingOf(await list({ q: 'pot', status: 'fixed' }))).toEqual([n.h, n.e]);
    await setStatus(n.h!, 'submitted');
    expect(trackingOf(await list({ q: 'pot' }))).toEqual([n.h, n.d, n.c, n.a]);
  });

  it('looks for a query without a letter or digit in the descriptions, with % _ and \\ taken literally', async () => {
    expect(trackingOf(await list({ q: '%' }))).toEqual([n.a]);
    expect(trackingOf(await list({ q: '_' }))).toEqual([n.d]);
    expect(trackingOf(await list({ q: '\\' }))).toEqual([n.h]);
  });

  it('searches what a request says now: a corrected address, a renamed category', async () => {
    const everyStatus = ['open', 'closed'];
    await withTown(somerville.id, (tx) => tx.update(serviceRequests).set({ address: '9 Oak St' }).where(eq(serviceRequests.trackingNumber, n.d!)));
    expect(trackingOf(await list({ q: 'oak' }))).toEqual([n.d]);
    expect(trackingOf(await list({ q: 'main' }))).toEqual([]);
    await withTown(somerville.id, (tx) => tx.update(categories).set({ name: 'Vandalism' }).where(eq(categories.code, 'graffiti')));
    expect(trackingOf(await list({ q: 'vandal', status: everyStatus }))).toEqual([n.f, n.b]);
    expect(trackingOf(await list({ q: 'graff', status: everyStatus }))).toEqual([]);
    await withTown(somerville.id, async (tx) => {
      await tx.update(categories).set({ name: 'Graffiti' }).where(eq(categories.code, 'graffiti'));
      await tx.update(serviceRequests).set({ address: '1 Main St' }).where(eq(serviceRequests.trackingNumber, n.d!));
    });
    expect(trackingOf(await list({ q: 'graff', status: everyStatus }))).toEqual([n.f, n.b]);
  });

  it('finds a tracking number exactly, or by its first digits', async () => {
    expect(trackingOf(await list({ q: n.c!.toLowerCase().replace('-', ' ') }))).toEqual([n.c]);
    expect(trackingOf(await list({ q: n.c!.split('-')[1]! }))).toEqual([n.c]);
    // The first request is number 1001: "100" finds 1001 to 1008 and would find 10000 onwards.
    expect((await list({ q: 'SOM-100', status: ['open', 'closed', 'withdrawn'] })).total).toBe(8);
    expect((await list({ q: n.other! })).total).toBe(0);
  });

  it("never lists another town's requests", async () => {
    const all = await list({ status: ['open', 'closed', 'withdrawn'], q: 'Deep pothole' });
    expect(trackingOf(all)).toEqual([n.a]);
    const maldenPage = await listQueue(asMaldenStaff, filters({ status: ['open', 'closed', 'withdrawn'] }));
    expect(trackingOf(maldenPage)).toEqual([n.other]);
  });

  it('sorts by creation, due date and last update', async () => {
    expect(trackingOf(await list({ sort: 'oldest' }))).toEqual([n.a, n.b, n.c, n.d, n.h]);
    // No due date comes last.
    expect(trackingOf(await list({ sort: 'due' }))).toEqual([n.b, n.c, n.h, n.a, n.d]);
    expect(trackingOf(await list({ sort: 'updated' }))).toEqual([n.a, n.h, n.d, n.c, n.b]);
  });

  it('filters by priority, and sorts the most urgent first, then newest', async () => {
    await withTown(somerville.id, async (tx) => {
      await tx.update(serviceRequests).set({ priority: 'urgent' }).where(eq(serviceRequests.trackingNumber, n.b!));
      await tx.update(serviceRequests).set({ priority: 'high' }).where(eq(serviceRequests.trackingNumber, n.a!));
      await tx.update(serviceRequests).set({ priority: 'low' }).where(eq(serviceRequests.trackingNumber, n.h!));
    });
    try {
      const page = await list({ sort: 'priority' });
      expect(trackingOf(page)).toEqual([n.b, n.a, n.d, n.c, n.h]);
      expect(page.items.map((i) => i.priority)).toEqual(['urgent', 'high', 'normal', 'normal', 'low']);
      expect(trackingOf(await list())).toEqual(trackingOf(page));
      expect(trackingOf(await list({ priority: 'high' }))).toEqual([n.a]);
      expect(trackingOf(await list({ priority: 'urgent', status: 'closed' }))).toEqual([]);
    } finally {
      await withTown(somerville.id, (tx) => tx.update(serviceRequests).set({ priority: 'normal' }));
    }
  });

  it('pages', async () => {
    const pages = await Promise.all([1, 2, 3, 4].map((page) => list({ pageSize: '2', page: String(page) })));
    expect(pages.map(trackingOf)).toEqual([[n.h, n.d], [n.c, n.b], [n.a], []]);
    expect(pages.map((p) => p.total)).toEqual([5, 5, 5, 5]);
  });

  it("exports the same rows in the view's own order, in batches, as CSV with the town's clock", async () => {
    for (const sort of ['newest', 'oldest', 'due', 'updated', 'priority']) {
      const view = filters({ sort, status: ['open', 'closed', 'withdrawn'] });
      const expected = trackingOf(await list({ sort, status: ['open', 'closed', 'withdrawn'] }));
      const csv = await csvText(exportQueueCsv(asViewer, view, { batchSize: 2 }));
      const lines = csv.split('\r\n');
      expect(lines[0]).toBe(
        '\uFEFFtracking number,url,status,status reason,priority,channel,category,department,assignee,created,acknowledged,last status change,closed,due,overdue,business days to acknowledge,business days to close,address,lat,lng,description,public answers',
      );
      expect(lines.at(-1)).toBe('');
      expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(expected);
    }
    const csv = await csvText(exportQueueCsv(asViewer, filters({ q: 'Deep pothole' })));
    // Created 15:00 UTC is 10:00 in Somerville (EST); due 2099-01-03T00:00Z is the evening before there.
    expect(csv.split('\r\n')[1]).toMatch(
      new RegExp(`^${n.a},http://somerville\\.localhost:3000/requests/${n.a},Submitted,,normal,web,Pothole,Roads,user-[^,]+@example.com,2026-03-01 10:00:00,,,,2099-01-02 19:00:00,no,,,,42.39,-71.1,"Deep pothole, 50% of the lane",$`),
    );
  });

  it('keeps requests created in the same microsecond apart across export batches', async () => {
    const same = '2026-04-01T12:00:00.123456Z';
    const twins = [];
    for (let i = 0; i < 5; i++) twins.push(await file(somerville, { createdAt: '2026-04-01T12:00:00Z', description: `Twin ${i}` }));
    await withTown(somerville.id, (tx) => tx.execute(sql`update service_requests set created_at = ${same}::timestamptz where description like 'Twin %'`));
    const view = filters({ q: 'Twin' });
    const csv = await csvText(exportQueueCsv(asViewer, view, { batchSize: 2 }));
    const exported = csv.split('\r\n').slice(1, -1).map((l) => l.split(',')[0]);
    expect(exported).toEqual(trackingOf(await listQueue(asViewer, view)));
    expect([...exported].sort()).toEqual([...twins].sort());
  });
});

describe('counting past the limit', () => {
  it('stops counting a status at QUEUE_COUNT_LIMIT and says the total is a lower bound', async () => {
    const newton = await townBySlug('newton');
    const viewer = await townStaffFor(newton, await createUser({ roles: [[newton, 'staff']] }));
    await withTown(newton.id, (tx) =>
      tx.execute(sql`
        insert into service_requests (town_id, id, number, tracking_number, category_id, status, description, lat, lng, location_source, idempotency_key, created_at, closed_at)
        select ${newton.id}::int, gen_random_uuid(), n, 'NWT-' || n, (select id from categories where code = 'pothole'), 'fixed', 'Filled', 42.33, -71.2, 'map', 'bulk-' || n,
          now() - n * interval '1 minute', now()
        from generate_series(100001, ${100001 + QUEUE_COUNT_LIMIT}) as n`),
    );
    await file(newton, { createdAt: '2026-05-01T12:00:00Z', description: 'A lonely crater' });
    const open = await listQueue(viewer, filters());
    expect(open).toMatchObject({ total: 1, totalIsExact: true, cappedStatuses: ['fixed'] });
    expect(open.countsByStatus.fixed).toBe(QUEUE_COUNT_LIMIT);
    const closed = await listQueue(viewer, filters({ status: 'closed', pageSize: '100', page: String(QUEUE_COUNT_LIMIT / 100 + 1) }));
    expect(closed).toMatchObject({ total: QUEUE_COUNT_LIMIT, totalIsExact: false });
    // Past the counted rows, pages still come back.
    expect(closed.items).toHaveLength(1);
    // Found by words alone, the open requests and the others are each counted once in all: past the
    // limit, every count of that part is a lower bound, and the open ones stay exact.
    const words = await listQueue(viewer, filters({ q: 'filled', status: 'closed' }));
    expect(words).toMatchObject({ total: QUEUE_COUNT_LIMIT, totalIsExact: false, cappedStatuses: ['fixed', 'not_fixed', 'duplicate', 'referred', 'withdrawn'] });
    expect(words.countsByStatus).toMatchObject({ submitted: 0, fixed: QUEUE_COUNT_LIMIT });
    expect(words.items).toHaveLength(DEFAULT_QUEUE_FILTERS.pageSize);
    // With another filter too, the matching requests are counted once in all.
    const wordsAndCategory = await listQueue(viewer, filters({ q: 'filled', category: 'pothole', status: 'closed' }));
    expect(wordsAndCategory).toMatchObject({ total: QUEUE_COUNT_LIMIT, totalIsExact: false, cappedStatuses: [...REQUEST_STATUSES] });
    const few = await listQueue(viewer, filters({ q: 'lonely' }));
    expect(few).toMatchObject({ total: 1, totalIsExact: true, cappedStatuses: [] });
  });
});

describe('team', () => {
  it("lists the town's departments and the people with a role in it", async () => {
    const chelsea = await townBySlug('chelsea');
    const staff = await createUser({ roles: [[chelsea, 'staff']] });
    const admin = await createUser({ roles: [[chelsea, 'admin']] });
    await createUser({ roles: [[await townBySlug('malden'), 'staff']] });
    await withTown(chelsea.id, (tx) => tx.insert(departments).values({ townId: chelsea.id, id: uuidv7(), name: 'Public Works', email: 'dpw@example.com' }));
    const asStaff = await townStaffFor(chelsea, staff);
    expect(await listDepartments(asStaff)).toEqual([{ id: expect.any(String), name: 'Public Works', email: 'dpw@example.com' }]);
    const team = await listTownStaff(asStaff);
    expect(team.map((m) => [m.id, m.role]).sort()).toEqual(
      [
        [staff.id, 'staff'],
        [admin.id, 'admin'],
      ].sort(),
    );
    expect(team[0]).toEqual({ id: expect.any(String), email: expect.any(String), displayName: null, role: expect.any(String) });
  });
});
