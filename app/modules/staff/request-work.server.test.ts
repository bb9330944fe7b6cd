import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import { auditLog, categories, departments, requestEvents, requestFollowers, requestPhotos, serviceRequests, townCounters } from '#db/schema';
import { withTown } from '#db/scope';
import type { CategoryQuestion } from '#db/vocabulary';
import { createServiceRequest } from '~/modules/requests/create-request.server';
import { getPublicRequest } from '~/modules/requests/request-queries.server';
import { followRequest } from '~/modules/requests/following.server';
import { addBusinessDays, businessCalendar } from '~/modules/requests/service-levels';
import type { TownProfile } from '~/utils/town-profile.server';
import type { TownAdmin, TownStaff } from '~/utils/capabilities.server';
import { townLinks } from '~/utils/town.server';
import { fixedT } from '~/i18n/translate';
import { townAdminFor, townStaffFor } from '../../../tests/capabilities';
import { createUser, mailboxFor, townBySlug } from '../../../tests/factories';
import { PLACES } from '../../../tests/requests';
import {
  acknowledge,
  addInternalNote,
  assign,
  bulkUpdate,
  changeStatus,
  correctLocation,
  getStaffRequest,
  postReply,
  recategorise,
  STAFF_WORK_ERROR_CODES,
  type SeenRequest,
} from './request-work.server';

const linksFor = (slug: string) => townLinks(slug);
const SOMERVILLE_POINT = { lat: 42.381, lng: -71.105 };
const MALDEN_POINT = { lat: 42.43, lng: -71.06 };

let somerville: TownProfile;
let malden: TownProfile;
let staff: { id: string; email: string };
let colleague: { id: string; email: string };
let maldenStaff: { id: string; email: string };
let asStaff: TownStaff;
let asColleague: TownAdmin;
let asMaldenStaff: TownStaff;
let publicWorks: string;

const QUESTIONS: CategoryQuestion[] = [
  { code: 'depth', label: 'How deep is it?', type: 'single', required: false, public: true, choices: [{ value: 'deep', label: 'Deeper than a hand' }] },
  { code: 'phone', label: 'Your phone number', type: 'text', required: false, public: false },
];

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  malden = await townBySlug('malden');
  staff = await createUser({ roles: [[somerville, 'staff']] });
  colleague = await createUser({ roles: [[somerville, 'admin']] });
  maldenStaff = await createUser({ roles: [[malden, 'staff']] });
  asStaff = await townStaffFor(somerville, staff);
  asColleague = await townAdminFor(somerville, colleague);
  asMaldenStaff = await townStaffFor(malden, maldenStaff);
  publicWorks = uuidv7();
  await withTown(somerville.id, async (tx) => {
    await tx.insert(departments).values({ townId: somerville.id, id: publicWorks, name: 'Public Works', email: 'dpw@somerville.example' });
    await tx.update(categories).set({ questions: QUESTIONS }).where(eq(categories.code, 'pothole'));
  });
});

let n = 0;
async function file(town: TownProfile, point: { lat: number; lng: number }, options: { email?: string; categoryCode?: string; answers?: Record<string, string[]> } = {}) {
  n++;
  const created = await createServiceRequest({
    town,
    categoryCode: options.categoryCode ?? 'graffiti',
    description: `Problem number ${n}`,
    location: { lat: point.lat + n * 0.0001, lng: point.lng, address: null, source: 'map' },
    answers: options.answers ?? {},
    reporter: { userId: null, email: options.email ?? null, name: options.email ? 'Pat Reporter' : null },
    photos: [],
    idempotencyKey: uuidv7(),
    links: linksFor(town.slug),
  });
  if (created.kind !== 'filed') throw new Error(JSON.stringify(created));
  return created.trackingNumber;
}

async function actionOn(trackingNumber: string): Promise<SeenRequest> {
  const request = await getStaffRequest(asStaff, trackingNumber);
  return { trackingNumber, expectedVersion: request!.version };
}

async function auditFor(townId: number, trackingNumber: string) {
  return withTown(townId, (tx) => tx.select().from(auditLog).where(eq(auditLog.entityId, trackingNumber)).orderBy(auditLog.createdAt, auditLog.id));
}

