import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { requestFollowers } from '#db/schema';
import { withTown } from '#db/scope';
import { listMyRequests } from '~/modules/requests/request-queries.server';
import { changeRequestStatus, postPublicReply } from '~/modules/requests/request-updates.server';
import { action as reportAction } from '~/routes/report';
import { action as requestAction, loader as requestLoader } from '~/routes/requests.$trackingNumber';
import { loader as trackLoader } from '~/routes/track';
import { action as unsubscribeAction, loader as unsubscribeLoader } from '~/routes/unsubscribe';
import { startSession } from '~/utils/auth.server';
import { townLinks } from '~/utils/town.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { residentFor, townStaffFor } from '../capabilities';
import { browserRequest, cookieFrom, createUser, mailboxFor, townBySlug } from '../factories';
import { followThroughEmail } from '../mail-links';
import { reportRequest, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const MALDEN = 'http://malden.localhost:3000';
const ctx = { clientIp: '10.2.2.2' };
const staffOf = async (town: TownProfile) => townStaffFor(town, await createUser({ roles: [[town, 'staff']] }));


let n = 0;
async function fileReport(host: string, point: { lat: number; lng: number }, extra: Record<string, string> = {}, cookie?: string) {
  n++;
  const fields = { category: 'graffiti', description: `Tag number ${n}`, lat: String(point.lat + (n % 6) * 0.0009), lng: String(point.lng + Math.floor(n / 6) * 0.0012), locationSource: 'map', ...extra };
  const response = await settle(reportAction({ request: reportRequest(host, fields, { cookie }), params: {}, context: ctx }));
  const location = response.headers.get('Location');
  if (!location) throw new Error(`report was not filed: ${response.status} ${await response.text()}`);
  return new URL(location).pathname.split('/').pop()!;
}

const SOMERVILLE_POINT = { lat: 42.381, lng: -71.105 };
const MALDEN_POINT = { lat: 42.43, lng: -71.06 };
const links = (slug: string) => townLinks(slug);

describe('looking up a tracking number', () => {
  it('redirects from any site to the request in its own town, whatever the case typed', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, SOMERVILLE_POINT);
    for (const host of [MALDEN, 'http://localhost:3000']) {
      const response = await settle(trackLoader({ request: new Request(`${host}/track?number=${trackingNumber.toLowerCase()}`), params: {}, context: ctx }));
      expect(response.status).toBe(302);
      expect(response.headers.get('Location')).toBe(`${SOMERVILLE}/requests/${trackingNumber}`);
    }
  });

  it('answers 404 for a number that does not exist or was withdrawn', async () => {
    const unknown = await settle(trackLoader({ request: new Request(`${MALDEN}/track?number=SOM-999999`), params: {}, context: ctx }));
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatch(/could not find request/);
    const nonsense = await settle(trackLoader({ request: new Request(`${MALDEN}/track?number=${encodeURIComponent("' or 1=1 --")}`), params: {}, context: ctx }));
    expect(nonsense.status).toBe(404);

    const user = await createUser();
    const cookie = cookieFrom(await startSession(user.id, new Request(SOMERVILLE)));
    const trackingNumber = await fileReport(SOMERVILLE, SOMERVILLE_POINT, {}, cookie);
    const withdraw = await settle(
      requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { form: { intent: 'withdraw' }, cookie }), params: { trackingNumber }, context: ctx }),
    );
    expect(withdraw.status).toBe(302);
    const gone = await settle(trackLoader({ request: new Request(`${SOMERVILLE}/track?number=${trackingNumber}`), params: {}, context: ctx }));
    expect(gone.status).toBe(404);
    const page = await settle(requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: ctx }));
    expect(page.status).toBe(404);
  });

  it("sends a request page opened on another town's site to the right town", async () => {
    const trackingNumber = await fileReport(SOMERVILLE, SOMERVILLE_POINT);
    const response = await settle(requestLoader({ request: browserRequest(`${MALDEN}/requests/${trackingNumber}`), params: { trackingNumber }, context: ctx }));
    expect(response.headers.get('Location')).toBe(`${SOMERVILLE}/requests/${trackingNumber}`);
  });
});

