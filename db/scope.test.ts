import { sql } from 'drizzle-orm';
import { selectRows } from './rows';
import { towns } from './schema';
import { together, withGlobal } from './scope';

describe('statements sent together in one transaction', () => {
  it('answer in the order they were given', async () => {
    const [one, two] = await withGlobal((tx) => together([selectRows<{ n: number }>(tx, sql`select 1 as n`), selectRows<{ n: number }>(tx, sql`select 2 as n`)]));
    expect([one, two]).toEqual([[{ n: 1 }], [{ n: 2 }]]);
  });

  it('report the failure of their own, not the "transaction aborted" of the others, and only once every one has settled', async () => {
    const settled: string[] = [];
    const batch = withGlobal((tx) =>
      together([
        // Sent a turn later, after the failing one below: it fails only because the transaction is aborted, and says so first.
        new Promise((resolve) => setImmediate(resolve))
          .then(() => tx.select({ id: towns.id }).from(towns).limit(1))
          .catch((error: unknown) => {
            settled.push('aborted');
            throw error;
          }),
        // A helper around its statement may pass its failure on later than a bare statement does (here much later).
        tx
          .select({ n: sql`1 / 0` })
          .from(towns)
          .limit(1)
          .then(
            (rows) => rows,
            async (error: unknown) => {
              await new Promise((resolve) => setTimeout(resolve, 50));
              settled.push('failed');
              throw error;
            },
          ),
      ]),
    );
    const error = (await batch.catch((e: unknown) => e)) as Error;
    expect(String(error.cause ?? error)).toMatch(/division by zero/);
    expect(settled.sort()).toEqual(['aborted', 'failed']);
  });
});