describe('getStaffRequest', () => {
  it('shows staff the reporter, every answer (private ones marked), internal notes with their author, and the version', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT, { email: 'pat@example.com', categoryCode: 'pothole', answers: { depth: ['deep'], phone: ['617-555-0100'] } });
    await addInternalNote(asStaff, await actionOn(trackingNumber), 'Crew says this is a utility cut.');
    const request = (await getStaffRequest(asStaff, trackingNumber))!;
    expect(request.reporter).toEqual({ name: 'Pat Reporter', email: 'pat@example.com', phone: null, userId: null });
    expect(request.answers).toEqual([
      { code: 'depth', label: 'How deep is it?', value: 'Deeper than a hand', public: true },
      { code: 'phone', label: 'Your phone number', value: '617-555-0100', public: false },
    ]);
    expect(request.timeline.map((e) => [e.kind, e.public, e.actor?.email ?? null])).toEqual([
      ['submitted', true, null],
      ['internal_note', false, staff.email],
    ]);
    expect(request).toMatchObject({ version: 2, followerCount: 1, overdue: false, withdrawn: false, department: null, assignee: null });
    expect(Math.abs(request.dueAt!.getTime() - addBusinessDays(request.createdAt, 5, businessCalendar(somerville, [])).getTime())).toBeLessThan(1000);
    // The public never sees the private answer or the note.
    const publicView = (await getPublicRequest(somerville.id, trackingNumber))!;
    expect(publicView.publicAnswers).toEqual([{ label: 'How deep is it?', value: 'Deeper than a hand' }]);
    expect(publicView.timeline.map((e) => e.kind)).toEqual(['submitted']);
  });

  it('shows withdrawn requests, marked, and nothing from another town', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT);
    await withTown(somerville.id, (tx) => tx.update(serviceRequests).set({ status: 'withdrawn' }).where(eq(serviceRequests.trackingNumber, trackingNumber)));
    expect(await getStaffRequest(asStaff, trackingNumber)).toMatchObject({ status: 'withdrawn', withdrawn: true });
    expect(await getStaffRequest(asMaldenStaff, trackingNumber)).toBeNull();
    expect(await postReply(asStaff, await actionOn(trackingNumber), 'Hello', linksFor('somerville'))).toMatchObject({ ok: false, reason: 'not_allowed' });
  });
});

