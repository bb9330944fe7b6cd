import { eq } from 'drizzle-orm';
import { requestPhotos, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { loader as photoLoader } from '~/routes/photos.$';
import { action as reportAction } from '~/routes/report';
import { action as requestAction } from '~/routes/requests.$trackingNumber';
import { startSession } from '~/utils/auth.server';
import { makeJpegWithGps } from '../fixtures/exif-jpeg';
import { browserRequest, cookieFrom, createUser, townBySlug } from '../factories';
import { PLACES, reportRequest, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const ctx = { clientIp: '10.9.9.9' };


const fetchPhoto = (key: string, cookie?: string) =>
  settle(photoLoader({ request: browserRequest(`${SOMERVILLE}/photos/${key}`, { cookie }), params: { '*': key }, context: ctx }));

describe('photos of a request', () => {
  it('are public while the request is, and only for its town’s staff once it is withdrawn', async () => {
    const somerville = await townBySlug('somerville');
    const reporter = await createUser();
    const reporterCookie = cookieFrom(await startSession(reporter.id, new Request(SOMERVILLE)));
    const staff = await createUser({ roles: [[somerville, 'staff']] });
    const staffCookie = cookieFrom(await startSession(staff.id, new Request(SOMERVILLE)));
    const jpeg = await makeJpegWithGps(PLACES.somervilleCityHall);
    const filed = await settle(
      reportAction({
        request: reportRequest(SOMERVILLE, { category: 'graffiti', description: 'Tag on the wall' }, { photos: [{ name: 'wall.jpg', bytes: jpeg }], cookie: reporterCookie }),
        params: {},
        context: ctx,
      }),
    );
    const trackingNumber = new URL(filed.headers.get('Location')!).pathname.split('/').pop()!;
    const [photo] = await withTown(somerville.id, (tx) =>
      tx.select({ key: requestPhotos.thumbnailKey }).from(requestPhotos).innerJoin(serviceRequests, eq(serviceRequests.id, requestPhotos.requestId)).where(eq(serviceRequests.trackingNumber, trackingNumber)),
    );

    const open = await fetchPhoto(photo!.key);
    expect(open.status).toBe(200);
    expect(open.headers.get('Cache-Control')).toMatch(/^public/);

    const withdrawn = await settle(
      requestAction({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`, { form: { intent: 'withdraw' }, cookie: reporterCookie }), params: { trackingNumber }, context: ctx }),
    );
    expect(withdrawn.status).toBe(302);
    expect((await fetchPhoto(photo!.key)).status).toBe(404);
    expect((await fetchPhoto(photo!.key, reporterCookie)).status).toBe(404);
    const forStaff = await fetchPhoto(photo!.key, staffCookie);
    expect(forStaff.status).toBe(200);
    expect(forStaff.headers.get('Cache-Control')).toBe('private, no-store');
  });

  it('answers 404 for a well-formed key that no request holds', async () => {
    const somerville = await townBySlug('somerville');
    expect((await fetchPhoto(`requests/${somerville.id}/0190e7d4-0000-7000-8000-000000000000/nothing.webp`)).status).toBe(404);
  });
});
