import { desc, eq, inArray, sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { getDatabase, inOneMessage, inTransaction } from './client';
import { TOWN_ROLE } from './rls';
import { selectRows } from './rows';
import { townCounters, towns } from './schema';
import { withGlobal } from './scope';

describe('a scoped transaction', () => {
  it('runs its first statement under its settings, though they are not waited for on their own', async () => {
    const [row] = await inTransaction(getDatabase(), { role: TOWN_ROLE, 'app.town_id': '7' }, (tx) =>
      selectRows<{ role: string; town: string }>(tx, sql`select current_user::text as role, current_setting('app.town_id') as town`),
    );
    expect(row).toEqual({ role: TOWN_ROLE, town: '7' });
  });

  it('runs nothing when its settings fail, and says why', async () => {
    const renamed = inTransaction(getDatabase(), { role: 'no_such_role' }, (tx) => tx.update(towns).set({ name: 'Renamed' }).where(eq(towns.slug, 'somerville')));
    // Drizzle wraps the driver's error in `cause`.
    const error = (await renamed.catch((e: unknown) => e)) as Error;
    expect(String(error.cause ?? error)).toMatch(/role "no_such_role" does not exist/);
    const [somerville] = await withGlobal((tx) => tx.select({ name: towns.name }).from(towns).where(eq(towns.slug, 'somerville')));
    expect(somerville!.name).toBe('Somerville');
  });

  it('in one message: runs its statement under its settings, and under their row-level security', async () => {
    const [row] = await inOneMessage<{ role: string; town: string }>(getDatabase(), { role: TOWN_ROLE, 'app.town_id': '7' }, sql`select current_user::text as role, current_setting('app.town_id') as town`);
    expect(row).toEqual({ role: TOWN_ROLE, town: '7' });
    const [somerville, malden] = await withGlobal((tx) => tx.select({ id: towns.id }).from(towns).where(inArray(towns.slug, ['somerville', 'malden'])).orderBy(desc(towns.slug)));
    const intoMalden = inOneMessage(getDatabase(), { role: TOWN_ROLE, 'app.town_id': String(somerville!.id) }, sql`insert into ${townCounters} (town_id, name, value) values (${malden!.id}, 'probe', 1)`);
    const error = (await intoMalden.catch((e: unknown) => e)) as Error;
    expect(String(error.cause ?? error)).toMatch(/row-level security/);
  });

  it('in one message: a failing statement leaves nothing behind, and the connection goes on working', async () => {
    const failing = inOneMessage(getDatabase(), { role: TOWN_ROLE, 'app.town_id': '7' }, sql`select 1 / 0`);
    const error = (await failing.catch((e: unknown) => e)) as Error;
    expect(String(error.cause ?? error)).toMatch(/division by zero/);
    // Every connection of the pool, not only one that was not used: none is left in a failed transaction.
    for (let i = 0; i < 8; i++) {
      const [row] = await inOneMessage<{ ok: number }>(getDatabase(), { role: TOWN_ROLE }, sql`select 1 as ok`);
      expect(row).toEqual({ ok: 1 });
    }
  });

  it('in one message: takes numbers and plain names only, since it writes them into the text', async () => {
    const quoted = inOneMessage(getDatabase(), { role: TOWN_ROLE }, sql`select ${"x'; drop table towns; --"} as text`);
    await expect(quoted).rejects.toThrow(/numbers and plain names only/);
    await expect(inOneMessage(getDatabase(), { role: TOWN_ROLE, 'app.user_id': "o'brien" }, sql`select 1`)).rejects.toThrow(/numbers and plain names only/);
  });

  // PGlite runs in the process: it has no round trips to save and no statement cache to check.
  it.runIf(inject('database').driver === 'postgres')('prepares the statements drizzle sends, so the server parses and plans each once per connection', async () => {
    const prepared = await withGlobal(async (tx) => {
      await tx.select({ name: towns.name }).from(towns).where(eq(towns.slug, 'somerville'));
      return selectRows<{ statement: string }>(tx, sql`select statement from pg_prepared_statements`);
    });
    expect(prepared.map((row) => row.statement)).toContain('select "name" from "towns" where "towns"."slug" = $1');
  });
});
