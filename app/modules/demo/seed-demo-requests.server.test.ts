import { and, eq, like, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { getDatabase } from '#db/client';
import { outboxMessages, requestEvents, requestPhotos, serviceRequests, towns, users } from '#db/schema';
import { withStateOversight } from '#db/scope';
import { locateTown } from '~/modules/geo/locate-town.server';
import { getPhotoStorage } from '~/utils/storage.server';
import { townLinks } from '~/utils/town.server';
import { DEMO_REQUEST_KEY_PREFIX, seedDemoRequests } from './seed-demo-requests.server';
import { seedDemo } from './seed-demo.server';
import { askWhetherFixed } from '~/modules/requests/fixed-checks.server';
import { mailboxFor } from '../../../tests/factories';

const links = (slug: string) => townLinks(slug);
const now = new Date();

async function demoRequests() {
  return withStateOversight((tx) =>
    tx
      .select({ request: serviceRequests, townSlug: towns.slug })
      .from(serviceRequests)
      .innerJoin(towns, eq(towns.id, serviceRequests.townId))
      .where(like(serviceRequests.idempotencyKey, `${DEMO_REQUEST_KEY_PREFIX}%`)),
  );
}

describe('seedDemoRequests', () => {
  beforeAll(async () => {
    await seedDemo(getDatabase().db);
    expect(await seedDemoRequests({ count: 40, now, linksFor: links })).toEqual({ created: 40 });
  });

  it('places every request clearly inside its own town', async () => {
    const rows = await demoRequests();
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.townSlug)).size).toBeGreaterThanOrEqual(3);
    for (const { request, townSlug } of rows) {
      const routed = await locateTown(request.lat, request.lng);
      expect(routed, request.trackingNumber).toMatchObject({ kind: 'town', slug: townSlug, how: 'inside', alternatives: [] });
    }
  });

  it('shows every status, with the reason, referral or original each needs', async () => {
    const rows = (await demoRequests()).map((r) => r.request);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['submitted', 'acknowledged', 'in_progress', 'fixed', 'not_fixed', 'duplicate', 'referred']));
    for (const r of rows.filter((r) => r.status === 'not_fixed')) expect(r.statusReason).toBeTruthy();
    for (const r of rows.filter((r) => r.status === 'referred')) expect(r.referredTo).toBeTruthy();

    const original = alias(serviceRequests, 'original');
    const duplicates = await withStateOversight((tx) =>
      tx
        .select({ townId: serviceRequests.townId, createdAt: serviceRequests.createdAt, originalTownId: original.townId, originalCreatedAt: original.createdAt })
        .from(serviceRequests)
        .leftJoin(original, and(eq(original.id, serviceRequests.duplicateOfId)))
        .where(and(eq(serviceRequests.status, 'duplicate'), like(serviceRequests.idempotencyKey, `${DEMO_REQUEST_KEY_PREFIX}%`))),
    );
    expect(duplicates.length).toBeGreaterThan(0);
    for (const d of duplicates) {
      expect(d.originalTownId).toBe(d.townId);
      expect(d.originalCreatedAt!.getTime()).toBeLessThan(d.createdAt.getTime());
    }
  });

  it('dates timelines over the last 90 days, events after creation, closed requests with a closing time', async () => {
    const rows = (await demoRequests()).map((r) => r.request);
    const events = await withStateOversight((tx) => tx.select().from(requestEvents));
    for (const r of rows) {
      expect(r.createdAt.getTime()).toBeGreaterThan(now.getTime() - 91 * 86_400_000);
      expect(r.createdAt.getTime()).toBeLessThan(now.getTime());
      const own = events.filter((e) => e.requestId === r.id);
      expect(own.filter((e) => e.kind === 'submitted')).toHaveLength(1);
      for (const e of own) {
        expect(e.createdAt.getTime(), r.trackingNumber).toBeGreaterThanOrEqual(r.createdAt.getTime());
        expect(e.createdAt.getTime()).toBeLessThan(now.getTime());
      }
      const open = ['submitted', 'acknowledged', 'in_progress'].includes(r.status);
      expect(r.closedAt === null, r.trackingNumber).toBe(open);
      if (r.closedAt) expect(r.closedAt.getTime()).toBeGreaterThan(r.createdAt.getTime());
      expect(r.dueAt!.getTime()).toBeGreaterThan(r.createdAt.getTime());
    }
    expect(events.some((e) => e.kind === 'public_reply')).toBe(true);
  });

  it('stores photos for some requests like real uploads', async () => {
    const photos = await withStateOversight((tx) => tx.select().from(requestPhotos));
    expect(photos.length).toBeGreaterThan(3);
    const stored = await getPhotoStorage().get(photos[0]!.displayKey);
    expect(stored?.contentType).toBe('image/webp');
  });

  it('files some as the demo resident and leaves no demo email in the outbox', async () => {
    const [resident] = await getDatabase().db.select().from(users).where(eq(users.email, 'resident@demo.test'));
    const rows = (await demoRequests()).map((r) => r.request);
    expect(rows.some((r) => r.reporterUserId === resident!.id)).toBe(true);
    expect(rows.filter((r) => r.reporterEmail?.endsWith('@example.com')).length).toBeGreaterThan(rows.length / 3);
    const [queued] = await getDatabase().db.select({ n: sql<number>`count(*)::int` }).from(outboxMessages);
    expect(queued!.n).toBe(0);
  });

  it('has the demo resident’s pothole in Somerville fixed four days ago, so "is it fixed?" asks them at start-up', async () => {
    const [resident] = await getDatabase().db.select().from(users).where(eq(users.email, 'resident@demo.test'));
    const stories = (await demoRequests()).filter(({ request, townSlug }) => townSlug === 'somerville' && request.reporterUserId === resident!.id && request.status === 'fixed');
    expect(stories.some(({ request }) => Math.abs(request.closedAt!.getTime() - (now.getTime() - 4 * 86_400_000)) < 60_000)).toBe(true);
    expect((await askWhetherFixed(now)).emails).toBeGreaterThan(0);
    expect((await mailboxFor('resident@demo.test')).map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/^Is SOM-\d+ fixed\?$/)]));
  });

  it('does nothing the second time', async () => {
    expect(await seedDemoRequests({ count: 40, now, linksFor: links })).toEqual({ created: 0 });
    expect(await demoRequests()).toHaveLength(40);
  });
});
