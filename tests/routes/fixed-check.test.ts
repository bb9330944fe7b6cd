import { and, eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import { departments, requestEvents, requestFixedChecks, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { askWhetherFixed, FIXED_CHECK_AFTER_DAYS } from '~/modules/requests/fixed-checks.server';
import { changeRequestStatus } from '~/modules/requests/request-updates.server';
import { reopenAsReporter } from '~/modules/requests/reporter-actions.server';
import { DEFAULT_QUEUE_FILTERS, listQueue } from '~/modules/staff/queue.server';
import { action as requestAction, loader as requestLoader } from '~/routes/requests.$trackingNumber';
import { action as fixedAction, loader as fixedLoader } from '~/routes/requests.$trackingNumber_.fixed';
import { action as manageAction } from '~/routes/requests.$trackingNumber_.manage';
import { startSession } from '~/utils/auth.server';
import { deliverDueOutboxMessages } from '~/utils/outbox.server';
import { townLinks } from '~/utils/town.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { residentFor, townStaffFor } from '../capabilities';
import { browserRequest, cookieFrom, createUser, mailboxFor, townBySlug } from '../factories';
import { followThroughEmail, latestMail } from '../mail-links';
import { fileReport, PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const ctx = { clientIp: '10.5.5.5' };
const DAY = 86_400_000;
const fresh = (name: string) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
let somerville: TownProfile;
let admin: { id: string; email: string };

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  admin = await createUser({ email: fresh('admin'), roles: [[somerville, 'admin']] });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Runs `fn` with the system clock at `when` (the routes read no other), then delivers the mail it
 * queued: PGlite's now() follows the faked clock, so that mail is due only from `when`.
 */
async function on<T>(when: Date, fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(when);
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
    await deliverDueOutboxMessages({ now: new Date(when.getTime() + DAY), limit: 500 });
  }
}

const rowOf = async (trackingNumber: string) => (await getDatabase().db.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)))[0]!;

/** An email-only report with a second follower, closed as fixed by staff; returns when it was closed. */
async function fixedReport() {
  const reporter = fresh('reporter');
  const neighbour = fresh('neighbour');
  const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { email: reporter });
  await settle(requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { form: { intent: 'follow', email: neighbour } }), params: { trackingNumber }, context: ctx }));
  await followThroughEmail(neighbour, trackingNumber);
  await changeRequestStatus(await townStaffFor(somerville, admin), trackingNumber, { to: 'fixed', reason: 'Painted over.' }, townLinks('somerville'));
  return { trackingNumber, reporter, neighbour, closedAt: (await rowOf(trackingNumber)).closedAt! };
}

const asked = async (to: string, trackingNumber: string) => (await mailboxFor(to)).filter((m) => m.subject === `Is ${trackingNumber} fixed?`);
const answerLink = async (to: string, trackingNumber: string, answer: 'yes' | 'no') => {
  const [mail] = await asked(to, trackingNumber);
  return [...mail!.text.matchAll(/https?:\/\/\S+/g)].map((m) => new URL(m[0])).find((u) => u.pathname.endsWith('/fixed') && u.searchParams.get('answer') === answer)!;
};
const openAnswer = (link: URL, trackingNumber: string) => settle(fixedLoader({ request: browserRequest(link.href), params: { trackingNumber }, context: ctx }));
const answer = (link: URL, trackingNumber: string, form: Record<string, string>) =>
  settle(fixedAction({ request: browserRequest(`${link.origin}${link.pathname}`, { form: { token: link.searchParams.get('token')!, ...form } }), params: { trackingNumber }, context: ctx }));

