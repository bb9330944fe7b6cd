import { asc, eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { auditLog, serviceRequests, townClosureDays } from '#db/schema';
import { withTown } from '#db/scope';
import * as closuresPage from '~/routes/admin.closures';
import * as categoryPage from '~/routes/admin.categories.$code';
import { addBusinessDays, businessCalendar, serviceTargets } from '~/modules/requests/service-levels';
import { dayIn } from '~/utils/calendar-day';
import { startSession } from '~/utils/auth.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { browserRequest, cookieFrom, createUser, townBySlug } from '../factories';
import { fileReport, PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
type RouteFunction = (args: never) => Promise<Response>;
let ip = 0;
const call = (fn: RouteFunction, request: Request, params: Record<string, string> = {}) => settle(fn({ request, params, context: { clientIp: `10.8.0.${++ip}` } } as never));
const get = (fn: RouteFunction, path: string, cookie: string | null, params: Record<string, string> = {}) => call(fn, browserRequest(`${SOMERVILLE}${path}`, { cookie }), params);
const post = (fn: RouteFunction, path: string, form: Record<string, string>, cookie: string | null, params: Record<string, string> = {}) =>
  call(fn, browserRequest(`${SOMERVILLE}${path}`, { form, cookie }), params);

let somerville: TownProfile;
const cookies: Record<string, string | null> = { anonymous: null };

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  const malden = await townBySlug('malden');
  const people = {
    resident: await createUser(),
    staffA: await createUser({ roles: [[somerville, 'staff']] }),
    adminA: await createUser({ roles: [[somerville, 'admin']] }),
    adminB: await createUser({ roles: [[malden, 'admin']] }),
    state: await createUser({ stateStaff: true }),
  };
  for (const [name, user] of Object.entries(people)) cookies[name] = cookieFrom(await startSession(user.id, new Request(SOMERVILLE)));
});

const closuresOf = (townId: number) => withTown(townId, (tx) => tx.select().from(townClosureDays));