describe('status changes', () => {
  it('acknowledges: status, first acknowledgement time, version, public event, audit entry and follower email', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT, { email: 'ack@example.com' });
    const action = await actionOn(trackingNumber);
    expect(await acknowledge(asStaff, action, linksFor('somerville'))).toEqual({ ok: true });
    const request = (await getStaffRequest(asStaff, trackingNumber))!;
    expect(request).toMatchObject({ status: 'acknowledged', version: action.expectedVersion + 1 });
    expect(request.acknowledgedAt).toBeInstanceOf(Date);
    expect(request.timeline.at(-1)).toMatchObject({ kind: 'status_changed', public: true, toStatus: 'acknowledged', actor: { email: staff.email } });
    expect(await auditFor(somerville.id, trackingNumber)).toMatchObject([
      { action: 'status_changed', entityType: 'request', actorUserId: staff.id, before: { status: 'submitted' }, after: { status: 'acknowledged' } },
    ]);
    expect((await mailboxFor('ack@example.com')).map((m) => m.subject)).toContain(`Update on ${trackingNumber}: Status: Acknowledged`);
  });

  it('two staff closing at once: the second is told it is stale and nothing of theirs is stored', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT);
    const seenByBoth = await actionOn(trackingNumber);
    const [first, second] = await Promise.all([
      changeStatus(asStaff, seenByBoth, { to: 'fixed' }, linksFor('somerville')),
      changeStatus(asColleague, seenByBoth, { to: 'not_fixed', reason: 'Private property' }, linksFor('somerville')),
    ]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    const loser = first.ok ? second : first;
    expect(loser).toMatchObject({ ok: false, reason: 'stale', error: { code: 'staffWork.stale' } });
    const request = (await getStaffRequest(asStaff, trackingNumber))!;
    expect(request.version).toBe(seenByBoth.expectedVersion + 1);
    expect(request.timeline.filter((e) => e.kind === 'status_changed')).toHaveLength(1);
    expect(await auditFor(somerville.id, trackingNumber)).toHaveLength(1);
  });

  it('refuses invalid transitions and closing without what the status needs, changing nothing', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT);
    const action = await actionOn(trackingNumber);
    const links = linksFor('somerville');
    expect(await changeStatus(asStaff, action, { to: 'not_fixed', reason: '  ' }, links)).toMatchObject({ ok: false, reason: 'invalid', field: 'reason' });
    expect(await changeStatus(asStaff, action, { to: 'duplicate', duplicateOf: trackingNumber }, links)).toMatchObject({ ok: false, reason: 'invalid', field: 'duplicateOf' });
    expect(await changeStatus(asStaff, action, { to: 'duplicate', duplicateOf: 'MAL-1001' }, links)).toMatchObject({ ok: false, field: 'duplicateOf' });
    expect(await changeStatus(asStaff, action, { to: 'referred' }, links)).toMatchObject({ ok: false, reason: 'invalid', field: 'referredTo' });
    expect(await changeStatus(asStaff, action, { to: 'withdrawn' }, links)).toMatchObject({ ok: false, reason: 'not_allowed' });
    expect((await getStaffRequest(asStaff, trackingNumber))!).toMatchObject({ status: 'submitted', version: action.expectedVersion });

    expect(await changeStatus(asStaff, action, { to: 'fixed', referredTo: 'ignored' }, links)).toMatchObject({ ok: true });
    const closed = await actionOn(trackingNumber);
    expect(await changeStatus(asStaff, closed, { to: 'acknowledged' }, links)).toMatchObject({
      ok: false,
      reason: 'not_allowed',
      error: { code: 'staffWork.status.cannot_become', values: { from: 'Fixed', to: 'Acknowledged' } },
    });
    expect((await getStaffRequest(asStaff, trackingNumber))!).toMatchObject({ status: 'fixed', referredTo: null, version: closed.expectedVersion });
  });

  it("closing as a duplicate moves its followers to the original, skipping anyone already there", async () => {
    const original = await file(somerville, SOMERVILLE_POINT, { email: 'first@example.com' });
    const duplicate = await file(somerville, SOMERVILLE_POINT, { email: 'second@example.com' });
    await followRequest(somerville.id, original, { userId: null, email: 'both@example.com' });
    await followRequest(somerville.id, duplicate, { userId: null, email: 'BOTH@example.com' });
    const result = await changeStatus(asStaff, await actionOn(duplicate), { to: 'duplicate', duplicateOf: original.toLowerCase() }, linksFor('somerville'));
    expect(result).toMatchObject({ ok: true });
    const followersOf = async (trackingNumber: string) => {
      const request = await getStaffRequest(asStaff, trackingNumber);
      const rows = await withTown(somerville.id, (tx) => tx.select().from(requestFollowers).where(eq(requestFollowers.requestId, request!.id)));
      return rows.map((r) => r.email).sort();
    };
    expect(await followersOf(original)).toEqual(['both@example.com', 'first@example.com', 'second@example.com']);
    expect(await followersOf(duplicate)).toEqual([]);
    expect((await getStaffRequest(asStaff, duplicate))!.duplicateOfTrackingNumber).toBe(original);
    // They heard about the closure before moving, and hear about the original from now on.
    expect((await mailboxFor('second@example.com')).map((m) => m.subject)).toContain(`Update on ${duplicate}: Status: Closed as duplicate of ${original}`);
    await postReply(asStaff, await actionOn(original), 'Crew booked.', linksFor('somerville'));
    expect((await mailboxFor('second@example.com')).map((m) => m.subject)).toContain(`Update on ${original}: Crew booked.`);
  });
});

