import { and, eq } from 'drizzle-orm';
import { memberships } from '#db/schema';
import { withTown, withTownReads } from '#db/scope';
import type { TownRole } from '#db/vocabulary';

export async function getTownRole(townId: number, userId: string): Promise<TownRole | null> {
  const rows = await withTownReads(townId, (tx) =>
    tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.townId, townId), eq(memberships.userId, userId))),
  );
  return rows[0]?.role ?? null;
}

export async function grantTownRole(townId: number, userId: string, role: TownRole): Promise<void> {
  await withTown(townId, (tx) =>
    tx
      .insert(memberships)
      .values({ townId, userId, role })
      .onConflictDoUpdate({ target: [memberships.townId, memberships.userId], set: { role } }),
  );
}