describe('following and updates', () => {
  it('emails the reporter and every follower on public changes, never internal ones, with a working unsubscribe link', async () => {
    const somerville = await townBySlug('somerville');
    const trackingNumber = await fileReport(SOMERVILLE, SOMERVILLE_POINT, { email: 'reporter@example.com' });
    const follow = await settle(
      requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { form: { intent: 'follow', email: 'neighbour@example.com' } }), params: { trackingNumber }, context: ctx }),
    );
    expect(follow.status).toBe(200);
    await followThroughEmail('neighbour@example.com', trackingNumber);
    const page = await (await requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: ctx })).json();
    expect(page.request.followerCount).toBe(2);

    const staff = await staffOf(somerville);
    expect(await changeRequestStatus(staff, trackingNumber, { to: 'acknowledged' }, links('somerville'))).toEqual({ ok: true, status: 'acknowledged', eventId: expect.any(String) });
    await withTown(somerville.id, (tx) => postPublicReply(tx, trackingNumber, 'A crew is scheduled for Thursday.', null, links('somerville')));
    const neighbourMail = await mailboxFor('neighbour@example.com');
    expect(neighbourMail.map((m) => m.subject)).toEqual([
      `Confirm: follow ${trackingNumber}`,
      `Update on ${trackingNumber}: Status: Acknowledged`,
      `Update on ${trackingNumber}: A crew is scheduled for Thursday.`,
    ]);
    expect((await mailboxFor('reporter@example.com')).map((m) => m.subject)).toContain(`Update on ${trackingNumber}: Status: Acknowledged`);

    const unsubscribeLink = new URL(neighbourMail[1]!.text.match(/https?:\/\/\S+unsubscribe\?token=\S+/)![0]);
    const token = unsubscribeLink.searchParams.get('token')!;
    const unsubscribed = await unsubscribeAction({ request: browserRequest(`${SOMERVILLE}/unsubscribe`, { form: { token } }), params: {}, context: ctx });
    expect(await unsubscribed.json()).toEqual({ unsubscribed: trackingNumber });
    const again = await unsubscribeLoader({ request: new Request(unsubscribeLink), params: {}, context: ctx });
    expect(again.status).toBe(404);
    await changeRequestStatus(staff, trackingNumber, { to: 'fixed' }, links('somerville'));
    expect(await mailboxFor('neighbour@example.com')).toHaveLength(3);
    expect((await mailboxFor('reporter@example.com')).map((m) => m.subject)).toContain(`Update on ${trackingNumber}: Status: Fixed`);
  });

  it("a town's unsubscribe link cannot unsubscribe anyone from another town", async () => {
    const trackingNumber = await fileReport(SOMERVILLE, SOMERVILLE_POINT, { email: 'cross@example.com' });
    const [mail] = await mailboxFor('cross@example.com');
    const token = new URL(mail!.text.match(/https?:\/\/\S+unsubscribe\?token=\S+/)![0]).searchParams.get('token')!;
    const response = await unsubscribeLoader({ request: new Request(`${MALDEN}/unsubscribe?token=${token}`), params: {}, context: ctx });
    expect(response.status).toBe(404);
    const followers = await getDatabase().db.select().from(requestFollowers).where(eq(requestFollowers.unsubscribeToken, token));
    expect(followers).toHaveLength(1);
    expect(trackingNumber).toMatch(/^SOM-/);
  });

  it('refuses invalid status transitions and closing without what it needs', async () => {
    const somerville = await townBySlug('somerville');
    const trackingNumber = await fileReport(SOMERVILLE, SOMERVILLE_POINT);
    const staff = await staffOf(somerville);
    const change = (to: Parameters<typeof changeRequestStatus>[2]['to'], extra = {}) => changeRequestStatus(staff, trackingNumber, { to, ...extra }, links('somerville'));
    expect(await change('not_fixed')).toMatchObject({ ok: false, reason: 'missing_reason' });
    expect(await change('duplicate', { duplicateOfTrackingNumber: trackingNumber })).toMatchObject({ ok: false, reason: 'bad_original' });
    expect(await change('fixed', { expectedVersion: 99 })).toMatchObject({ ok: false, reason: 'stale' });
    expect(await change('fixed')).toEqual({ ok: true, status: 'fixed', eventId: expect.any(String) });
    expect(await change('duplicate', { duplicateOfTrackingNumber: 'SOM-1001' })).toMatchObject({ ok: false, reason: 'not_allowed' });
  });
});

