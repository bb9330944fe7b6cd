import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { getDatabase } from '#db/client';
import { requestEvents, requestFollowers, requestPhotos, requestTokens, serviceRequests } from '#db/schema';
import { changeRequestStatus } from '~/modules/requests/request-updates.server';
import { openManagedReport } from '~/modules/requests/reporter-actions.server';
import { loader as photoLoader } from '~/routes/photos.$';
import { action as requestAction, loader as requestLoader } from '~/routes/requests.$trackingNumber';
import { action as manageAction, loader as manageLoader } from '~/routes/requests.$trackingNumber_.manage';
import { startSession } from '~/utils/auth.server';
import { townLinks } from '~/utils/town.server';
import { townStaffFor } from '../capabilities';
import { browserRequest, cookieFrom, createUser, mailboxFor, townBySlug } from '../factories';
import { makeJpegWithGps } from '../fixtures/exif-jpeg';
import { latestMail, linkIn } from '../mail-links';
import { fileReport, multipartRequest, PLACES, settle, storedUploads } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const MALDEN = 'http://malden.localhost:3000';
const ctx = { clientIp: '10.4.4.4' };
const fresh = (name: string) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;

/** An email-only report and the manage link its confirmation email carries. */
async function emailOnlyReport(email = fresh('reporter')) {
  const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, { email });
  const link = linkIn(await latestMail(email, `We received your report ${trackingNumber}`), `/requests/${trackingNumber}/manage`);
  return { email, trackingNumber, link, token: link.searchParams.get('token')! };
}

const open = (url: string | URL, trackingNumber: string) => settle(manageLoader({ request: browserRequest(String(url)), params: { trackingNumber }, context: ctx }));
const post = (trackingNumber: string, form: Record<string, string>, host = SOMERVILLE) =>
  settle(manageAction({ request: browserRequest(`${host}/requests/${trackingNumber}/manage`, { form }), params: { trackingNumber }, context: ctx }));
const statusOf = async (trackingNumber: string) =>
  (await getDatabase().db.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)))[0]!;
const publicPage = (trackingNumber: string) => settle(requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: ctx }));

