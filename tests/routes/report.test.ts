import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import { categories, requestEvents, requestFollowers, requestPhotos, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { action as reportAction, loader as reportLoader } from '~/routes/report';
import { loader as requestLoader } from '~/routes/requests.$trackingNumber';
import { startSession } from '~/utils/auth.server';
import { makeJpegWithGps } from '../fixtures/exif-jpeg';
import { browserRequest, cookieFrom, createUser, mailboxFor, townBySlug } from '../factories';
import { PLACES, rawMultipartRequest, reportRequest, settle, storedUploads } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';

const submit = (request: Request) => settle(reportAction({ request, params: {}, context: { clientIp: '10.1.1.1' } }));

const requestCount = async () => (await getDatabase().db.select().from(serviceRequests)).length;
const at = (p: { lat: number; lng: number }) => ({ lat: String(p.lat), lng: String(p.lng), locationSource: 'map' });
let spot = 0;
/** A fresh point inside Somerville for each report, so the duplicate check stays out of the way. */
const freshSomervillePoint = () => {
  spot++;
  return { lat: (42.382 + (spot % 8) * 0.0015).toFixed(6), lng: (-71.115 + Math.floor(spot / 8) * 0.003).toFixed(6), locationSource: 'map' };
};

describe('reporting a problem', () => {
  it('files a photo report located by its EXIF GPS, with a tracking number, a timeline and a confirmation email', async () => {
    const jpeg = await makeJpegWithGps({ ...PLACES.somervilleCityHall, orientation: 6 });
    const response = await submit(
      reportRequest(SOMERVILLE, { category: 'pothole', description: 'Deep pothole by the crosswalk', email: 'pat@example.com' }, { photos: [{ name: 'IMG_0001.jpg', bytes: jpeg }] }),
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location')!);
    expect(location.origin).toBe(SOMERVILLE);
    const trackingNumber = location.pathname.split('/').pop()!;
    expect(trackingNumber).toMatch(/^SOM-\d{4,}$/);

    const somerville = await townBySlug('somerville');
    const [row] = await withTown(somerville.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)));
    expect(row).toMatchObject({ locationSource: 'photo', reporterEmail: 'pat@example.com', status: 'submitted' });
    expect(row!.lat).toBeCloseTo(42.3876, 4);
    const photos = await withTown(somerville.id, (tx) => tx.select().from(requestPhotos).where(eq(requestPhotos.requestId, row!.id)));
    expect(photos).toHaveLength(1);
    expect(photos[0]!.width).toBeLessThan(photos[0]!.height); // orientation 6 applied
    const stored = await storedUploads();
    expect(stored.some((f) => f.endsWith(photos[0]!.displayKey))).toBe(true);
    const served = await sharp(stored.find((f) => f.endsWith(photos[0]!.displayKey))!).metadata();
    expect(served.exif).toBeUndefined();

    const events = await withTown(somerville.id, (tx) => tx.select().from(requestEvents).where(eq(requestEvents.requestId, row!.id)));
    expect(events.map((e) => e.kind)).toEqual(['submitted']);
    const [mail] = await mailboxFor('pat@example.com');
    expect(mail!.subject).toBe(`We received your report ${trackingNumber}`);
    expect(mail!.text).toContain(`${SOMERVILLE}/requests/${trackingNumber}`);
    expect(mail!.text).toMatch(/unsubscribe\?token=/);
  });

  it('returns the same request when the same form is submitted twice', async () => {
    const fields = { category: 'graffiti', description: 'Tag on the library wall', ...freshSomervillePoint(), idempotencyKey: '01890f2e-0000-7000-8000-000000000001' };
    const first = await submit(reportRequest(SOMERVILLE, fields));
    const before = await requestCount();
    const second = await submit(reportRequest(SOMERVILLE, fields));
    expect(second.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(await requestCount()).toBe(before);
  });

  it('asks before sending a report to the town that contains the spot, then files it there', async () => {
    const fields = { category: 'streetlight', description: 'Light out on Main St', ...at(PLACES.maldenCityHall) };
    const ask = await submit(reportRequest(SOMERVILLE, fields));
    expect(ask.status).toBe(200);
    const body = await ask.json();
    expect(body.confirm.message).toBe('This spot is in Malden, not Somerville. Your report will go to Malden.');
    expect(body.values.description).toBe('Light out on Main St');

    const filed = await submit(reportRequest(SOMERVILLE, { ...fields, confirmTown: 'malden' }));
    expect(filed.status).toBe(302);
    expect(filed.headers.get('Location')).toMatch(/^http:\/\/malden\.localhost:3000\/requests\/MAL-\d+\?submitted=1$/);
  });

  it.each([
    [{ ...at(PLACES.bostonCityHall) }, 'This spot is in Boston, which does not use Commonwealth Connect. Please contact Boston directly.'],
    [{ ...at(PLACES.albanyNY) }, /not in a Massachusetts city or town/],
    [{ ...at(PLACES.massachusettsBay) }, /not in a Massachusetts city or town/],
    [{}, /Show where the problem is/],
    [{ lat: 'north', lng: '-71.1' }, /Latitude must be a number/],
    [{ lat: '142.1', lng: '-71.1' }, /Latitude must be between -90 and 90/],
    [{ lat: '42.38' }, /Give both latitude and longitude/],
  ])('refuses the location %j with a message and stores nothing', async (location, message) => {
    const before = await requestCount();
    const response = await submit(reportRequest(SOMERVILLE, { category: 'pothole', description: 'Somewhere', ...location }));
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.errors.location ?? body.errors.lat ?? body.errors.lng).toMatch(message);
    expect(body.values.description).toBe('Somewhere');
    expect(await requestCount()).toBe(before);
  });

  it.each([
    [{ category: 'no-such-thing' }, 'category', /does not take reports of that kind/],
    [{ category: '' }, 'category', /Choose what kind of problem/],
    [{ description: 'x'.repeat(4001) }, 'description', /at most 4000 characters/],
    [{ description: '   ' }, 'description', /Describe the problem/],
    [{ email: 'not an email' }, 'email', /Enter an email address/],
  ])('refuses %j next to the field', async (override, field, message) => {
    const before = await requestCount();
    const response = await submit(reportRequest(SOMERVILLE, { category: 'pothole', description: 'A hole', ...freshSomervillePoint(), ...override }));
    expect(response.status).toBe(422);
    expect((await response.json()).errors[field]).toMatch(message);
    expect(await requestCount()).toBe(before);
  });

  it('stores script tags and SQL as plain text and returns them unchanged', async () => {
    const nasty = `<script>alert(1)</script>'; DROP TABLE service_requests; --`;
    const response = await submit(reportRequest(SOMERVILLE, { category: 'other', description: nasty, address: nasty.slice(0, 100), ...freshSomervillePoint() }));
    const trackingNumber = new URL(response.headers.get('Location')!).pathname.split('/').pop()!;
    const page = await (await requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: { clientIp: '1' } })).json();
    expect(page.request.description).toBe(nasty);
    expect(await requestCount()).toBeGreaterThan(0);
  });

  describe('photos', () => {
    const jpeg = () => makeJpegWithGps(PLACES.somervilleCityHall);
    it.each([
      ['four photos', async () => Promise.all([1, 2, 3, 4].map(async (i) => ({ name: `p${i}.jpg`, bytes: await jpeg() }))), 422, /at most 3 photos/],
      ['an SVG renamed .jpg', async () => [{ name: 'cat.jpg', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') }], 422, /not a photo we can read/],
      ['an HTML file', async () => [{ name: 'page.jpg', bytes: Buffer.from('<!doctype html><p>hi') }], 422, /not a photo we can read/],
      ['a truncated JPEG', async () => [{ name: 'half.jpg', bytes: (await jpeg()).subarray(0, 400) }], 422, /damaged or incomplete/],
      ['a 16 MB photo', async () => [{ name: 'huge.jpg', bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(16 * 1024 * 1024)]) }], 413, /larger than 15 MB/],
      [
        'a decompression bomb',
        async () => [{ name: 'bomb.png', bytes: await sharp({ create: { width: 12000, height: 12000, channels: 3, background: '#000000' } }).png({ compressionLevel: 9 }).toBuffer() }],
        422,
        /too large/,
      ],
    ])('refuses %s, keeps the typed text and leaves no rows or files', async (_name, makePhotos, status, message) => {
      const before = { requests: await requestCount(), files: (await storedUploads()).length };
      const response = await submit(
        reportRequest(SOMERVILLE, { category: 'pothole', description: 'Kept text', ...freshSomervillePoint() }, { photos: await makePhotos() }),
      );
      expect(response.status).toBe(status);
      const body = await response.json();
      expect(body.errors.photos).toMatch(message);
      expect(body.values.description).toBe('Kept text');
      expect(await requestCount()).toBe(before.requests);
      expect((await storedUploads()).length).toBe(before.files);
    });
  });

  describe('photo file names are labels, never parsed loosely', () => {
    const withPhotoNamed = async (filename: string) =>
      rawMultipartRequest(`${SOMERVILLE}/report`, [
        { name: 'idempotencyKey', value: uuidv7() },
        { name: 'category', value: 'pothole' },
        { name: 'description', value: 'Typed before attaching' },
        ...Object.entries(freshSomervillePoint()).map(([name, value]) => ({ name, value })),
        { name: 'photos', filename, bytes: await makeJpegWithGps(PLACES.somervilleCityHall) },
      ]);

    it.each(['a=b;c.jpg', 'x"; name="description', 'a=b;c\\".jpg', 'café ☕.jpg'])('files a report whose photo is named %j, photo stored', async (filename) => {
      const response = await submit(await withPhotoNamed(filename));
      expect(response.status).toBe(302);
      const trackingNumber = new URL(response.headers.get('Location')!).pathname.split('/').pop()!;
      const somerville = await townBySlug('somerville');
      const [row] = await withTown(somerville.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)));
      expect(row!.description).toBe('Typed before attaching');
      const photos = await withTown(somerville.id, (tx) => tx.select().from(requestPhotos).where(eq(requestPhotos.requestId, row!.id)));
      expect(photos).toHaveLength(1);
    });

    it('refuses a photo whose file name breaks the part header next to the photos field, keeping the typed text', async () => {
      const before = { requests: await requestCount(), files: (await storedUploads()).length };
      const response = await submit(await withPhotoNamed('a=b;c".jpg'));
      expect(response.status).toBe(422);
      const body = await response.json();
      expect(body.errors.photos).toMatch(/could not be read.*rename/i);
      expect(body.values.description).toBe('Typed before attaching');
      expect(await requestCount()).toBe(before.requests);
      expect((await storedUploads()).length).toBe(before.files);
    });
  });

  it('offers open reports of the same kind within 50 m before filing a new one', async () => {
    const point = freshSomervillePoint();
    await submit(reportRequest(SOMERVILLE, { category: 'tree', description: 'Fallen branch', ...point }));
    const near = { ...point, lat: String(Number(point.lat) + 0.0002) };
    const ask = await submit(reportRequest(SOMERVILLE, { category: 'tree', description: 'Branch on sidewalk', ...near }));
    expect(ask.status).toBe(200);
    const body = await ask.json();
    expect(body.duplicates.items).toHaveLength(1);
    expect(body.duplicates.items[0].distanceMeters).toBeGreaterThan(15);
    const filed = await submit(reportRequest(SOMERVILLE, { category: 'tree', description: 'Branch on sidewalk', ...near, notDuplicate: '1' }));
    expect(filed.status).toBe(302);
  });

  it("requires a category's required questions and keeps private answers off the public page", async () => {
    const somerville = await townBySlug('somerville');
    await withTown(somerville.id, (tx) =>
      tx
        .update(categories)
        .set({
          questions: [
            { code: 'lane', label: 'Which lane?', type: 'single', required: true, public: true, choices: [{ value: 'left', label: 'Left lane' }, { value: 'right', label: 'Right lane' }] },
            { code: 'phone', label: 'Phone for the crew', type: 'text', required: false, public: false },
          ],
        })
        .where(and(eq(categories.code, 'pothole'))),
    );
    const missing = await submit(reportRequest(SOMERVILLE, { category: 'pothole', description: 'Hole', ...freshSomervillePoint() }));
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors['q.lane']).toBe('Answer “Which lane?”');

    const filed = await submit(reportRequest(SOMERVILLE, { category: 'pothole', description: 'Hole', ...freshSomervillePoint(), 'q.lane': 'left', 'q.phone': '617-555-0100' }));
    const trackingNumber = new URL(filed.headers.get('Location')!).pathname.split('/').pop()!;
    const response = await requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: { clientIp: '1' } });
    const text = await response.text();
    expect(JSON.parse(text).request.publicAnswers).toEqual([{ label: 'Which lane?', value: 'Left lane' }]);
    expect(text).not.toContain('617-555-0100');
  });

  it('never shows the reporter on the public page', async () => {
    const response = await submit(
      reportRequest(SOMERVILLE, { category: 'other', description: 'Broken bench', ...freshSomervillePoint(), email: 'secret.person@example.com', name: 'Secret Person' }),
    );
    const trackingNumber = new URL(response.headers.get('Location')!).pathname.split('/').pop()!;
    const page = await requestLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: { clientIp: '1' } });
    const text = await page.text();
    expect(text).not.toMatch(/secret\.person|Secret Person/i);
  });

  it('signed-in reporters use their account and become followers', async () => {
    const somerville = await townBySlug('somerville');
    const user = await createUser();
    const cookie = cookieFrom(await startSession(user.id, new Request(SOMERVILLE)));
    const response = await submit(reportRequest(SOMERVILLE, { category: 'other', description: 'Mine', ...freshSomervillePoint() }, { cookie }));
    const trackingNumber = new URL(response.headers.get('Location')!).pathname.split('/').pop()!;
    const [row] = await withTown(somerville.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)));
    expect(row).toMatchObject({ reporterUserId: user.id, reporterEmail: user.email });
    const followers = await withTown(somerville.id, (tx) => tx.select().from(requestFollowers).where(eq(requestFollowers.requestId, row!.id)));
    expect(followers.map((f) => f.userId)).toEqual([user.id]);
  });

  it('the form page offers the town categories and a fresh idempotency key', async () => {
    const data = await (await reportLoader({ request: browserRequest(`${SOMERVILLE}/report`), params: {}, context: { clientIp: '1' } })).json();
    expect(data.form!.groups.flatMap((g: { categories: { code: string }[] }) => g.categories.map((c) => c.code))).toContain('pothole');
    expect(data.form!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.form!.center.lat).toBeGreaterThan(42.3);
  });
});

describe('several mistakes at once', () => {
  it('names every missing field in one answer, location included', async () => {
    let response: Response;
    try {
      response = await reportAction({ request: reportRequest(SOMERVILLE, { category: '', description: '', email: 'kept@example.com' }), params: {}, context: { clientIp: '1' } });
    } catch (thrown) {
      response = thrown as Response;
    }
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(Object.keys(body.errors).sort()).toEqual(['category', 'description', 'location']);
    expect(body.values.email).toBe('kept@example.com');
  });
});
