import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { eq } from 'drizzle-orm';
import { serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { ExpectedBy } from '~/components/expected-by';
import type { ResidentExpectation } from '~/modules/requests/service-levels';
import { loader as requestLoader } from '~/routes/requests.$trackingNumber';
import { loader as manageLoader } from '~/routes/requests.$trackingNumber_.manage';
import type { TownProfile } from '~/utils/town-profile.server';
import { browserRequest, mailboxFor, townBySlug } from '../factories';
import { fileReport, PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const ctx = { clientIp: '10.4.4.4' };
let somerville: TownProfile;

beforeAll(async () => {
  somerville = await townBySlug('somerville');
});

const setRequest = (trackingNumber: string, fields: Partial<typeof serviceRequests.$inferInsert>) =>
  withTown(somerville.id, (tx) => tx.update(serviceRequests).set(fields).where(eq(serviceRequests.trackingNumber, trackingNumber)));

/** What the public page says of the target: its loader's decision, worded as the page words it. */
async function publicWording(trackingNumber: string): Promise<string> {
  const data = await (await settle(requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: ctx }))).json();
  return words(data.request.expectation);
}

const words = (expectation: ResidentExpectation) => renderToStaticMarkup(createElement(ExpectedBy, { expectation, townName: 'Somerville', timeZone: 'America/New_York' }));

describe('the resident’s expected date', () => {
  it('names the day the town expects to be done while that is ahead, in the town’s zone', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    // Friday 12 December 2031, 9 pm in Somerville: already Saturday in UTC.
    await setRequest(trackingNumber, { dueAt: new Date('2031-12-13T02:00:00Z') });
    expect(await publicWording(trackingNumber)).toBe('<span>Expected by <time dateTime="2031-12-13T02:00:00.000Z">Fri, Dec 12</time></span>');
  });

  it('says it is taking longer than the target once that has passed, never the expired date', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    await setRequest(trackingNumber, { dueAt: new Date(Date.now() - 60_000), status: 'in_progress' });
    const wording = await publicWording(trackingNumber);
    expect(wording).toBe('<span class="text-bold">This is taking longer than Somerville&#x27;s target.</span>');
    expect(wording).not.toContain('<time');
  });

  it('says nothing of a target once the request is closed', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    await setRequest(trackingNumber, { dueAt: new Date(Date.now() - 60_000), status: 'fixed', closedAt: new Date() });
    expect(await publicWording(trackingNumber)).toBe('');
  });

  it('tells the email-only reporter the same on their own page', async () => {
    const email = `expect-${Date.now()}@example.com`;
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { email });
    const [received] = await mailboxFor(email);
    const manage = new URL(received!.text.match(/https?:\/\/\S+\/manage\?token=\S+/)![0]);
    const open = async () => (await (await settle(manageLoader({ request: browserRequest(manage.href), params: { trackingNumber }, context: ctx }))).json()).report.expectation;
    await setRequest(trackingNumber, { dueAt: new Date('2031-12-13T02:00:00Z') });
    expect(await open()).toEqual({ kind: 'expected', by: '2031-12-13T02:00:00.000Z' });
    await setRequest(trackingNumber, { dueAt: new Date(Date.now() - 60_000) });
    expect(await open()).toEqual({ kind: 'late' });
  });
});