describe('the email-only reporter’s manage link', () => {
  it('comes in the confirmation email of a report made without an account, never to a signed-in reporter', async () => {
    const { email, trackingNumber, link } = await emailOnlyReport();
    expect(link.origin).toBe(SOMERVILLE);
    const mail = await latestMail(email, `We received your report ${trackingNumber}`);
    expect(mail.text).toMatch(/works for 90 days/);

    const reporter = await createUser();
    const cookie = cookieFrom(await startSession(reporter.id, new Request(SOMERVILLE)));
    const signedIn = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, {}, { cookie });
    const [received] = (await mailboxFor(reporter.email)).filter((m) => m.subject === `We received your report ${signedIn}`);
    expect(received!.text).not.toMatch(/\/manage\?token=/);
  });

  it('opens only its own request, on its own town’s site, for its own purpose, until it expires', async () => {
    const mine = await emailOnlyReport();
    const other = await emailOnlyReport();
    const opened = await open(mine.link, mine.trackingNumber);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('Cache-Control')).toBe('private, no-store');
    expect((await opened.json()).report).toMatchObject({ trackingNumber: mine.trackingNumber, status: 'submitted', email: mine.email, following: true, options: { withdraw: true, comment: true } });

    // Another report's link, no link, a made-up one, another town's site: nothing opens, nothing is told.
    expect((await open(`${SOMERVILLE}/requests/${mine.trackingNumber}/manage?token=${other.token}`, mine.trackingNumber)).status).toBe(403);
    expect((await open(`${SOMERVILLE}/requests/${mine.trackingNumber}/manage`, mine.trackingNumber)).status).toBe(403);
    expect((await open(`${SOMERVILLE}/requests/${mine.trackingNumber}/manage?token=${'A'.repeat(43)}`, mine.trackingNumber)).status).toBe(403);
    expect((await open(`${MALDEN}/requests/${mine.trackingNumber}/manage?token=${mine.token}`, mine.trackingNumber)).status).toBe(403);
    // Acting with another report's link changes nothing either.
    expect((await post(mine.trackingNumber, { intent: 'withdraw', token: other.token })).status).toBe(403);
    expect((await statusOf(mine.trackingNumber)).status).toBe('submitted');

    // A follow confirmation link is for following only.
    await settle(requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${mine.trackingNumber}`, { form: { intent: 'follow', email: 'neighbour@example.com' } }), params: { trackingNumber: mine.trackingNumber }, context: ctx }));
    const followToken = linkIn(await latestMail('neighbour@example.com', `Confirm: follow ${mine.trackingNumber}`), '/follow').searchParams.get('token')!;
    expect((await open(`${SOMERVILLE}/requests/${mine.trackingNumber}/manage?token=${followToken}`, mine.trackingNumber)).status).toBe(403);

    // 90 days, by the clock the module is given…
    const somerville = await townBySlug('somerville');
    const day = 86_400_000;
    expect(await openManagedReport(somerville.id, mine.trackingNumber, mine.token, new Date(Date.now() + 89 * day))).toMatchObject({ ok: true });
    expect(await openManagedReport(somerville.id, mine.trackingNumber, mine.token, new Date(Date.now() + 91 * day))).toEqual({ ok: false, reason: 'forbidden', code: 'reporter.link.expired' });
    // …and by the stored expiry the page reads.
    await getDatabase().db.update(requestTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(requestTokens.email, mine.email));
    const expired = await open(mine.link, mine.trackingNumber);
    expect(expired.status).toBe(403);
    expect((await expired.json()).problem).toBe('This link has expired.');
  });

  it('withdraws only after asking, with an optional reason, and emails a confirmation', async () => {
    const { email, trackingNumber, link, token } = await emailOnlyReport();
    const asking = await open(`${link.href}&withdraw=confirm`, trackingNumber);
    expect((await asking.json()).confirmingWithdraw).toBe(true);
    expect((await statusOf(trackingNumber)).status).toBe('submitted');

    const withdrawn = await post(trackingNumber, { intent: 'withdraw', token, reason: 'The owner painted over it.' });
    expect(withdrawn.status).toBe(302);
    expect(withdrawn.headers.get('Location')).toBe(`/requests/${trackingNumber}/manage?token=${token}&done=withdraw`);
    expect(await statusOf(trackingNumber)).toMatchObject({ status: 'withdrawn', statusReason: 'The owner painted over it.' });
    const confirmation = await latestMail(email, `You withdrew your report ${trackingNumber}`);
    expect(confirmation.text).toContain('Your reason: The owner painted over it.');
    expect((await publicPage(trackingNumber)).status).toBe(404);

    // The link still shows the reporter what became of it, and offers nothing more.
    const after = await (await open(link, trackingNumber)).json();
    expect(after.report).toMatchObject({ status: 'withdrawn', options: { withdraw: false, comment: false, reopen: false } });
    expect((await post(trackingNumber, { intent: 'withdraw', token })).status).toBe(404);
  });

  it('stops and restarts the emails to the address it was sent to', async () => {
    const { email, trackingNumber, token } = await emailOnlyReport();
    const follows = async () => (await getDatabase().db.select().from(requestFollowers).where(eq(requestFollowers.email, email))).length;
    expect((await post(trackingNumber, { intent: 'unfollow', token })).status).toBe(302);
    expect(await follows()).toBe(0);
    expect((await post(trackingNumber, { intent: 'follow', token })).status).toBe(302);
    expect(await follows()).toBe(1);
  });

  it('adds a comment and a photo, public or for the town only, through the photo pipeline', async () => {
    const somerville = await townBySlug('somerville');
    const staff = await createUser({ roles: [[somerville, 'staff']] });
    const staffCookie = cookieFrom(await startSession(staff.id, new Request(SOMERVILLE)));
    const { trackingNumber, token } = await emailOnlyReport();
    const photo = async (name: string) => ({ field: 'photo', name, bytes: await makeJpegWithGps(PLACES.somervilleCityHall), type: 'image/jpeg' });
    const comment = (fields: Record<string, string>, files: { field: string; name: string; bytes: Buffer; type: string }[] = []) =>
      settle(manageAction({ request: multipartRequest(`${SOMERVILLE}/requests/${trackingNumber}/manage`, { intent: 'comment', token, ...fields }, { files }), params: { trackingNumber }, context: ctx }));

    expect((await comment({ comment: 'It is bigger now.', visibility: 'public' }, [await photo('public.jpg')])).status).toBe(302);
    expect((await comment({ comment: 'My phone number is 555-0100.', visibility: 'private' }, [await photo('private.jpg')])).status).toBe(302);

    const page = await (await publicPage(trackingNumber)).json();
    expect(page.request.timeline.map((e: { kind: string; message: string | null }) => [e.kind, e.message])).toEqual([
      ['submitted', null],
      ['resident_comment', 'It is bigger now.'],
    ]);
    expect(page.request.photos).toHaveLength(1);
    const request = await statusOf(trackingNumber);
    const photos = await getDatabase().db.select().from(requestPhotos).where(eq(requestPhotos.requestId, request.id)).orderBy(requestPhotos.sortOrder);
    expect(photos.map((p) => p.public)).toEqual([true, false]);
    const fetchPhoto = (key: string, cookie?: string) => settle(photoLoader({ request: browserRequest(`${SOMERVILLE}/photos/${key}`, { cookie }), params: { '*': key }, context: ctx }));
    expect((await fetchPhoto(photos[0]!.thumbnailKey)).status).toBe(200);
    expect((await fetchPhoto(photos[1]!.thumbnailKey)).status).toBe(404);
    expect((await fetchPhoto(photos[1]!.thumbnailKey, staffCookie)).status).toBe(200);
    // Re-encoded on the way in, as a report's photos are: the camera's GPS does not survive.
    const stored = (await storedUploads()).find((f) => f.endsWith(photos[0]!.displayKey))!;
    expect((await sharp(stored).metadata()).exif).toBeUndefined();

    // Refused with a message next to the field, what was typed kept, nothing stored.
    const before = { files: (await storedUploads()).length, events: (await getDatabase().db.select().from(requestEvents).where(eq(requestEvents.requestId, request.id))).length };
    const notAPhoto = await comment({ comment: 'Kept text', visibility: 'public' }, [{ field: 'photo', name: 'notes.txt', bytes: Buffer.from('not an image'), type: 'image/jpeg' }]);
    expect(notAPhoto.status).toBe(422);
    const refused = await notAPhoto.json();
    expect(refused.fieldErrors.photo).toBe('“notes.txt”: This file is not a photo we can read. Use a JPEG, PNG, WebP, or AVIF image.');
    expect(refused.values.comment).toBe('Kept text');
    expect((await comment({ comment: '', visibility: 'public' })).status).toBe(422);
    expect((await comment({ comment: 'Who reads this?' })).status).toBe(422);
    expect({ files: (await storedUploads()).length, events: (await getDatabase().db.select().from(requestEvents).where(eq(requestEvents.requestId, request.id))).length }).toEqual(before);

    // Once closed, there is nothing to add to.
    await changeRequestStatus(await townStaffFor(somerville, staff), trackingNumber, { to: 'fixed' }, townLinks('somerville'));
    const closed = await comment({ comment: 'Thanks!', visibility: 'public' });
    expect(closed.status).toBe(409);
    expect((await closed.json()).error).toBe('This request is closed. Reopen it, or report the problem again.');
  });
});

describe('the signed-in reporter on the request page', () => {
  it('is the only one who may withdraw, reopen or comment there: anyone else is sent to sign in, or refused', async () => {
    const somerville = await townBySlug('somerville');
    const reporter = await createUser();
    const reporterCookie = cookieFrom(await startSession(reporter.id, new Request(SOMERVILLE)));
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, {}, { cookie: reporterCookie });
    const people = {
      resident: cookieFrom(await startSession((await createUser()).id, new Request(SOMERVILLE))),
      staff: cookieFrom(await startSession((await createUser({ roles: [[somerville, 'admin']] })).id, new Request(SOMERVILLE))),
    };
    const act = (form: Record<string, string>, cookie?: string) =>
      settle(requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { form, cookie }), params: { trackingNumber }, context: ctx }));
    const forms: Record<string, string>[] = [{ intent: 'withdraw' }, { intent: 'reopen', visibility: 'private' }, { intent: 'comment', comment: 'Hi', visibility: 'public' }];
    for (const form of forms) {
      const anonymous = await act(form);
      expect(anonymous.status, `${form.intent} signed out`).toBe(302);
      expect(anonymous.headers.get('Location')).toMatch(/^\/login\?redirectTo=/);
      for (const [who, cookie] of Object.entries(people)) expect((await act(form, cookie)).status, `${form.intent} as ${who}`).toBe(403);
    }
    expect((await statusOf(trackingNumber)).status).toBe('submitted');
  });

  it('comments with a photo; anybody else is refused', async () => {
    const reporter = await createUser();
    const other = await createUser();
    const cookie = cookieFrom(await startSession(reporter.id, new Request(SOMERVILLE)));
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall, {}, { cookie });
    const files = [{ field: 'photo', name: 'later.jpg', bytes: await makeJpegWithGps(PLACES.somervilleCityHall), type: 'image/jpeg' }];
    const commentAs = (c: string) =>
      settle(requestAction({ request: multipartRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { intent: 'comment', comment: 'Still there.', visibility: 'public' }, { files, cookie: c }), params: { trackingNumber }, context: ctx }));
    const done = await commentAs(cookie);
    expect(done.status).toBe(302);
    expect(done.headers.get('Location')).toBe(`/requests/${trackingNumber}?done=commented`);
    expect((await (await publicPage(trackingNumber)).json()).request.photos).toHaveLength(1);
    const refused = await commentAs(cookieFrom(await startSession(other.id, new Request(SOMERVILLE))));
    expect(refused.status).toBe(403);
    const request = await statusOf(trackingNumber);
    const comments = await getDatabase().db.select().from(requestEvents).where(and(eq(requestEvents.requestId, request.id), eq(requestEvents.kind, 'resident_comment')));
    expect(comments).toHaveLength(1);
  });
});
