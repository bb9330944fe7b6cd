import { and, eq, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { getDatabase } from '#db/client';
import { auditLog, categories, departments, outboxMessages, requestEvents, requestFollowers, requestPhotos, requestTokens, serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { photoAccess } from '~/modules/photos/photo-access.server';
import { followRequest } from '~/modules/requests/following.server';
import { addInternalNote, postReply } from '~/modules/staff/request-work.server';
import { loader as photoLoader } from '~/routes/photos.$';
import { loader as publicLoader } from '~/routes/requests.$trackingNumber';
import { loader as manageLoader } from '~/routes/requests.$trackingNumber_.manage';
import { loader as queueLoader } from '~/routes/staff._index';
import { action as requestAction, loader as requestLoader } from '~/routes/staff.requests.$trackingNumber';
import { loader as trackLoader } from '~/routes/track';
import { startSession } from '~/utils/auth.server';
import type { TownStaff } from '~/utils/capabilities.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { townLinks } from '~/utils/town.server';
import { townStaffFor } from '../capabilities';
import { makeJpegWithGps } from '../fixtures/exif-jpeg';
import { browserRequest, cookieFrom, createUser, mailboxFor, townBySlug } from '../factories';
import { latestMail, linkIn } from '../mail-links';
import { fileReport, PLACES, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const MALDEN = 'http://malden.localhost:3000';
const ctx = { clientIp: '10.4.4.4' };

let somerville: TownProfile;
let malden: TownProfile;
let asSomervilleStaff: TownStaff;
const cookies: { somervilleStaff?: string; maldenStaff?: string; maldenAdmin?: string } = {};
let maldenAdmin: { id: string; email: string };

const PRIVATE_ANSWER = 'Behind the gate code 4417';
const INTERNAL_NOTE = 'Secret crew note: the owner threatened the crew';

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  malden = await townBySlug('malden');
  const somervilleStaff = await createUser({ displayName: 'Sam Sender', roles: [[somerville, 'staff']] });
  const maldenStaff = await createUser({ roles: [[malden, 'staff']] });
  maldenAdmin = await createUser({ roles: [[malden, 'admin']] });
  asSomervilleStaff = await townStaffFor(somerville, somervilleStaff);
  cookies.somervilleStaff = cookieFrom(await startSession(somervilleStaff.id, new Request(SOMERVILLE)));
  cookies.maldenStaff = cookieFrom(await startSession(maldenStaff.id, new Request(MALDEN)));
  cookies.maldenAdmin = cookieFrom(await startSession(maldenAdmin.id, new Request(MALDEN)));
  // Somerville's graffiti form asks one public and one staff-only question.
  await withTown(somerville.id, (tx) =>
    tx
      .update(categories)
      .set({
        questions: [
          { code: 'surface', label: 'What is it on?', type: 'text', required: false, public: true },
          { code: 'access', label: 'How do crews get in?', type: 'text', required: false, public: false },
        ],
      })
      .where(eq(categories.code, 'graffiti')),
  );
});

const staffPost = (trackingNumber: string, form: [string, string][]) =>
  settle(requestAction({ request: browserRequest(`${SOMERVILLE}/staff/requests/${trackingNumber}`, { form, cookie: cookies.somervilleStaff }), params: { trackingNumber }, context: ctx }));
const versionOf = async (town: TownProfile, trackingNumber: string) =>
  (await withTown(town.id, (tx) => tx.select({ version: serviceRequests.version }).from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber))))[0]!.version;

/**
 * A Somerville request with everything a transfer must sort: a photo, a public and a private answer,
 * an email-only reporter and a follower, a public reply, an internal note; then corrected into Malden.
 */
