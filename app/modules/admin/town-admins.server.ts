import { and, eq } from 'drizzle-orm';
import { memberships, users } from '#db/schema';
import type { Tx } from '#db/scope';

/** The addresses of a town's admins, inside that town's scope. */
export async function townAdminEmails(tx: Tx, townId: number): Promise<string[]> {
  const admins = await tx
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.townId, townId), eq(memberships.role, 'admin')));
  return admins.map((a) => a.email);
}
