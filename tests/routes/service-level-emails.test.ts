import { and, eq } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { departments, requestEvents, requestOverdueNotices, serviceRequests, staffDigests } from '#db/schema';
import { withTown } from '#db/scope';
import * as accountPage from '~/routes/account';
import { sendDueDigests } from '~/modules/staff/due-digests.server';
import { OVERDUE_CATCH_UP_DAYS, sendOverdueNotices } from '~/modules/staff/overdue-notices.server';
import { startSession } from '~/utils/auth.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { browserRequest, cookieFrom, createUser, mailboxFor, townBySlug } from '../factories';
import { fileReport, PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const fresh = (name: string) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
type RouteFunction = (args: never) => Promise<Response>;
const call = (fn: RouteFunction, request: Request) => settle(fn({ request, params: {}, context: { clientIp: '10.9.0.1' } } as never));

let somerville: TownProfile;
let admin: { id: string; email: string };
let assignee: { id: string; email: string };

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  admin = await createUser({ email: fresh('admin'), roles: [[somerville, 'admin']] });
  assignee = await createUser({ email: fresh('crew'), roles: [[somerville, 'staff']] });
});

/** A request filed through the report form, then given its due time, assignee and department by hand. */
async function requestDue(dueAt: Date, fields: Partial<typeof serviceRequests.$inferInsert> = {}, address?: string) {
  const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, address ? { address } : {});
  await withTown(somerville.id, (tx) => tx.update(serviceRequests).set({ dueAt, ...fields }).where(eq(serviceRequests.trackingNumber, trackingNumber)));
  const [row] = await withTown(somerville.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)));
  return row!;
}

const overdueMail = async (to: string, trackingNumber: string) => (await mailboxFor(to)).filter((m) => m.subject.startsWith(`Overdue: ${trackingNumber} `));

describe('the overdue email', () => {
  it('goes to the assignee exactly once, however often and however concurrently the job runs', async () => {
    const request = await requestDue(new Date(Date.now() - HOUR), { assigneeUserId: assignee.id }, '93 Highland Ave');
    await sendOverdueNotices();
    await Promise.all([sendOverdueNotices(), sendOverdueNotices()]);
    await sendOverdueNotices();
    const mail = await overdueMail(assignee.email, request.trackingNumber);
    expect(mail).toHaveLength(1);
    // Where it is and the staff page, for the crew.
    expect(mail[0]!.text).toContain('Where: 93 Highland Ave (42.');
    expect(mail[0]!.text).toContain(`${SOMERVILLE}/staff/requests/${request.trackingNumber}`);
    expect(mail[0]!.text).toContain(`${SOMERVILLE}/staff?overdue=1&sort=due`);
    expect(await overdueMail(admin.email, request.trackingNumber)).toHaveLength(0);
    const notices = await withTown(somerville.id, (tx) => tx.select().from(requestOverdueNotices).where(eq(requestOverdueNotices.requestId, request.id)));
    expect(notices).toMatchObject([{ recipients: 1 }]);
    const events = await withTown(somerville.id, (tx) => tx.select().from(requestEvents).where(and(eq(requestEvents.requestId, request.id), eq(requestEvents.kind, 'overdue'))));
    expect(events).toMatchObject([{ public: false }]);
  });

  it('goes to the department’s address when nobody is assigned, else to the admins', async () => {
    const departmentEmail = fresh('dpw');
    const departmentId = uuidv7();
    await withTown(somerville.id, (tx) => tx.insert(departments).values({ townId: somerville.id, id: departmentId, name: `DPW ${departmentId}`, email: departmentEmail }));
    const toDepartment = await requestDue(new Date(Date.now() - HOUR), { departmentId });
    const toAdmins = await requestDue(new Date(Date.now() - HOUR), { departmentId: null });
    // A removed assignee answers for nothing: the admins are told.
    const gone = await createUser({ email: fresh('gone') });
    const formerlyAssigned = await requestDue(new Date(Date.now() - HOUR), { departmentId: null, assigneeUserId: gone.id });
    await sendOverdueNotices();
    expect(await overdueMail(departmentEmail, toDepartment.trackingNumber)).toHaveLength(1);
    expect(await overdueMail(admin.email, toDepartment.trackingNumber)).toHaveLength(0);
    expect(await overdueMail(admin.email, toAdmins.trackingNumber)).toHaveLength(1);
    expect(await overdueMail(admin.email, formerlyAssigned.trackingNumber)).toHaveLength(1);
    expect(await overdueMail(gone.email, formerlyAssigned.trackingNumber)).toHaveLength(0);
  });

  it('says nothing before the target, after a close, or for a target passed long before the job first saw it', async () => {
    const notYet = await requestDue(new Date(Date.now() + HOUR), { assigneeUserId: assignee.id });
    const closed = await requestDue(new Date(Date.now() - HOUR), { assigneeUserId: assignee.id, status: 'fixed', closedAt: new Date() });
    const ancient = await requestDue(new Date(Date.now() - (OVERDUE_CATCH_UP_DAYS + 1) * DAY), { assigneeUserId: assignee.id });
    await sendOverdueNotices();
    for (const r of [notYet, closed, ancient]) expect(await overdueMail(assignee.email, r.trackingNumber), r.trackingNumber).toHaveLength(0);
    // Once the first one's target passes, it is announced.
    await sendOverdueNotices(new Date(Date.now() + 2 * HOUR));
    expect(await overdueMail(assignee.email, notYet.trackingNumber)).toHaveLength(1);
  });
});