async function fileAndTransfer(reporterEmail: string, followerEmail: string) {
  const trackingNumber = await fileReport(
    SOMERVILLE,
    PLACES.somervilleCityHall,
    { email: reporterEmail, 'q.surface': 'Brick wall', 'q.access': PRIVATE_ANSWER },
    { photos: [{ name: 'wall.jpg', bytes: await makeJpegWithGps(PLACES.somervilleCityHall) }] },
  );
  expect(await followRequest(somerville.id, trackingNumber, { userId: null, email: followerEmail })).toMatchObject({ ok: true });
  expect(await postReply(asSomervilleStaff, { trackingNumber, expectedVersion: 1 }, 'A crew will look at it.', townLinks('somerville'))).toEqual({ ok: true });
  expect(await addInternalNote(asSomervilleStaff, { trackingNumber, expectedVersion: 2 }, INTERNAL_NOTE)).toEqual({ ok: true });
  const relocate = (note: string | null): [string, string][] => [
    ['intent', 'relocate'],
    ['expectedVersion', '3'],
    ['lat', String(PLACES.maldenCityHall.lat)],
    ['lng', String(PLACES.maldenCityHall.lng)],
    ['address', '215 Pleasant St'],
    ...(note === null ? [] : ([['transferNote', note]] as [string, string][])),
  ];
  // A move to another town needs a word to its staff; without it nothing happens.
  const noNote = await staffPost(trackingNumber, relocate(null));
  expect(noNote.status).toBe(422);
  expect((await noNote.json()).fieldErrors.transferNote).toMatch(/That spot is in Malden.*note for Malden's staff/);
  expect(await versionOf(somerville, trackingNumber)).toBe(3);
  const moved = await staffPost(trackingNumber, relocate('Owner is Malden Housing; call Pat at 781-555-0100.'));
  expect(moved.status).toBe(302);
  expect(moved.headers.get('Location')).toBe(`/staff/requests/${trackingNumber}?done=transferred`);
  const [source] = await withTown(somerville.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)));
  return { source: source!, received: source!.transferredToTrackingNumber! };
}

