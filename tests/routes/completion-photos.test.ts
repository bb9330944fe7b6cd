import { and, eq } from 'drizzle-orm';
import { auditLog, requestEvents, requestPhotos, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { correctLocation } from '~/modules/staff/request-work.server';
import { loader as publicLoader } from '~/routes/requests.$trackingNumber';
import { loader as listLoader } from '~/routes/requests._index';
import { action as requestAction, loader as requestLoader } from '~/routes/staff.requests.$trackingNumber';
import { startSession } from '~/utils/auth.server';
import { townLinks } from '~/utils/town.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { townStaffFor } from '../capabilities';
import { makeJpegWithGps } from '../fixtures/exif-jpeg';
import { browserRequest, cookieFrom, createUser, townBySlug } from '../factories';
import { fileDirectly, multipartRequest, PLACES, settle, storedUploads } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const ctx = { clientIp: '10.5.5.5' };
let somerville: TownProfile;
let staffCookie: string;
let staffUser: { id: string };
let residentCookie: string;

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  staffUser = await createUser({ roles: [[somerville, 'staff']] });
  staffCookie = cookieFrom(await startSession(staffUser.id, new Request(SOMERVILLE)));
  residentCookie = cookieFrom(await startSession((await createUser()).id, new Request(SOMERVILLE)));
});

let n = 0;
function file() {
  n++;
  return fileDirectly(somerville, { categoryCode: 'streetlight', description: `Completion photo test ${n}`, lat: 42.385 + n * 0.0002, lng: -71.1 });
}

const jpeg = () => makeJpegWithGps({ ...PLACES.somervilleCityHall, width: 80, height: 60 });
/** The status form as the browser posts it without JavaScript: multipart, with its file input. */
function closeWithPhotos(trackingNumber: string, fields: Record<string, string>, photos: { name: string; bytes: Buffer }[], cookie = staffCookie) {
  const request = multipartRequest(`${SOMERVILLE}/staff/requests/${trackingNumber}`, { intent: 'status', expectedVersion: '1', to: 'fixed', reason: '', duplicateOf: '', referredTo: '', ...fields }, {
    cookie,
    files: photos.map((p) => ({ field: 'photos', name: p.name, bytes: p.bytes, type: 'image/jpeg' })),
  });
  return settle(requestAction({ request, params: { trackingNumber }, context: ctx }));
}
const rowsOf = async (trackingNumber: string) =>
  withTown(somerville.id, async (tx) => {
    const [request] = await tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber));
    return {
      request: request!,
      photos: await tx.select().from(requestPhotos).where(eq(requestPhotos.requestId, request!.id)),
      events: await tx.select().from(requestEvents).where(eq(requestEvents.requestId, request!.id)),
      audit: await tx.select().from(auditLog).where(and(eq(auditLog.entityType, 'request'), eq(auditLog.entityId, trackingNumber))),
    };
  });

