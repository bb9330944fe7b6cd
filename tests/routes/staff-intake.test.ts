import { and, eq } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { auditLog, requestEvents, requestFollowers, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import type { TownProfile } from '~/utils/town-profile.server';
import { loader as publicLoader } from '~/routes/requests.$trackingNumber';
import { action as intakeAction, loader as intakeLoader } from '~/routes/staff.new';
import { makeJpegWithGps } from '../fixtures/exif-jpeg';
import { browserRequest, mailboxFor, townBySlug } from '../factories';
import { signInEveryone, type MatrixPerson } from '../people';
import { fileReport, multipartRequest, PLACES, settle, storedUploads } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const ctx = { clientIp: '10.4.4.4' };
const WHO: MatrixPerson[] = ['anonymous', 'resident', 'staffA', 'adminA', 'staffB', 'state'];
const ALLOWED: Record<MatrixPerson, boolean> = { anonymous: false, resident: false, staffA: true, adminA: true, staffB: false, state: false };

let somerville: TownProfile;
let cookies: Record<MatrixPerson, string | null>;
let staffA: { id: string; email: string };

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  const everyone = await signInEveryone(SOMERVILLE);
  cookies = everyone.cookies;
  staffA = everyone.people.staffA;
});

let n = 0;
/** A caller's report as the intake form posts it (multipart, as the page's form does). */
function intakeForm(fields: Record<string, string> = {}, who: MatrixPerson = 'staffA', photos: { name: string; bytes: Buffer }[] = []) {
  n++;
  const spot = { lat: String(PLACES.somervilleCityHall.lat + n * 0.0011), lng: String(PLACES.somervilleCityHall.lng) };
  const form = { idempotencyKey: uuidv7(), channel: 'phone', category: 'graffiti', description: `Caller reports a tag (${n})`, ...spot, locationSource: 'coordinates', ...fields };
  return multipartRequest(`${SOMERVILLE}/staff/new`, form, { cookie: cookies[who] ?? undefined, files: photos.map((p) => ({ field: 'photos', name: p.name, bytes: p.bytes, type: 'image/jpeg' })) });
}
const file = async (fields: Record<string, string> = {}, who: MatrixPerson = 'staffA', photos: { name: string; bytes: Buffer }[] = []) => settle(intakeAction({ request: intakeForm(fields, who, photos), params: {}, context: ctx }));
const filedNumber = (response: Response) => new URL(response.headers.get('Location')!, SOMERVILLE).searchParams.get('filed')!;
const requestRow = async (trackingNumber: string) => (await withTown(somerville.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber))))[0]!;
const countRequests = async () => (await withTown(somerville.id, (tx) => tx.select({ id: serviceRequests.id }).from(serviceRequests))).length;

describe('assisted intake: who may file for a caller', () => {
  it.each(WHO)('%s', async (who) => {
    const page = await settle(intakeLoader({ request: browserRequest(`${SOMERVILLE}/staff/new`, { cookie: cookies[who] }), params: {}, context: ctx }));
    const before = await countRequests();
    const response = await file({}, who);
    if (who === 'anonymous') {
      expect(page.status).toBe(302);
      expect(response.status).toBe(302);
      expect(response.headers.get('Location')).toMatch(/^\/login\?/);
    } else if (!ALLOWED[who]) {
      expect(page.status).toBe(403);
      expect(response.status).toBe(403);
    } else {
      expect(page.status).toBe(200);
      expect(response.status).toBe(302);
      expect(response.headers.get('Location')).toMatch(/^\/staff\/new\?filed=SOM-\d+$/);
    }
    expect(await countRequests()).toBe(before + (ALLOWED[who] ? 1 : 0));
  });
});