describe('a transfer to another town', () => {
  let source: typeof serviceRequests.$inferSelect;
  let received: string;
  const reporter = 'transfer.reporter@example.com';
  const follower = 'transfer.follower@example.com';
  beforeAll(async () => {
    ({ source, received } = await fileAndTransfer(reporter, follower));
  });

  const maldenStaffPage = async () =>
    (await requestLoader({ request: browserRequest(`${MALDEN}/staff/requests/${received}`, { cookie: cookies.maldenStaff }), params: { trackingNumber: received }, context: ctx })).json();

  it("arrives in the receiving town's staff view with the public history, photos, reporter, followers and the note", async () => {
    expect(received).toMatch(/^MAL-\d+$/);
    const { request } = await maldenStaffPage();
    expect(request).toMatchObject({
      status: 'submitted',
      acknowledgedAt: null,
      assignee: null,
      address: '215 Pleasant St',
      followerCount: 2,
      reporter: { email: reporter },
      transferredFrom: { townName: 'Somerville', trackingNumber: source.trackingNumber },
    });
    expect(request.photos).toHaveLength(1);
    expect(request.timeline.map((e: { kind: string; public: boolean }) => [e.kind, e.public])).toEqual([
      ['submitted', true],
      ['public_reply', true],
      ['transferred_in', true],
      ['transfer_note', false],
    ]);
    expect(request.timeline.at(-1)).toMatchObject({ message: 'Owner is Malden Housing; call Pat at 781-555-0100.', actor: { name: 'Sam Sender' } });
    expect(request.answers).toEqual([{ code: 'surface', label: 'surface', value: 'Brick wall', public: false }]);
    // What stayed in Somerville is nowhere in the page Malden's staff get.
    const page = JSON.stringify(await maldenStaffPage());
    expect(page).not.toContain(INTERNAL_NOTE);
    expect(page).not.toContain(PRIVATE_ANSWER);
  });

  it('starts fresh in the receiving town: new, unacknowledged, due by its own category, on top of its queue and marked as transferred in', async () => {
    const [row] = await withTown(malden.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, received)));
    expect(row).toMatchObject({ status: 'submitted', acknowledgedAt: null, assigneeUserId: null, closedAt: null, version: 1, transferredFromTownId: somerville.id, transferredFromTrackingNumber: source.trackingNumber });
    expect(row!.createdAt.getTime()).toBeGreaterThan(source.createdAt.getTime());
    expect(row!.dueAt!.getTime()).toBeGreaterThan(row!.createdAt.getTime());
    const queue = await (await queueLoader({ request: browserRequest(`${MALDEN}/staff`, { cookie: cookies.maldenStaff }), params: {}, context: ctx })).json();
    expect(queue.items[0]).toMatchObject({ trackingNumber: received, status: 'submitted', transferredFrom: source.trackingNumber });
  });

  it("keeps the sending town's internal notes and private answers out of the receiving town's rows (its own scope and as superuser)", async () => {
    const [copy] = await withTown(malden.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, received)));
    expect(copy!.answers).toEqual({ surface: 'Brick wall' });
    const events = await withTown(malden.id, (tx) => tx.select().from(requestEvents).where(eq(requestEvents.requestId, copy!.id)));
    expect(events.map((e) => e.kind).sort()).toEqual(['public_reply', 'submitted', 'transfer_note', 'transferred_in']);
    expect(events.some((e) => e.kind === 'internal_note' || e.message?.includes(INTERNAL_NOTE))).toBe(false);
    // The superuser sees every town: nothing of the note or the answer was written under Malden anywhere.
    const db = getDatabase().db;
    for (const table of [serviceRequests, requestEvents, auditLog, outboxMessages]) {
      const [leaked] = await db.select({ n: sql<number>`count(*)::int` }).from(table).where(and(eq(table.townId, malden.id), sql`${table}::text ilike ${`%${INTERNAL_NOTE}%`}`));
      expect(leaked!.n, 'internal note').toBe(0);
      const [answer] = await db.select({ n: sql<number>`count(*)::int` }).from(table).where(and(eq(table.townId, malden.id), sql`${table}::text ilike ${`%${PRIVATE_ANSWER}%`}`));
      expect(answer!.n, 'private answer').toBe(0);
    }
    // Somerville's record keeps both.
    const kept = await withTown(somerville.id, (tx) => tx.select().from(requestEvents).where(and(eq(requestEvents.requestId, source.id), eq(requestEvents.kind, 'internal_note'))));
    expect(kept.map((e) => e.message)).toEqual([INTERNAL_NOTE]);
    expect(source.answers).toMatchObject({ access: PRIVATE_ANSWER });
  });

  it('copies the photo rows pointing at the same stored files, which the public can still open', async () => {
    const [copy] = await withTown(malden.id, (tx) => tx.select({ id: serviceRequests.id }).from(serviceRequests).where(eq(serviceRequests.trackingNumber, received)));
    const [sent, got] = await Promise.all([
      withTown(somerville.id, (tx) => tx.select().from(requestPhotos).where(eq(requestPhotos.requestId, source.id))),
      withTown(malden.id, (tx) => tx.select().from(requestPhotos).where(eq(requestPhotos.requestId, copy!.id))),
    ]);
    expect(got.map((p) => [p.displayKey, p.thumbnailKey, p.public])).toEqual(sent.map((p) => [p.displayKey, p.thumbnailKey, p.public]));
    const photo = await photoLoader({ request: new Request(`${MALDEN}/photos/${got[0]!.displayKey}`), params: { '*': got[0]!.displayKey }, context: ctx });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('Cache-Control')).toBe('public, max-age=600');
  });

  it("emails the receiving town's admins (its category has no department address) with the note and the location", async () => {
    const mail = await latestMail(maldenAdmin.email, new RegExp(`^Transferred from Somerville: ${received} `));
    expect(mail.text).toContain(`Somerville moved its request ${source.trackingNumber} to Malden`);
    expect(mail.text).toContain('Note from Sam Sender');
    expect(mail.text).toContain('Owner is Malden Housing; call Pat at 781-555-0100.');
    expect(mail.text).toContain('Where: 215 Pleasant St (42.42510, -71.06620)');
    expect(linkIn(mail, `/staff/requests/${received}`).href).toBe(`${MALDEN}/staff/requests/${received}#location`);
  });

  it("tells the reporter and followers once, from the receiving town, with its links; the copy's unsubscribe links are its own", async () => {
    for (const to of [reporter, follower]) {
      const moved = (await mailboxFor(to)).filter((m) => m.subject.startsWith(`Update on ${received}`));
      expect(moved).toHaveLength(1);
      expect(moved[0]!.text).toContain(`Malden now handles this request as ${received}`);
      expect(linkIn(moved[0]!, '/requests/').origin).toBe(MALDEN);
      expect(linkIn(moved[0]!, '/unsubscribe').origin).toBe(MALDEN);
      // Somerville's referral sent nothing of its own.
      expect((await mailboxFor(to)).filter((m) => m.subject.startsWith(`Update on ${source.trackingNumber}: Status`))).toEqual([]);
    }
    const copied = await withTown(malden.id, (tx) => tx.select({ email: requestFollowers.email }).from(requestFollowers).innerJoin(serviceRequests, eq(serviceRequests.id, requestFollowers.requestId)).where(eq(serviceRequests.trackingNumber, received)));
    expect(copied.map((f) => f.email).sort()).toEqual([follower, reporter]);
  });

  it("redirects the sending town's public page, tracking and the reporter's manage link to the new town's page", async () => {
    const old = await settle(publicLoader({ request: browserRequest(`${SOMERVILLE}/requests/${source.trackingNumber}`), params: { trackingNumber: source.trackingNumber }, context: ctx }));
    expect(old.status).toBe(301);
    expect(old.headers.get('Location')).toBe(`${MALDEN}/requests/${received}`);
    const tracked = await settle(trackLoader({ request: browserRequest(`${SOMERVILLE}/track?number=${source.trackingNumber}`), params: {}, context: ctx }));
    expect(tracked.headers.get('Location')).toBe(`${MALDEN}/requests/${received}`);
    const page = await (await publicLoader({ request: browserRequest(`${MALDEN}/requests/${received}`), params: { trackingNumber: received }, context: ctx })).json();
    expect(page.request).toMatchObject({ trackingNumber: received, status: 'submitted' });
    expect(JSON.stringify(page)).not.toContain(INTERNAL_NOTE);

    const manage = linkIn(await latestMail(reporter, `We received your report ${source.trackingNumber}`), `/requests/${source.trackingNumber}/manage`);
    const redirected = await settle(manageLoader({ request: browserRequest(manage.href), params: { trackingNumber: source.trackingNumber }, context: ctx }));
    expect(redirected.status).toBe(301);
    const target = new URL(redirected.headers.get('Location')!);
    expect(`${target.origin}${target.pathname}`).toBe(`${MALDEN}/requests/${received}/manage`);
    const opened = await manageLoader({ request: browserRequest(target.href), params: { trackingNumber: received }, context: ctx });
    expect(opened.status).toBe(200);
    expect((await opened.json()).report).toMatchObject({ trackingNumber: received, status: 'submitted' });
    const tokens = await withTown(malden.id, (tx) => tx.select({ purpose: requestTokens.purpose }).from(requestTokens));
    expect(tokens.map((t) => t.purpose)).toContain('manage');
  });

  it("leaves the sending town's record referred, pointing at the new one", async () => {
    const { request } = await (await requestLoader({ request: browserRequest(`${SOMERVILLE}/staff/requests/${source.trackingNumber}`, { cookie: cookies.somervilleStaff }), params: { trackingNumber: source.trackingNumber }, context: ctx })).json();
    expect(request).toMatchObject({ status: 'referred', referredTo: `Malden (${received})`, transferredTo: { townSlug: 'malden', trackingNumber: received } });
    expect(request.timeline.at(-1)).toMatchObject({ kind: 'transferred_out', public: false, message: expect.stringContaining('Owner is Malden Housing') });
  });
});