describe('closure days (/admin/closures)', () => {
  it.each([
    ['anonymous', 302],
    ['resident', 403],
    ['staffA', 403],
    ['adminB', 403],
    ['state', 403],
  ] as const)('refuses %s (%i), to read and to change', async (person, status) => {
    expect((await get(closuresPage.loader as RouteFunction, '/admin/closures', cookies[person]!)).status).toBe(status);
    const response = await post(closuresPage.action as RouteFunction, '/admin/closures', { intent: 'add', day: '2031-11-28', name: 'Not yours' }, cookies[person]!);
    expect(response.status).toBe(status);
    expect((await closuresOf(somerville.id)).some((c) => c.day === '2031-11-28')).toBe(false);
  });

  it('lets the town admin add and remove a closure, audited, and lists the state holidays', async () => {
    const added = await post(closuresPage.action as RouteFunction, '/admin/closures', { intent: 'add', day: '2031-11-28', name: 'Day after Thanksgiving' }, cookies.adminA!);
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ message: 'Added: Day after Thanksgiving.' });
    const page = await (await get(closuresPage.loader as RouteFunction, '/admin/closures', cookies.adminA!)).json();
    expect(page.closures).toContainEqual({ day: '2031-11-28', name: 'Day after Thanksgiving' });
    expect(page.holidays.map((h: { name: string }) => h.name)).toContain('patriotsDay');

    const again = await post(closuresPage.action as RouteFunction, '/admin/closures', { intent: 'add', day: '2031-11-28', name: 'Twice' }, cookies.adminA!);
    expect(again.status).toBe(422);
    expect((await again.json()).errors.day).toBe('The offices are already marked closed on this day');

    const removed = await post(closuresPage.action as RouteFunction, '/admin/closures', { intent: 'remove', day: '2031-11-28' }, cookies.adminA!);
    expect(removed.status).toBe(200);
    expect((await closuresOf(somerville.id)).some((c) => c.day === '2031-11-28')).toBe(false);
    const gone = await post(closuresPage.action as RouteFunction, '/admin/closures', { intent: 'remove', day: '2031-11-28' }, cookies.adminA!);
    expect(gone.status).toBe(404);

    const audit = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(eq(auditLog.entityType, 'closure_day')).orderBy(asc(auditLog.createdAt), asc(auditLog.id)));
    expect(audit.map((a) => [a.action, a.entityId])).toEqual([
      ['closure_day.added', '2031-11-28'],
      ['closure_day.removed', '2031-11-28'],
    ]);
  });

  it('refuses a day that is no date, a weekend or a state holiday, and a missing reason', async () => {
    const refusal = async (form: Record<string, string>) => {
      const response = await post(closuresPage.action as RouteFunction, '/admin/closures', { intent: 'add', ...form }, cookies.adminA!);
      expect(response.status).toBe(422);
      return (await response.json()).errors;
    };
    expect((await refusal({ day: '2031-02-30', name: 'Storm' })).day).toBe('Enter a date, like 2026-11-27');
    expect((await refusal({ day: '2031-11-29', name: 'Saturday' })).day).toMatch(/weekend or a Massachusetts holiday/);
    expect((await refusal({ day: '2031-04-21', name: 'Patriots’ Day' })).day).toMatch(/weekend or a Massachusetts holiday/);
    expect((await refusal({ day: '2031-12-01', name: ' ' })).name).toMatch(/Say why/);
  });

  it('moves the targets of requests filed after it', async () => {
    const calendar = businessCalendar(somerville, []);
    // The next business day from now, closed: a new request's targets skip it.
    const nextBusiness = dayIn(addBusinessDays(new Date(), 1, calendar), somerville.timezone);
    await post(closuresPage.action as RouteFunction, '/admin/closures', { intent: 'add', day: nextBusiness, name: 'Storm day' }, cookies.adminA!);
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { category: 'pothole' });
    const [row] = await getDatabase().db.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber));
    const expected = serviceTargets(row!.createdAt, { targetDays: 5, ackTargetDays: 2 }, businessCalendar(somerville, [nextBusiness]));
    expect(Math.abs(row!.ackDueAt!.getTime() - expected.ackDueAt.getTime())).toBeLessThan(5_000);
    expect(Math.abs(row!.dueAt!.getTime() - expected.dueAt.getTime())).toBeLessThan(5_000);
    expect(dayIn(row!.ackDueAt!, somerville.timezone)).not.toBe(dayIn(addBusinessDays(row!.createdAt, 2, calendar), somerville.timezone));
    await post(closuresPage.action as RouteFunction, '/admin/closures', { intent: 'remove', day: nextBusiness }, cookies.adminA!);
  });

  it('another town’s admin cannot remove this town’s closure', async () => {
    await post(closuresPage.action as RouteFunction, '/admin/closures', { intent: 'add', day: '2031-12-26', name: 'Boxing Day' }, cookies.adminA!);
    const malden = await townBySlug('malden');
    const maldenAdmin = await createUser({ roles: [[malden, 'admin']] });
    const cookie = cookieFrom(await startSession(maldenAdmin.id, new Request('http://malden.localhost:3000')));
    const response = await call(closuresPage.action as RouteFunction, browserRequest('http://malden.localhost:3000/admin/closures', { form: { intent: 'remove', day: '2031-12-26' }, cookie }));
    expect(response.status).toBe(404);
    expect((await closuresOf(somerville.id)).map((c) => c.day)).toContain('2031-12-26');
  });
});

describe('the acknowledgement target on the category page', () => {
  it('is saved with the resolution target, audited, and never later than it', async () => {
    const save = (ackTargetDays: string) =>
      post(categoryPage.action as RouteFunction, '/admin/categories/graffiti', { intent: 'update', name: 'Graffiti', group: 'Streets & sidewalks', targetDays: '5', ackTargetDays, programCategory: 'graffiti' }, cookies.adminA!, { code: 'graffiti' });
    const page = await (await get(categoryPage.loader as RouteFunction, '/admin/categories/graffiti', cookies.adminA!, { code: 'graffiti' })).json();
    const saved = await post(
      categoryPage.action as RouteFunction,
      '/admin/categories/graffiti',
      { intent: 'update', name: page.category.name, group: page.category.group, description: page.category.description, targetDays: '5', ackTargetDays: '1', programCategory: page.category.programCategory },
      cookies.adminA!,
      { code: 'graffiti' },
    );
    expect(saved.status).toBe(200);
    const after = await (await get(categoryPage.loader as RouteFunction, '/admin/categories/graffiti', cookies.adminA!, { code: 'graffiti' })).json();
    expect(after.category).toMatchObject({ targetDays: 5, ackTargetDays: 1 });
    const audit = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(eq(auditLog.action, 'category.updated')));
    expect(audit.at(-1)!.after).toMatchObject({ ackTargetDays: 1, targetDays: 5 });

    const late = await save('6');
    expect(late.status).toBe(422);
    expect((await late.json()).errors.ackTargetDays).toBe('The acknowledgement target cannot be later than the resolution target');
  });
});