describe('assisted intake: filing', () => {
  it('stores the channel and the caller’s private contact, audits the filing, emails the caller, and the public page says staff filed it without naming anyone', async () => {
    const email = `caller-${uuidv7()}@example.com`;
    const response = await file({ channel: 'walk_in', name: 'Pat Caller', email, phone: '(617) 555-0100 x12' });
    expect(response.status).toBe(302);
    const trackingNumber = filedNumber(response);
    const row = await requestRow(trackingNumber);
    expect(row).toMatchObject({ channel: 'walk_in', reporterName: 'Pat Caller', reporterEmail: email, reporterPhone: '(617) 555-0100 x12', reporterUserId: null, townId: somerville.id });

    const [submitted] = await withTown(somerville.id, (tx) => tx.select().from(requestEvents).where(eq(requestEvents.requestId, row.id)));
    expect(submitted).toMatchObject({ kind: 'submitted', public: true, actorUserId: staffA.id });
    const audit = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(and(eq(auditLog.entityType, 'request'), eq(auditLog.entityId, trackingNumber))));
    expect(audit).toEqual([expect.objectContaining({ action: 'request.filed_for_caller', actorUserId: staffA.id, after: { channel: 'walk_in', category: 'graffiti', callerEmail: true, callerPhone: true } })]);

    // The caller follows it and gets the same confirmation a resident gets.
    expect(await withTown(somerville.id, (tx) => tx.select({ email: requestFollowers.email }).from(requestFollowers).where(eq(requestFollowers.requestId, row.id)))).toEqual([{ email }]);
    const mail = await mailboxFor(email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain(trackingNumber);

    const publicPage = await (await publicLoader({ request: browserRequest(`${SOMERVILLE}/requests/${trackingNumber}`), params: { trackingNumber }, context: ctx })).json();
    expect(publicPage.request.channel).toBe('walk_in');
    const shown = JSON.stringify(publicPage);
    for (const secret of ['Pat Caller', email, '555-0100', staffA.email, staffA.id]) expect(shown).not.toContain(secret);
  });

  it('files a phone call with only a name and a phone (no email needed), and the caller’s photo through the pipeline', async () => {
    const photo = await makeJpegWithGps({ ...PLACES.somervilleCityHall, width: 64, height: 48 });
    const response = await file({ channel: 'phone', name: 'Sam', phone: '617-555-0199', email: '' }, 'adminA', [{ name: 'tag.jpg', bytes: photo }]);
    expect(response.status).toBe(302);
    const row = await requestRow(filedNumber(response));
    expect(row).toMatchObject({ channel: 'phone', reporterName: 'Sam', reporterPhone: '617-555-0199', reporterEmail: null });
    const publicPage = await (await publicLoader({ request: browserRequest(`${SOMERVILLE}/requests/${row.trackingNumber}`), params: { trackingNumber: row.trackingNumber }, context: ctx })).json();
    expect(publicPage.request.photos).toHaveLength(1);
  });

  it('refuses a spot in another town, naming it, and files nothing', async () => {
    const before = await countRequests();
    const response = await file({ lat: String(PLACES.maldenCityHall.lat), lng: String(PLACES.maldenCityHall.lng) });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.errors.location).toBe('This spot is in Malden, not Somerville: Somerville staff cannot file it. Give the caller Malden’s contact details, or check the location.');
    expect(body.values).toMatchObject({ channel: 'phone', category: 'graffiti' });
    expect(await countRequests()).toBe(before);
  });

  it('refuses a spot outside Massachusetts as the report form does', async () => {
    const response = await file({ lat: String(PLACES.albanyNY.lat), lng: String(PLACES.albanyNY.lng) });
    expect(response.status).toBe(422);
    expect((await response.json()).errors.location).toMatch(/^This spot is not in a Massachusetts city or town/);
  });

  it('asks about an open report of the same kind nearby first, then files when staff say it is different', async () => {
    const spot = { lat: String(PLACES.somervilleCityHall.lat), lng: String(PLACES.somervilleCityHall.lng - 0.004) };
    const first = await file(spot);
    expect(first.status).toBe(302);
    const before = await countRequests();
    const again = await file(spot);
    expect(again.status).toBe(200);
    const asked = await again.json();
    expect(asked.duplicates.map((d: { trackingNumber: string }) => d.trackingNumber)).toEqual([filedNumber(first)]);
    expect(await countRequests()).toBe(before);
    const anyway = await file({ ...spot, notDuplicate: '1' });
    expect(anyway.status).toBe(302);
    expect(await countRequests()).toBe(before + 1);
  });

  it('validates the caller’s contact and the channel, all errors at once, and files nothing', async () => {
    const before = await countRequests();
    const response = await file({ channel: 'carrier-pigeon', email: 'not-an-email', phone: '311', description: '' });
    expect(response.status).toBe(422);
    const { errors } = await response.json();
    expect(errors).toMatchObject({
      channel: 'Say how the caller reached the town: by phone, in person or by email',
      email: 'Enter an email address like name@example.com',
      phone: 'Enter a 10-digit phone number, like 617-555-0100',
      description: expect.any(String),
    });
    expect(await countRequests()).toBe(before);
  });

  it('refuses a photo that is not a photo with a clear error, and stores no file', async () => {
    const uploads = (await storedUploads()).length;
    const before = await countRequests();
    const response = await file({}, 'staffA', [{ name: 'notes.jpg', bytes: Buffer.from('not an image at all') }]);
    expect(response.status).toBe(422);
    expect((await response.json()).errors.photos).toBe('“notes.jpg”: This file is not a photo we can read. Use a JPEG, PNG, WebP, or AVIF image.');
    expect(await countRequests()).toBe(before);
    expect((await storedUploads()).length).toBe(uploads);
  });

  it('a resident’s own report is still "web"', async () => {
    const trackingNumber = await fileReport(SOMERVILLE, PLACES.somervilleCityHall);
    expect((await requestRow(trackingNumber)).channel).toBe('web');
  });
});