describe('assignment', () => {
  it('assigns to a department and a staff member of this town, internally, and emails the assignee', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT, { email: 'resident-assign@example.com' });
    const result = await assign(asStaff, await actionOn(trackingNumber), { departmentId: publicWorks, assigneeUserId: colleague.id }, linksFor('somerville'));
    expect(result).toMatchObject({ ok: true });
    const request = (await getStaffRequest(asStaff, trackingNumber))!;
    expect(request.department).toEqual({ id: publicWorks, name: 'Public Works' });
    expect(request.assignee).toMatchObject({ userId: colleague.id, email: colleague.email });
    expect(request.timeline.at(-1)).toMatchObject({ kind: 'assigned', public: false });
    expect((await auditFor(somerville.id, trackingNumber)).at(-1)).toMatchObject({
      action: 'assigned',
      before: { department: null, assignee: null },
      after: { department: 'Public Works', assignee: colleague.email },
    });
    const [mail] = await mailboxFor(colleague.email);
    expect(mail!.subject).toBe(`Assigned to you: ${trackingNumber} (Graffiti)`);
    expect(mail!.text).toContain(`http://somerville.localhost:3000/staff/requests/${trackingNumber}`);
    expect((await mailboxFor('resident-assign@example.com')).map((m) => m.subject)).toEqual([`We received your report ${trackingNumber}`]);

    // Taking it yourself needs no email.
    await assign(asStaff, await actionOn(trackingNumber), { assigneeUserId: staff.id }, linksFor('somerville'));
    expect(await mailboxFor(staff.email)).toHaveLength(0);
    expect((await getStaffRequest(asStaff, trackingNumber))!.department?.name).toBe('Public Works');
  });

  it("refuses another town's staff member or department, and a stale version", async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT);
    const action = await actionOn(trackingNumber);
    const links = linksFor('somerville');
    expect(await assign(asStaff, action, { assigneeUserId: maldenStaff.id }, links)).toMatchObject({ ok: false, reason: 'invalid', field: 'assigneeUserId' });
    const maldenDepartment = uuidv7();
    await withTown(malden.id, (tx) => tx.insert(departments).values({ townId: malden.id, id: maldenDepartment, name: 'Malden DPW' }));
    expect(await assign(asStaff, action, { departmentId: maldenDepartment }, links)).toMatchObject({ ok: false, reason: 'invalid', field: 'departmentId' });
    expect(await assign(asStaff, action, { departmentId: 'not-a-uuid' }, links)).toMatchObject({ ok: false, field: 'departmentId' });
    expect(await assign(asStaff, { ...action, expectedVersion: action.expectedVersion - 1 }, { departmentId: publicWorks }, links)).toMatchObject({ ok: false, reason: 'stale' });
    expect((await getStaffRequest(asStaff, trackingNumber))!).toMatchObject({ department: null, assignee: null, version: action.expectedVersion });
    expect(await mailboxFor(maldenStaff.email)).toHaveLength(0);
  });
});

describe('notes and replies', () => {
  it('keeps internal notes off the public page and out of every resident email', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT, { email: 'note-reporter@example.com' });
    await followRequest(somerville.id, trackingNumber, { userId: null, email: 'note-follower@example.com' });
    const action = await actionOn(trackingNumber);
    expect(await addInternalNote(asStaff, action, '   ')).toMatchObject({ ok: false, field: 'note' });
    expect(await addInternalNote(asStaff, action, 'Owner is a repeat complainant.')).toEqual({ ok: true });
    expect(await addInternalNote(asStaff, action, 'Second note at the same version')).toMatchObject({ ok: false, reason: 'stale' });
    expect((await getPublicRequest(somerville.id, trackingNumber))!.timeline.map((e) => e.kind)).toEqual(['submitted']);
    for (const who of ['note-reporter@example.com', 'note-follower@example.com']) {
      expect((await mailboxFor(who)).some((m) => m.text.includes('repeat complainant'))).toBe(false);
    }
    expect((await auditFor(somerville.id, trackingNumber)).map((a) => a.action)).toEqual(['note_added']);
  });

  it('posts a public reply, emailed to the reporter and every follower', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT, { email: 'reply-reporter@example.com' });
    await followRequest(somerville.id, trackingNumber, { userId: null, email: 'reply-follower@example.com' });
    expect(await postReply(asStaff, await actionOn(trackingNumber), 'A crew is scheduled for Thursday.', linksFor('somerville'))).toMatchObject({ ok: true });
    for (const who of ['reply-reporter@example.com', 'reply-follower@example.com']) {
      expect((await mailboxFor(who)).map((m) => m.subject)).toContain(`Update on ${trackingNumber}: A crew is scheduled for Thursday.`);
    }
    expect((await getPublicRequest(somerville.id, trackingNumber))!.timeline.at(-1)).toMatchObject({ kind: 'public_reply', message: 'A crew is scheduled for Thursday.' });
    expect((await auditFor(somerville.id, trackingNumber)).map((a) => a.action)).toEqual(['replied']);
  });
});