describe('"is it fixed?"', () => {
  it('asks the reporter and every follower once, a few days after the close, however many processes run the job', async () => {
    const { trackingNumber, reporter, neighbour, closedAt } = await fixedReport();
    await askWhetherFixed(new Date(closedAt.getTime() + FIXED_CHECK_AFTER_DAYS * DAY - 60_000));
    expect(await asked(reporter, trackingNumber)).toHaveLength(0);

    const due = new Date(closedAt.getTime() + FIXED_CHECK_AFTER_DAYS * DAY);
    await Promise.all([askWhetherFixed(due), askWhetherFixed(due)]);
    await askWhetherFixed(new Date(due.getTime() + 3_600_000));
    const [toReporter] = await asked(reporter, trackingNumber);
    expect(await asked(reporter, trackingNumber)).toHaveLength(1);
    expect(await asked(neighbour, trackingNumber)).toHaveLength(1);
    const checks = await getDatabase().db.select().from(requestFixedChecks).where(eq(requestFixedChecks.requestId, (await rowOf(trackingNumber)).id));
    expect(checks).toEqual([expect.objectContaining({ recipients: 2 })]);

    // Two answers, the reporter's manage link (only theirs), and the one-click unsubscribe header.
    expect(toReporter!.text).toMatch(/Yes, it is fixed: http:\/\/somerville\.localhost:3000\/requests\/SOM-\d+\/fixed\?token=[\w-]{43}&answer=yes/);
    expect(toReporter!.text).toMatch(/No, it is not fixed: .*answer=no/);
    expect(toReporter!.text).toMatch(/\/manage\?token=/);
    expect((await asked(neighbour, trackingNumber))[0]!.text).not.toMatch(/\/manage\?token=/);
    expect(toReporter!.headers).toEqual({ 'List-Unsubscribe': expect.stringMatching(/^<http:\/\/somerville\.localhost:3000\/unsubscribe\/one-click\?token=[\w-]+>$/), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
  });

  it('does not ask about a close it first sees more than ten days late', async () => {
    const { trackingNumber, reporter, closedAt } = await fixedReport();
    await askWhetherFixed(new Date(closedAt.getTime() + 10 * DAY + 60_000));
    expect(await asked(reporter, trackingNumber)).toHaveLength(0);
  });

  it('takes "yes" once, after a button: opening the link answers nothing', async () => {
    const { trackingNumber, neighbour, closedAt } = await fixedReport();
    await askWhetherFixed(new Date(closedAt.getTime() + FIXED_CHECK_AFTER_DAYS * DAY));
    const yes = await answerLink(neighbour, trackingNumber, 'yes');
    const page = await openAnswer(yes, trackingNumber);
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ answer: 'yes', view: { trackingNumber } });
    const events = async () => (await getDatabase().db.select().from(requestEvents).where(and(eq(requestEvents.requestId, (await rowOf(trackingNumber)).id), eq(requestEvents.kind, 'fixed_confirmed')))).length;
    expect(await events()).toBe(0);

    const confirmed = await answer(yes, trackingNumber, { answer: 'yes' });
    expect(confirmed.headers.get('Location')).toBe(`/requests/${trackingNumber}?done=confirmedFixed`);
    expect(await events()).toBe(1);
    expect((await rowOf(trackingNumber)).status).toBe('fixed');
    const again = await answer(yes, trackingNumber, { answer: 'no', visibility: 'private' });
    expect(again.status).toBe(410);
    expect((await rowOf(trackingNumber)).status).toBe('fixed');
    // The link is for its request's answer only: the manage page does not take it.
    const asManage = await settle(manageAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}/manage`, { form: { intent: 'unfollow', token: yes.searchParams.get('token')! } }), params: { trackingNumber }, context: ctx }));
    expect(asManage.status).toBe(403);
  });

  it('"not fixed" on day 29 puts the request back in the town’s queue with the comment, and tells its staff; on day 31 it is too late', async () => {
    const late = await fixedReport();
    const { trackingNumber, neighbour, reporter, closedAt } = await fixedReport();
    // This one belongs to a department with an address: that address hears of the reopening.
    const departmentId = uuidv7();
    await withTown(somerville.id, async (tx) => {
      await tx.insert(departments).values({ townId: somerville.id, id: departmentId, name: `Graffiti crew ${departmentId}`, email: 'graffiti-crew@somerville.example.gov' });
      await tx.update(serviceRequests).set({ departmentId }).where(eq(serviceRequests.trackingNumber, trackingNumber));
    });
    await askWhetherFixed(new Date(closedAt.getTime() + FIXED_CHECK_AFTER_DAYS * DAY));
    await askWhetherFixed(new Date(late.closedAt.getTime() + FIXED_CHECK_AFTER_DAYS * DAY));
    const no = await answerLink(neighbour, trackingNumber, 'no');
    const lateNo = await answerLink(late.neighbour, late.trackingNumber, 'no');

    const tooLate = await on(new Date(late.closedAt.getTime() + 31 * DAY), () => answer(lateNo, late.trackingNumber, { answer: 'no', comment: 'Still there.', visibility: 'public' }));
    expect(tooLate.status).toBe(410);
    expect((await rowOf(late.trackingNumber)).status).toBe('fixed');

    const reopened = await on(new Date(closedAt.getTime() + 29 * DAY), () => answer(no, trackingNumber, { answer: 'no', comment: 'The tag is back on the same wall.', visibility: 'public' }));
    expect(reopened.status).toBe(302);
    expect(reopened.headers.get('Location')).toBe(`/requests/${trackingNumber}?done=reopened`);

    expect(await rowOf(trackingNumber)).toMatchObject({ status: 'in_progress', closedAt: null, statusReason: 'The tag is back on the same wall.' });
    const queue = await listQueue(await townStaffFor(somerville, admin), DEFAULT_QUEUE_FILTERS);
    expect(queue.items.map((i) => i.trackingNumber)).toContain(trackingNumber);
    const page = await (await requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: ctx })).json();
    expect(page.request.timeline.at(-1)).toMatchObject({ kind: 'reopened', message: 'The tag is back on the same wall.' });

    const staffMail = await latestMail('graffiti-crew@somerville.example.gov', `Reopened by a resident: ${trackingNumber} (Graffiti)`);
    expect(staffMail.text).toContain('What they wrote: The tag is back on the same wall.');
    expect(staffMail.text).toContain(`${SOMERVILLE}/staff/requests/${trackingNumber}`);
    expect((await mailboxFor(admin.email)).some((m) => m.subject.includes(trackingNumber) && m.subject.startsWith('Reopened'))).toBe(false);
    expect((await mailboxFor(reporter)).map((m) => m.subject)).toContain(`Update on ${trackingNumber}: Reopened by a resident. Status: In progress: The tag is back on the same wall.`);
  });
});

describe('the reporter’s reopen', () => {
  it('works until day 30 after the close (injected clock), with a private comment for the town only; the admins hear of it', async () => {
    const reporter = await createUser();
    const cookie = cookieFrom(await startSession(reporter.id, new Request(SOMERVILLE)));
    const onDay29 = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, {}, { cookie });
    const onDay31 = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, {}, { cookie });
    const staff = await townStaffFor(somerville, admin);
    for (const n of [onDay29, onDay31]) await changeRequestStatus(staff, n, { to: 'not_fixed', reason: 'Private property.' }, townLinks('somerville'));
    const closedAt = (await rowOf(onDay29)).closedAt!;

    // The module, by the clock it is given…
    expect(await reopenAsReporter({ kind: 'session', resident: await residentFor(reporter) }, somerville.id, onDay31, { text: null, public: false }, townLinks('somerville'), new Date(closedAt.getTime() + 31 * DAY))).toEqual({
      ok: false,
      reason: 'refused',
      code: 'reporter.reopen.tooLate',
    });

    // …and the request page, by the system clock.
    const reopen = (trackingNumber: string, sessionCookie: string) =>
      settle(requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { form: { intent: 'reopen', comment: 'It is a city sidewalk.', visibility: 'private' }, cookie: sessionCookie }), params: { trackingNumber }, context: ctx }));
    const late = await on(new Date(closedAt.getTime() + 31 * DAY), async () => reopen(onDay31, cookieFrom(await startSession(reporter.id, new Request(SOMERVILLE)))));
    expect(late.status).toBe(409);
    expect((await late.json()).error).toMatch(/more than 30 days/);
    const [page, inTime] = await on(new Date(closedAt.getTime() + 29 * DAY), async () => [
      await (await requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${onDay29}`, { cookie }), params: { trackingNumber: onDay29 }, context: ctx })).json(),
      await reopen(onDay29, cookie),
    ] as const);
    expect(page.reporter).toMatchObject({ reopen: true, withdraw: false, comment: false });
    expect(inTime.status).toBe(302);
    expect((await rowOf(onDay29)).status).toBe('in_progress');
    expect((await rowOf(onDay31)).status).toBe('not_fixed');

    const events = await getDatabase().db.select().from(requestEvents).where(eq(requestEvents.requestId, (await rowOf(onDay29)).id)).orderBy(requestEvents.createdAt);
    expect(events.slice(-2).map((e) => [e.kind, e.public, e.message])).toEqual([
      ['reopened', true, null],
      ['resident_comment', false, 'It is a city sidewalk.'],
    ]);
    // No department: the town's admins hear of it, without the private words.
    const toAdmin = await latestMail(admin.email, `Reopened by a resident: ${onDay29} (Graffiti)`);
    expect(toAdmin.text).toContain('They left no comment.');
  });
});
