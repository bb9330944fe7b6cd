import { sql } from 'drizzle-orm';
import { withTown } from '#db/scope';
import { townBySlug } from '../../../tests/factories';
import { loadTownRequestList, PUBLIC_LIST_COUNT_LIMIT } from './request-queries.server';

describe('the public list count', () => {
  it('is exact up to PUBLIC_LIST_COUNT_LIMIT, a lower bound past it, and still knows a deep page has a next one', async () => {
    const newton = await townBySlug('newton');
    const insert = (from: number, to: number) =>
      withTown(newton.id, (tx) =>
        tx.execute(sql`
          insert into service_requests (town_id, id, number, tracking_number, category_id, status, description, lat, lng, location_source, idempotency_key, created_at)
          select ${newton.id}::int, gen_random_uuid(), n, 'NWT-' || n, (select id from categories where code = 'pothole'), 'submitted', 'Hole', 42.33, -71.2, 'map', 'bulk-' || n,
            now() - n * interval '1 minute'
          from generate_series(${from}::int, ${to}::int) as n`),
      );
    await insert(200001, 200000 + PUBLIC_LIST_COUNT_LIMIT);
    const exact = await loadTownRequestList(newton.id, { page: 1, pageSize: 25 });
    expect(exact.list).toMatchObject({ total: PUBLIC_LIST_COUNT_LIMIT, totalIsExact: true });

    await insert(200001 + PUBLIC_LIST_COUNT_LIMIT, 200000 + 2 * PUBLIC_LIST_COUNT_LIMIT);
    const capped = await loadTownRequestList(newton.id, { page: 1, pageSize: 25 });
    expect(capped.list).toMatchObject({ total: PUBLIC_LIST_COUNT_LIMIT, totalIsExact: false });
    expect(capped.list.items).toHaveLength(25);
    // Page 60 ends at row 1,500: counted past it, so the page after is known to exist.
    const deep = await loadTownRequestList(newton.id, { page: 60, pageSize: 25 });
    expect(deep.list).toMatchObject({ total: 1500, totalIsExact: false });
    expect(deep.list.items).toHaveLength(25);
    expect(deep.categories.map((c) => c.code)).toContain('pothole');
  });
});