describe('recategorising', () => {
  it('moves to an active category of this town and recomputes the due date from its target', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT);
    const before = (await getStaffRequest(asStaff, trackingNumber))!;
    expect(await recategorise(asStaff, await actionOn(trackingNumber), 'streetlight')).toMatchObject({ ok: true });
    const after = (await getStaffRequest(asStaff, trackingNumber))!;
    expect(after.category.code).toBe('streetlight');
    expect(after.dueAt).toEqual(addBusinessDays(before.createdAt, 10, businessCalendar(somerville, [])));
    expect(after.timeline.at(-1)).toMatchObject({ kind: 'recategorised', public: false, message: 'Graffiti → Streetlight out' });
    expect((await auditFor(somerville.id, trackingNumber)).at(-1)).toMatchObject({ action: 'recategorised', before: { category: 'graffiti' }, after: { category: 'streetlight' } });
  });

  it('refuses an unknown, inactive or unchanged category', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT);
    const action = await actionOn(trackingNumber);
    await withTown(somerville.id, (tx) => tx.update(categories).set({ active: false }).where(eq(categories.code, 'snow-ice')));
    for (const code of ['no-such-thing', 'snow-ice', 'graffiti']) expect(await recategorise(asStaff, action, code)).toMatchObject({ ok: false, reason: 'invalid', field: 'categoryCode' });
    expect((await getStaffRequest(asStaff, trackingNumber))!.version).toBe(action.expectedVersion);
  });
});

