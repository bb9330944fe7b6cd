import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { serviceRequests, townCounters, towns } from '#db/schema';
import { withStateOversight } from '#db/scope';
import type { TownGeometry } from '~/modules/geo/geometry';
import { requestStatsDifferences } from '~/modules/oversight/request-stats.server';
import { generateLargeDataset, zipfShares } from './generate-large-dataset';

describe('generateLargeDataset', () => {
  const now = new Date();

  it('splits requests by Zipf over the town rank, exactly summing to the total', () => {
    const shares = zipfShares(1_000_000, 45);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(1_000_000);
    for (let i = 1; i < shares.length; i++) expect(shares[i]!).toBeLessThanOrEqual(shares[i - 1]!);
    expect(shares[0]! / shares[9]!).toBeCloseTo(10 ** 1.1, 0);
  });

  it('fills every town with consistent requests, numbers and counters', async () => {
    const progress: number[] = [];
    const result = await generateLargeDataset({ requests: 3000, now, batchSize: 400, onProgress: (p) => progress.push(p.done) });
    expect(result.rows).toBe(3000);
    expect(progress[progress.length - 1]).toBe(3000);

    const { rows, townRows, counters } = await withStateOversight(async (tx) => ({
      rows: await tx.select().from(serviceRequests),
      townRows: await tx.select().from(towns),
      counters: await tx.select().from(townCounters).where(eq(townCounters.name, 'request_number')),
    }));
    expect(rows).toHaveLength(3000);
    for (const { slug, rows: expected } of result.perTown) {
      const town = townRows.find((t) => t.slug === slug)!;
      const own = rows.filter((r) => r.townId === town.id);
      expect(own, slug).toHaveLength(expected);
      if (own.length === 0) continue;
      const numbers = own.map((r) => r.number).sort((a, b) => a - b);
      expect(numbers[0]).toBe(1001);
      expect(counters.find((c) => c.townId === town.id)?.value).toBe(numbers[numbers.length - 1]);
      const geometry = town.boundary as TownGeometry;
      const ring = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates).flatMap((p) => p[0]!);
      for (const r of own) {
        expect(r.trackingNumber).toBe(`${town.trackingCode}-${r.number}`);
        expect(r.lng).toBeGreaterThanOrEqual(Math.min(...ring.map((p) => p[0])));
        expect(r.lng).toBeLessThanOrEqual(Math.max(...ring.map((p) => p[0])));
        expect(r.lat).toBeGreaterThanOrEqual(Math.min(...ring.map((p) => p[1])));
        expect(r.lat).toBeLessThanOrEqual(Math.max(...ring.map((p) => p[1])));
      }
    }
  });

  it('dates requests over three years, oldest numbers first, closing only closed ones', async () => {
    const rows = await withStateOversight((tx) => tx.select().from(serviceRequests));
    const threeYearsAgo = now.getTime() - 3 * 365 * 86_400_000;
    for (const r of rows) {
      expect(r.createdAt.getTime()).toBeGreaterThanOrEqual(threeYearsAgo);
      expect(r.createdAt.getTime()).toBeLessThanOrEqual(now.getTime());
      // UUIDv7: the first 48 bits are created_at in milliseconds.
      expect(parseInt(r.id.replace(/-/g, '').slice(0, 12), 16)).toBe(Math.floor(r.createdAt.getTime()));
      expect(r.id[14]).toBe('7');
      const open = ['submitted', 'acknowledged', 'in_progress'].includes(r.status);
      expect(r.closedAt === null).toBe(open);
      if (r.closedAt) expect(r.closedAt.getTime()).toBeGreaterThanOrEqual(r.createdAt.getTime());
      expect(r.acknowledgedAt === null).toBe(r.status === 'submitted');
      if (r.acknowledgedAt) {
        expect(r.acknowledgedAt.getTime()).toBeGreaterThanOrEqual(r.createdAt.getTime());
        expect(r.acknowledgedAt.getTime()).toBeLessThanOrEqual((r.closedAt ?? now).getTime());
      }
      expect(r.dueAt!.getTime()).toBeGreaterThan(r.createdAt.getTime());
    }
    const old = rows.filter((r) => r.createdAt.getTime() < now.getTime() - 180 * 86_400_000);
    expect(old.filter((r) => r.closedAt).length / old.length).toBeGreaterThan(0.9);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['submitted', 'acknowledged', 'in_progress', 'fixed', 'not_fixed', 'duplicate', 'referred']));
  });

  it('points duplicates at an earlier request of the same town', async () => {
    const original = alias(serviceRequests, 'original');
    const duplicates = await withStateOversight((tx) =>
      tx
        .select({ townId: serviceRequests.townId, number: serviceRequests.number, originalTownId: original.townId, originalNumber: original.number })
        .from(serviceRequests)
        .leftJoin(original, eq(original.id, serviceRequests.duplicateOfId))
        .where(eq(serviceRequests.status, 'duplicate')),
    );
    expect(duplicates.length).toBeGreaterThan(0);
    for (const d of duplicates) {
      expect(d.originalTownId).toBe(d.townId);
      expect(d.originalNumber!).toBeLessThan(d.number);
    }
  });

  it("keeps the state console's rollup equal to the requests, through the trigger on its bulk inserts", async () => {
    const townRows = await withStateOversight((tx) => tx.select({ id: towns.id }).from(towns));
    for (const { id } of townRows) expect(await requestStatsDifferences(id), `town ${id}`).toEqual([]);
  });
});