describe('withdrawing and "my requests"', () => {
  it('lets only the reporter withdraw, and only before acknowledgement', async () => {
    const somerville = await townBySlug('somerville');
    const reporter = await createUser();
    const other = await createUser();
    const reporterCookie = cookieFrom(await startSession(reporter.id, new Request(SOMERVILLE)));
    const otherCookie = cookieFrom(await startSession(other.id, new Request(SOMERVILLE)));
    const trackingNumber = await fileReport(SOMERVILLE, SOMERVILLE_POINT, {}, reporterCookie);
    const withdrawAs = (cookie: string) =>
      settle(requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { form: { intent: 'withdraw' }, cookie }), params: { trackingNumber }, context: ctx }));
    expect((await withdrawAs(otherCookie)).status).toBe(403);
    await changeRequestStatus(await staffOf(somerville), trackingNumber, { to: 'acknowledged' }, links('somerville'));
    const late = await withdrawAs(reporterCookie);
    expect(late.status).toBe(409);
    expect((await late.json()).error).toBe('The town is already working on this request, so it can no longer be withdrawn.');
  });

  it('lists what a resident reported or follows in every town, and nobody else’s', async () => {
    const resident = await createUser();
    const stranger = await createUser();
    const cookie = cookieFrom(await startSession(resident.id, new Request(SOMERVILLE)));
    const mine = await fileReport(SOMERVILLE, SOMERVILLE_POINT, {}, cookie);
    const maldenCookie = cookieFrom(await startSession(resident.id, new Request(MALDEN)));
    const mineInMalden = await fileReport(MALDEN, MALDEN_POINT, {}, maldenCookie);
    const theirs = await fileReport(SOMERVILLE, SOMERVILLE_POINT, {}, cookieFrom(await startSession(stranger.id, new Request(SOMERVILLE))));
    await settle(requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${theirs}`, { form: { intent: 'follow' }, cookie }), params: { trackingNumber: theirs }, context: ctx }));
    const strangersOnly = await fileReport(SOMERVILLE, SOMERVILLE_POINT, {}, cookieFrom(await startSession(stranger.id, new Request(SOMERVILLE))));

    const list = (await listMyRequests(await residentFor(resident))).items;
    expect(Object.fromEntries(list.map((r) => [r.trackingNumber, r.relation]))).toEqual({ [mine]: 'reported', [mineInMalden]: 'reported', [theirs]: 'following' });
    expect(list.find((r) => r.trackingNumber === mineInMalden)!.townName).toBe('Malden');
    expect(list.some((r) => r.trackingNumber === strangersOnly)).toBe(false);
  });
});

describe("the town's home page", () => {
  it('shows the most recent requests of that town only', async () => {
    const { loader: homeLoader } = await import('~/routes/_index');
    const inSomerville = await fileReport(SOMERVILLE, SOMERVILLE_POINT);
    const inMalden = await fileReport(MALDEN, MALDEN_POINT);
    const home = await (await homeLoader({ request: new Request(`${SOMERVILLE}/`), params: {}, context: ctx })).json();
    if (home.kind !== 'town') throw new Error('expected the town home page');
    const numbers = home.recent.map((r) => r.trackingNumber);
    expect(numbers[0]).toBe(inSomerville);
    expect(numbers).not.toContain(inMalden);
    expect(numbers.length).toBeLessThanOrEqual(5);
  });
});