describe('correcting the location', () => {
  it('within the same town just moves it, with an internal event', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT);
    const result = await correctLocation(asStaff, await actionOn(trackingNumber), { ...PLACES.somervilleCityHall, address: '93 Highland Ave' }, linksFor);
    expect(result).toEqual({ ok: true });
    const request = (await getStaffRequest(asStaff, trackingNumber))!;
    expect(request).toMatchObject({ ...PLACES.somervilleCityHall, address: '93 Highland Ave', status: 'submitted', locationApproximate: false });
    expect(request.timeline.at(-1)).toMatchObject({ kind: 'relocated', public: false });
    expect((await auditFor(somerville.id, trackingNumber)).at(-1)).toMatchObject({ action: 'relocated', after: { address: '93 Highland Ave' } });
  });

  it('refuses a spot outside Massachusetts or in a town that does not take part', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT);
    const action = await actionOn(trackingNumber);
    expect(await correctLocation(asStaff, action, { ...PLACES.albanyNY, address: null }, linksFor)).toMatchObject({ ok: false, field: 'location', error: { code: 'staffWork.location.outside_massachusetts' } });
    expect(await correctLocation(asStaff, action, { ...PLACES.bostonCityHall, address: null }, linksFor)).toMatchObject({ ok: false, field: 'location', error: { code: 'staffWork.location.not_participating', values: { townName: 'Boston' } } });
    expect((await getStaffRequest(asStaff, trackingNumber))!).toMatchObject({ version: action.expectedVersion, status: 'submitted' });
  });

  it('in another participating town transfers it there in one transaction, and each town sees only its own rows', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT, { email: 'mover@example.com' });
    await followRequest(somerville.id, trackingNumber, { userId: null, email: 'mover-neighbour@example.com' });
    const source = (await getStaffRequest(asStaff, trackingNumber))!;
    const photo = { displayKey: `requests/${somerville.id}/${source.id}/p.webp`, thumbnailKey: `requests/${somerville.id}/${source.id}/p-thumb.webp`, width: 800, height: 600, sortOrder: 0 };
    await withTown(somerville.id, (tx) => tx.insert(requestPhotos).values({ townId: somerville.id, id: uuidv7(), requestId: source.id, ...photo }));
    await addInternalNote(asStaff, await actionOn(trackingNumber), 'Looks like it is over the line.');

    const place = { ...PLACES.maldenCityHall, address: '215 Pleasant St' };
    expect(await correctLocation(asStaff, await actionOn(trackingNumber), place, linksFor, '  ')).toMatchObject({ ok: false, field: 'transferNote', error: { code: 'staffWork.transferNote.required', values: { townName: 'Malden' } } });
    const result = await correctLocation(asStaff, await actionOn(trackingNumber), place, linksFor, 'Call the Malden DPW yard.');
    expect(result).toMatchObject({ ok: true, transferredTo: { townName: 'Malden', townSlug: 'malden', trackingNumber: expect.stringMatching(/^MAL-\d+$/) } });
    const newNumber = (result as { transferredTo: { trackingNumber: string } }).transferredTo.trackingNumber;

    const referred = (await getStaffRequest(asStaff, trackingNumber))!;
    expect(referred).toMatchObject({ status: 'referred', referredTo: `Malden (${newNumber})` });
    expect(referred.timeline.slice(-2).map((e) => [e.kind, e.public])).toEqual([
      ['status_changed', true],
      ['transferred_out', false],
    ]);

    const moved = (await getStaffRequest(asMaldenStaff, newNumber))!;
    expect(moved).toMatchObject({ status: 'submitted', category: { code: 'graffiti' }, ...PLACES.maldenCityHall, address: '215 Pleasant St', followerCount: 2, reporter: { email: 'mover@example.com' } });
    expect(moved.photos).toMatchObject([{ displayKey: photo.displayKey, thumbnailKey: photo.thumbnailKey }]);
    // The internal note stays in Somerville; the sender's note to Malden is Malden's staff-only entry.
    expect(moved.timeline.map((e) => [e.kind, e.public, e.message])).toEqual([
      ['submitted', true, null],
      ['transferred_in', true, expect.stringContaining('Moved from Somerville')],
      ['transfer_note', false, 'Call the Malden DPW yard.'],
    ]);
    expect((await getPublicRequest(malden.id, newNumber))!.timeline.map((e) => e.kind)).toEqual(['submitted', 'transferred_in']);
    expect((await auditFor(malden.id, newNumber)).map((a) => a.action)).toEqual(['transferred_in']);
    expect((await auditFor(somerville.id, trackingNumber)).map((a) => a.action)).toEqual(['note_added', 'status_changed', 'transferred']);

    // RLS still holds: each town reads only its own copy, and every copied row carries Malden's id.
    expect(await getStaffRequest(asStaff, newNumber)).toBeNull();
    expect(await getStaffRequest(asMaldenStaff, trackingNumber)).toBeNull();
    const owner = getDatabase().db;
    for (const table of [requestPhotos, requestEvents, requestFollowers]) {
      const rows = await owner.select({ townId: table.townId }).from(table).where(eq(table.requestId, moved.id));
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.townId))).toEqual(new Set([malden.id]));
    }
    const maldenFollowers = await withTown(malden.id, (tx) => tx.select().from(requestFollowers).where(eq(requestFollowers.requestId, moved.id)));
    const somervilleFollowers = await withTown(somerville.id, (tx) => tx.select().from(requestFollowers).where(eq(requestFollowers.requestId, source.id)));
    expect(maldenFollowers.map((f) => f.unsubscribeToken)).not.toContain(somervilleFollowers[0]!.unsubscribeToken);

    // Followers heard of the move once, from the town that now has it, under the new number.
    const subjects = (await mailboxFor('mover-neighbour@example.com')).map((m) => m.subject);
    expect(subjects.filter((s) => s.startsWith(`Update on ${newNumber}: Malden now handles this request as ${newNumber}`))).toHaveLength(1);
    expect(subjects.filter((s) => s.startsWith(`Update on ${trackingNumber}`))).toEqual([]);
  });

  it("uses the destination's other category when it lacks the code, and a stale transfer changes neither town", async () => {
    await withTown(malden.id, (tx) => tx.update(categories).set({ active: false }).where(eq(categories.code, 'graffiti')));
    try {
      const trackingNumber = await file(somerville, SOMERVILLE_POINT);
      const action = await actionOn(trackingNumber);
      const counter = async () => (await withTown(malden.id, (tx) => tx.select().from(townCounters).where(eq(townCounters.townId, malden.id))))[0]?.value ?? null;
      const counterBefore = await counter();
      expect(await correctLocation(asStaff, { ...action, expectedVersion: action.expectedVersion + 5 }, { ...MALDEN_POINT, address: null }, linksFor, 'note')).toMatchObject({ ok: false, reason: 'stale' });
      expect(await counter()).toBe(counterBefore);
      expect((await getStaffRequest(asStaff, trackingNumber))!.status).toBe('submitted');

      const result = await correctLocation(asStaff, action, { ...MALDEN_POINT, address: null }, linksFor, 'note');
      expect(result).toMatchObject({ ok: true });
      const moved = (await getStaffRequest(asMaldenStaff, (result as { transferredTo: { trackingNumber: string } }).transferredTo.trackingNumber))!;
      expect(moved.category.code).toBe('other');
    } finally {
      await withTown(malden.id, (tx) => tx.update(categories).set({ active: true }).where(eq(categories.code, 'graffiti')));
    }
  });

  it('will not transfer a closed request until it is reopened', async () => {
    const trackingNumber = await file(somerville, SOMERVILLE_POINT);
    await changeStatus(asStaff, await actionOn(trackingNumber), { to: 'fixed' }, linksFor('somerville'));
    const result = await correctLocation(asStaff, await actionOn(trackingNumber), { ...MALDEN_POINT, address: null }, linksFor, 'note');
    expect(result).toMatchObject({ ok: false, reason: 'not_allowed', error: { code: 'staffWork.transfer.reopen_first' } });
    const source = (await getStaffRequest(asStaff, trackingNumber))!;
    const copies = await withTown(malden.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.idempotencyKey, `transfer-${somerville.id}-${source.id}`)));
    expect(copies).toHaveLength(0);
    expect(source.status).toBe('fixed');
  });
});