describe('the daily digest', () => {
  // Tuesday 4 March 2031 in Somerville (EST, UTC-5); Wednesday is the next business day.
  const at = (localIso: string) => new Date(`${localIso}-05:00`);
  const digestsFor = async (to: string) => (await mailboxFor(to)).filter((m) => /: \d+ requests? due or overdue$/.test(m.subject));
  let crew: { id: string; email: string };
  let optedOut: { id: string; email: string };
  const numbers: Record<string, string> = {};

  beforeAll(async () => {
    crew = await createUser({ email: fresh('digest'), roles: [[somerville, 'staff']] });
    optedOut = await createUser({ email: fresh('quiet'), roles: [[somerville, 'staff']] });
    numbers.overdue = (await requestDue(at('2031-03-03T16:00:00'), { assigneeUserId: crew.id })).trackingNumber;
    numbers.today = (await requestDue(at('2031-03-04T15:00:00'), { assigneeUserId: crew.id })).trackingNumber;
    numbers.tomorrow = (await requestDue(at('2031-03-05T10:00:00'), { assigneeUserId: crew.id })).trackingNumber;
    numbers.later = (await requestDue(at('2031-03-07T10:00:00'), { assigneeUserId: crew.id })).trackingNumber;
    numbers.closed = (await requestDue(at('2031-03-04T11:00:00'), { assigneeUserId: crew.id, status: 'fixed', closedAt: at('2031-03-01T10:00:00') })).trackingNumber;
    numbers.quiet = (await requestDue(at('2031-03-04T15:00:00'), { assigneeUserId: optedOut.id })).trackingNumber;
  });

  it('turns off on the account page of the town’s site, for its team only', async () => {
    const cookie = cookieFrom(await startSession(optedOut.id, new Request(SOMERVILLE)));
    const page = await (await call(accountPage.loader as RouteFunction, browserRequest(`${SOMERVILLE}/account`, { cookie }))).json();
    expect(page.digest).toEqual({ townName: 'Somerville', on: true });
    const saved = await call(accountPage.action as RouteFunction, browserRequest(`${SOMERVILLE}/account`, { form: { intent: 'daily-digest' }, cookie }));
    expect(await saved.json()).toMatchObject({ digestSaved: true });
    expect((await (await call(accountPage.loader as RouteFunction, browserRequest(`${SOMERVILLE}/account`, { cookie }))).json()).digest).toEqual({ townName: 'Somerville', on: false });

    const resident = await createUser();
    const residentCookie = cookieFrom(await startSession(resident.id, new Request(SOMERVILLE)));
    expect((await (await call(accountPage.loader as RouteFunction, browserRequest(`${SOMERVILLE}/account`, { cookie: residentCookie }))).json()).digest).toBeNull();
    const refused = await call(accountPage.action as RouteFunction, browserRequest(`${SOMERVILLE}/account`, { form: { intent: 'daily-digest', dailyDigest: 'on' }, cookie: residentCookie }));
    expect(refused.status).toBe(403);
    // On the statewide site there is no town to choose for.
    const statewide = await call(accountPage.loader as RouteFunction, browserRequest('http://localhost:3000/account', { cookie: cookieFrom(await startSession(optedOut.id, new Request('http://localhost:3000'))) }));
    expect((await statewide.json()).digest).toBeNull();
  });

  it('lists overdue, due today and due the next business day, once per member and day, in the town’s morning', async () => {
    await sendDueDigests(at('2031-03-04T06:30:00'));
    expect(await digestsFor(crew.email)).toHaveLength(0);

    await sendDueDigests(at('2031-03-04T08:00:00'));
    await Promise.all([sendDueDigests(at('2031-03-04T08:30:00')), sendDueDigests(at('2031-03-04T08:30:00'))]);
    await sendDueDigests(at('2031-03-04T11:00:00'));
    const [digest, ...more] = await digestsFor(crew.email);
    expect(more).toHaveLength(0);
    expect(digest!.subject).toBe('Somerville: 3 requests due or overdue');
    const sections = digest!.text.split('\n\n');
    const sectionWith = (heading: string) => sections.find((s) => s.startsWith(heading)) ?? '';
    expect(sectionWith('Overdue (1)')).toContain(numbers.overdue);
    expect(sectionWith('Due today (1)')).toContain(numbers.today);
    expect(sectionWith('Due Wednesday, Mar 5 (1)')).toContain(numbers.tomorrow);
    for (const absent of [numbers.later, numbers.closed, numbers.quiet]) expect(digest!.text).not.toContain(absent);
    expect(digest!.text).toContain(`${SOMERVILLE}/account#daily-digest`);

    // Opted out: nothing, and no row claims a digest was sent.
    expect(await digestsFor(optedOut.email)).toHaveLength(0);
    const rows = await withTown(somerville.id, (tx) => tx.select().from(staffDigests).where(eq(staffDigests.userId, crew.id)));
    expect(rows).toMatchObject([{ day: '2031-03-04', requests: 3 }]);
    expect(await withTown(somerville.id, (tx) => tx.select().from(staffDigests).where(eq(staffDigests.userId, optedOut.id)))).toHaveLength(0);
  });

  it('comes again the next business day, never on a weekend or after the morning', async () => {
    await sendDueDigests(at('2031-03-05T13:00:00'));
    expect(await digestsFor(crew.email)).toHaveLength(1);
    await sendDueDigests(at('2031-03-05T07:05:00'));
    expect(await digestsFor(crew.email)).toHaveLength(2);
    await sendDueDigests(at('2031-03-08T09:00:00'));
    expect(await digestsFor(crew.email)).toHaveLength(2);
  });
});