describe('a transfer to a town whose category has a department address', () => {
  it('emails that department, not the admins', async () => {
    const department = uuidv7();
    await withTown(malden.id, async (tx) => {
      await tx.insert(departments).values({ townId: malden.id, id: department, name: 'Malden DPW', email: 'dpw@malden.example.com' });
      await tx.update(categories).set({ departmentId: department }).where(eq(categories.code, 'graffiti'));
    });
    const { received } = await fileAndTransfer('second.reporter@example.com', 'second.follower@example.com');
    expect((await mailboxFor('dpw@malden.example.com')).map((m) => m.subject)).toEqual([expect.stringMatching(new RegExp(`^Transferred from Somerville: ${received} `))]);
    expect((await mailboxFor(maldenAdmin.email)).filter((m) => m.subject.includes(received))).toEqual([]);
    const [row] = await withTown(malden.id, (tx) => tx.select({ departmentId: serviceRequests.departmentId }).from(serviceRequests).where(eq(serviceRequests.trackingNumber, received)));
    expect(row!.departmentId).toBe(department);
  });
});

describe("photos after a transfer: the request where it now is decides who sees them", () => {
  it("serves a reporter's town-only photo to the staff of both towns, and hides the photos once the receiving town's copy is withdrawn", async () => {
    const { source, received } = await fileAndTransfer('third.reporter@example.com', 'third.follower@example.com');
    const [publicPhoto] = await withTown(somerville.id, (tx) => tx.select().from(requestPhotos).where(eq(requestPhotos.requestId, source.id)));
    const [copy] = await withTown(malden.id, (tx) => tx.select({ id: serviceRequests.id }).from(serviceRequests).where(eq(serviceRequests.trackingNumber, received)));
    // A photo the reporter added for the town only, as the transfer would have copied it.
    const privateKey = `requests/${somerville.id}/${source.id}/private.webp`;
    const row = { displayKey: privateKey, thumbnailKey: `requests/${somerville.id}/${source.id}/private-thumb.webp`, width: 10, height: 10, sortOrder: 1, public: false };
    await withTown(somerville.id, (tx) => tx.insert(requestPhotos).values({ townId: somerville.id, id: uuidv7(), requestId: source.id, ...row }));
    await withTown(malden.id, (tx) => tx.insert(requestPhotos).values({ townId: malden.id, id: uuidv7(), requestId: copy!.id, ...row }));
    expect(await photoAccess(privateKey)).toEqual({ kind: 'town-staff', townIds: [somerville.id, malden.id] });
    expect(await photoAccess(publicPhoto!.displayKey)).toEqual({ kind: 'public' });

    await withTown(malden.id, (tx) => tx.update(serviceRequests).set({ status: 'withdrawn' }).where(eq(serviceRequests.id, copy!.id)));
    expect(await photoAccess(publicPhoto!.displayKey)).toEqual({ kind: 'town-staff', townIds: [somerville.id, malden.id] });
    const anonymous = await settle(photoLoader({ request: new Request(`${MALDEN}/photos/${publicPhoto!.displayKey}`), params: { '*': publicPhoto!.displayKey }, context: ctx }));
    expect(anonymous.status).toBe(404);
    const receivingStaff = await photoLoader({ request: browserRequest(`${MALDEN}/photos/${publicPhoto!.displayKey}`, { cookie: cookies.maldenStaff }), params: { '*': publicPhoto!.displayKey }, context: ctx });
    expect(receivingStaff.status).toBe(200);
    expect(receivingStaff.headers.get('Cache-Control')).toBe('private, no-store');
  });
});