describe('bulkUpdate', () => {
  it('acknowledges many, reporting each refusal without failing the others', async () => {
    const [a, b, closed] = [await file(somerville, SOMERVILLE_POINT), await file(somerville, SOMERVILLE_POINT), await file(somerville, SOMERVILLE_POINT)];
    const maldenRequest = await file(malden, MALDEN_POINT);
    await changeStatus(asStaff, await actionOn(closed), { to: 'fixed' }, linksFor('somerville'));
    const result = await bulkUpdate(asStaff, [a, b.toLowerCase(), closed, maldenRequest], 'acknowledge', {}, linksFor('somerville'));
    expect(result.succeeded).toEqual([a, b]);
    expect(result.failed).toEqual([
      { trackingNumber: closed, error: { code: 'staffWork.status.cannot_become', values: { from: 'Fixed', to: 'Acknowledged' } } },
      { trackingNumber: maldenRequest, error: { code: 'staffWork.notFound' } },
    ]);
    expect((await getStaffRequest(asStaff, a))!.status).toBe('acknowledged');
    expect((await getStaffRequest(asMaldenStaff, maldenRequest))!.status).toBe('submitted');
  });

  it('assigns and closes many; a close that lacks its reason fails for each', async () => {
    const [a, b] = [await file(somerville, SOMERVILLE_POINT), await file(somerville, SOMERVILLE_POINT)];
    await assign(asStaff, await actionOn(b), { assigneeUserId: staff.id }, linksFor('somerville'));
    const assigned = await bulkUpdate(asStaff, [a, b], 'assign', { departmentId: publicWorks }, linksFor('somerville'));
    expect(assigned).toEqual({ succeeded: [a, b], failed: [] });
    // Only the department was given, so b keeps its assignee.
    expect((await getStaffRequest(asStaff, b))!).toMatchObject({ department: { name: 'Public Works' }, assignee: { userId: staff.id } });

    const noReason = await bulkUpdate(asStaff, [a, b], 'close', { closeStatus: 'not_fixed' }, linksFor('somerville'));
    expect(noReason.succeeded).toEqual([]);
    expect(noReason.failed.map((f) => f.error.code)).toEqual(['staffWork.reason.required', 'staffWork.reason.required']);
    const closed = await bulkUpdate(asStaff, [a, b], 'close', { closeStatus: 'not_fixed', reason: 'Private property' }, linksFor('somerville'));
    expect(closed.succeeded).toEqual([a, b]);
    expect((await getStaffRequest(asStaff, a))!).toMatchObject({ status: 'not_fixed', statusReason: 'Private property' });
  });
});

describe('staff work error wording', () => {
  it('the English catalogue words every code the staff actions can return', () => {
    const t = fixedT('en', 'errors');
    expect(STAFF_WORK_ERROR_CODES.filter((code) => t(code) === code)).toEqual([]);
  });

  it('words a refused transition in the English the module used to return', () => {
    expect(fixedT('en', 'errors')('staffWork.status.cannot_become', { from: 'Fixed', to: 'Acknowledged' })).toBe('A request that is "Fixed" cannot become "Acknowledged".');
  });
});
