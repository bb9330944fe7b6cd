import { eq } from 'drizzle-orm';
import { inject } from 'vitest';
import { townCounters, towns } from './schema';
import { withGlobal, withTown } from './scope';
import { nextTownCounterValue, nextTownCounterValueIn } from './town-counters';

async function townId(slug: string): Promise<number> {
  const [town] = await withGlobal((tx) => tx.select({ id: towns.id }).from(towns).where(eq(towns.slug, slug)));
  return town!.id;
}

describe('town counters', () => {
  it('start at the first value, then count up, each town on its own', async () => {
    const [newton, lexington] = [await townId('newton'), await townId('lexington')];
    expect(await nextTownCounterValue(newton, 'probe', 1001)).toBe(1001);
    expect(await nextTownCounterValue(newton, 'probe', 1001)).toBe(1002);
    expect(await nextTownCounterValue(lexington, 'probe', 1001)).toBe(1001);
    // Inside a town's transaction, the same counter.
    expect(await withTown(newton, (tx) => nextTownCounterValueIn(tx, newton, 'probe', 1001))).toBe(1003);
    const rows = await withTown(newton, (tx) => tx.select({ value: townCounters.value }).from(townCounters).where(eq(townCounters.name, 'probe')));
    expect(rows).toEqual([{ value: 1003 }]);
  });

  it.runIf(inject('database').driver === 'postgres')('give every one of many concurrent takers in one town its own value, with none lost', async () => {
    const newton = await townId('newton');
    const values = await Promise.all(Array.from({ length: 40 }, () => nextTownCounterValue(newton, 'concurrent', 1)));
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
