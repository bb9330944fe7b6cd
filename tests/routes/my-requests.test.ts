import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { serviceRequests } from '#db/schema';
import { changeRequestStatus } from '~/modules/requests/request-updates.server';
import { loader as myRequestsLoader } from '~/routes/account_.requests';
import { action as requestAction, loader as requestLoader } from '~/routes/requests.$trackingNumber';
import { loader as listLoader } from '~/routes/requests._index';
import { startSession } from '~/utils/auth.server';
import { townLinks } from '~/utils/town.server';
import { townStaffFor } from '../capabilities';
import { browserRequest, cookieFrom, createUser, townBySlug } from '../factories';
import { latestMail } from '../mail-links';
import { fileReport, PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const MALDEN = 'http://malden.localhost:3000';
const ctx = { clientIp: '10.8.8.8' };

const myRequests = (query: string, cookie: string) => settle(myRequestsLoader({ request: browserRequest(`${SOMERVILLE}/account/requests${query}`, { cookie }), params: {}, context: ctx }));
const numbersOf = async (response: Response) => (await response.json()).requests.map((r: { trackingNumber: string }) => r.trackingNumber);

describe('withdrawing from the request page', () => {
  it('asks first, takes an optional reason, emails a confirmation, and keeps the request in the reporter’s list only', async () => {
    const reporter = await createUser();
    const follower = await createUser();
    const cookie = cookieFrom(await startSession(reporter.id, new Request(SOMERVILLE)));
    const followerCookie = cookieFrom(await startSession(follower.id, new Request(SOMERVILLE)));
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { description: 'Tag on the bus shelter' }, { cookie });
    await settle(requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { form: { intent: 'follow' }, cookie: followerCookie }), params: { trackingNumber }, context: ctx }));

    const asking = await (await requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}?withdraw=confirm`, { cookie }), params: { trackingNumber }, context: ctx })).json();
    expect(asking.reporter).toMatchObject({ withdraw: true, confirmingWithdraw: true });
    // Only its reporter is asked.
    const asFollower = await (await requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}?withdraw=confirm`, { cookie: followerCookie }), params: { trackingNumber }, context: ctx })).json();
    expect(asFollower.reporter).toBeNull();

    const withdrawn = await settle(
      requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { form: { intent: 'withdraw', reason: 'Reported twice by mistake.' }, cookie }), params: { trackingNumber }, context: ctx }),
    );
    expect(withdrawn.headers.get('Location')).toBe('/account/requests?withdrawn=1');
    expect((await latestMail(reporter.email, `You withdrew your report ${trackingNumber}`)).text).toContain('Your reason: Reported twice by mistake.');

    const mine = await (await myRequests('', cookie)).json();
    expect(mine.requests).toEqual([expect.objectContaining({ trackingNumber, status: 'withdrawn', relation: 'reported', categoryName: 'Graffiti', townName: 'Somerville', href: null })]);
    expect(await numbersOf(await myRequests('', followerCookie))).toEqual([]);
    const publicList = await (await listLoader({ request: new Request(`${SOMERVILLE}/requests`), params: {}, context: ctx })).json();
    expect(publicList.list!.items.map((r: { trackingNumber: string }) => r.trackingNumber)).not.toContain(trackingNumber);
  });

  it('refuses a reason that is too long, next to the field, keeping it, and withdraws nothing', async () => {
    const reporter = await createUser();
    const cookie = cookieFrom(await startSession(reporter.id, new Request(SOMERVILLE)));
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, {}, { cookie });
    const reason = 'x'.repeat(1001);
    const refused = await settle(requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { form: { intent: 'withdraw', reason }, cookie }), params: { trackingNumber }, context: ctx }));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ fieldErrors: { reason: 'Use at most 1000 characters' }, values: { reason } });
    const [row] = await getDatabase().db.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber));
    expect(row!.status).toBe('submitted');
  });
});

describe('"My requests"', () => {
  it('shows category, town and status, filters by status, town and relation, and pages', async () => {
    const somerville = await townBySlug('somerville');
    const resident = await createUser();
    const staff = await townStaffFor(somerville, await createUser({ roles: [[somerville, 'staff']] }));
    const cookie = cookieFrom(await startSession(resident.id, new Request(SOMERVILLE)));
    const maldenCookie = cookieFrom(await startSession(resident.id, new Request(MALDEN)));
    const reported: string[] = [];
    for (let i = 0; i < 21; i++) reported.push(await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { category: i % 2 ? 'graffiti' : 'pothole' }, { cookie }));
    const inMalden = await fileReport(MALDEN, PLACES.maldenCityHall, {}, { cookie: maldenCookie });
    const someoneElses = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, {}, { cookie: cookieFrom(await startSession((await createUser()).id, new Request(SOMERVILLE))) });
    await settle(requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${someoneElses}`, { form: { intent: 'follow' }, cookie }), params: { trackingNumber: someoneElses }, context: ctx }));
    await changeRequestStatus(staff, reported[0]!, { to: 'fixed' }, townLinks('somerville'));

    const first = await (await myRequests('', cookie)).json();
    expect(first).toMatchObject({ total: 23, pages: 2, filters: { page: 1 } });
    expect(first.requests).toHaveLength(20);
    expect(first.towns).toEqual([
      { slug: 'malden', name: 'Malden' },
      { slug: 'somerville', name: 'Somerville' },
    ]);
    expect(first.requests[0]).toMatchObject({ trackingNumber: someoneElses, relation: 'following', categoryName: 'Graffiti', townName: 'Somerville', href: `${SOMERVILLE}/requests/${someoneElses}` });
    expect((await (await myRequests('?page=2', cookie)).json()).requests).toHaveLength(3);
    expect((await myRequests('?page=3', cookie)).status).toBe(404);
    // A bad filter value falls back to its default rather than failing the page.
    expect((await (await myRequests('?status=nonsense&page=x', cookie)).json()).total).toBe(23);

    expect(await numbersOf(await myRequests('?town=malden', cookie))).toEqual([inMalden]);
    expect(await numbersOf(await myRequests('?relation=following', cookie))).toEqual([someoneElses]);
    expect(await numbersOf(await myRequests('?status=closed', cookie))).toEqual([reported[0]]);
    expect((await (await myRequests('?status=open&relation=reported&town=somerville', cookie)).json()).total).toBe(20);
    const open = (await (await myRequests('?status=open', cookie)).json()).requests as { trackingNumber: string; categoryName: string }[];
    expect(open.find((r) => r.trackingNumber === reported[19])).toMatchObject({ categoryName: 'Graffiti' });
    expect(open.find((r) => r.trackingNumber === reported[20])).toMatchObject({ categoryName: 'Pothole' });

    // Signed out: sent to sign in.
    const anonymous = await settle(myRequestsLoader({ request: browserRequest(`${SOMERVILLE}/account/requests`), params: {}, context: ctx }));
    expect(anonymous.headers.get('Location')).toBe('/login?redirectTo=%2Faccount%2Frequests');
  });
});