describe('completion photos on a status change', () => {
  it('stores them with the change’s event, and the public page shows them with that event', async () => {
    const trackingNumber = await file();
    const uploads = (await storedUploads()).length;
    const response = await closeWithPhotos(trackingNumber, { reason: 'New lamp fitted on the pole.' }, [
      { name: 'before.jpg', bytes: await jpeg() },
      { name: 'after.jpg', bytes: await jpeg() },
    ]);
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(`/staff/requests/${trackingNumber}?done=status`);

    const { request, photos, events, audit } = await rowsOf(trackingNumber);
    expect(request).toMatchObject({ status: 'fixed', version: 2 });
    const fixed = events.find((e) => e.toStatus === 'fixed')!;
    expect(photos).toHaveLength(2);
    expect(photos.every((p) => p.eventId === fixed.id && p.public)).toBe(true);
    expect((await storedUploads()).length).toBe(uploads + 4); // display and thumbnail of each
    expect(audit.map((a) => a.action).sort()).toEqual(['completion_photos_added', 'status_changed']);

    const page = await (await publicLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: ctx })).json();
    expect(page.request.photos).toEqual([]);
    const shown = page.request.timeline.find((e: { toStatus: string | null }) => e.toStatus === 'fixed')!;
    expect(shown).toMatchObject({ message: 'New lamp fitted on the pole.' });
    expect(shown.photos.map((p: { id: string }) => p.id).sort()).toEqual(photos.map((p) => p.id).sort());

    // The list's thumbnail is the problem as reported, never the town's completion photo.
    const list = await (await listLoader({ request: browserRequest(`${SOMERVILLE}/requests?q=${encodeURIComponent(`Completion photo test ${n}`)}`), params: {}, context: ctx })).json();
    expect(JSON.stringify(list)).toContain(trackingNumber);
    expect(JSON.stringify(list)).not.toContain(photos[0]!.thumbnailKey);

    const staffPage = await (await requestLoader({ request: browserRequest(`${SOMERVILLE}/staff/requests/${trackingNumber}`, { cookie: staffCookie }), params: { trackingNumber }, context: ctx })).json();
    expect(staffPage.request.timeline.find((e: { toStatus: string | null }) => e.toStatus === 'fixed')!.photos).toHaveLength(2);
  });

  it('refuses a file that is not a photo with a clear error, and changes nothing', async () => {
    const trackingNumber = await file();
    const uploads = (await storedUploads()).length;
    const before = await rowsOf(trackingNumber);
    const response = await closeWithPhotos(trackingNumber, {}, [
      { name: 'good.jpg', bytes: await jpeg() },
      { name: 'report.jpg', bytes: Buffer.from('%PDF-1.4 not a photo') },
    ]);
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.intent).toBe('status');
    expect(body.fieldErrors).toEqual({ photos: '“report.jpg”: This file is not a photo we can read. Use a JPEG, PNG, WebP, or AVIF image.' });
    expect(await rowsOf(trackingNumber)).toEqual(before);
    expect((await storedUploads()).length).toBe(uploads);
  });

  it('leaves no file behind when the change itself is refused (a stale version, a missing reason)', async () => {
    const trackingNumber = await file();
    const uploads = (await storedUploads()).length;
    const before = await rowsOf(trackingNumber);
    const stale = await closeWithPhotos(trackingNumber, { expectedVersion: '7' }, [{ name: 'a.jpg', bytes: await jpeg() }]);
    expect(stale.status).toBe(409);
    const noReason = await closeWithPhotos(trackingNumber, { to: 'not_fixed' }, [{ name: 'a.jpg', bytes: await jpeg() }]);
    expect(noReason.status).toBe(422);
    expect((await noReason.json()).fieldErrors).toEqual({ reason: 'Say why the request is closed without a fix.' });
    expect(await rowsOf(trackingNumber)).toEqual(before);
    expect((await storedUploads()).length).toBe(uploads);
  });

  it('refuses more photos than a report may carry', async () => {
    const trackingNumber = await file();
    const photo = { name: 'p.jpg', bytes: await jpeg() };
    const response = await closeWithPhotos(trackingNumber, {}, [photo, photo, photo, photo]);
    expect(response.status).toBe(422);
    expect((await response.json()).fieldErrors.photos).toBe('Attach at most 3 photos.');
    expect((await rowsOf(trackingNumber)).request.status).toBe('submitted');
  });

  it('follow their event when a corrected location transfers the request to another town', async () => {
    const trackingNumber = await file();
    expect((await closeWithPhotos(trackingNumber, { to: 'in_progress', reason: 'Crew on site' }, [{ name: 'site.jpg', bytes: await jpeg() }])).status).toBe(302);
    // Filed by staff for a caller: the copy says so too.
    await withTown(somerville.id, (tx) => tx.update(serviceRequests).set({ channel: 'phone' }).where(eq(serviceRequests.trackingNumber, trackingNumber)));
    const staff = await townStaffFor(somerville, staffUser);
    const moved = await correctLocation(staff, { trackingNumber, expectedVersion: 2 }, { ...PLACES.maldenCityHall, address: null }, (slug) => townLinks(slug), 'Corrected: this is in Malden.');
    expect(moved).toMatchObject({ ok: true, transferredTo: { townSlug: 'malden' } });
    const copy = moved.ok ? moved.transferredTo!.trackingNumber : '';
    const malden = await townBySlug('malden');
    const page = await (await publicLoader({ request: browserRequest(`http://malden.localhost:3000/requests/${copy}`), params: { trackingNumber: copy }, context: ctx })).json();
    expect(page.request.channel).toBe('phone');
    const inProgress = page.request.timeline.find((e: { toStatus: string | null }) => e.toStatus === 'in_progress')!;
    expect(inProgress.photos).toHaveLength(1);
    const rows = await withTown(malden.id, (tx) => tx.select().from(requestPhotos));
    expect(rows.filter((r) => r.eventId === inProgress.id)).toHaveLength(1);
  });

  it('is refused to a resident like every staff action', async () => {
    const trackingNumber = await file();
    const response = await closeWithPhotos(trackingNumber, {}, [{ name: 'a.jpg', bytes: await jpeg() }], residentCookie);
    expect(response.status).toBe(403);
    expect((await rowsOf(trackingNumber)).photos).toEqual([]);
  });
});
