import { and, eq, isNull, sql } from 'drizzle-orm';
import { requestFollowers, serviceRequests } from '#db/schema';
import { withTown, withVerifiedEmail } from '#db/scope';

declare const PROVEN: unique symbol;

/**
 * An account's address just proven by its owner (docs/decisions/0021): the sign-up link, the
 * verification link or a password reset was used, or a confirmed account signed in. Only the
 * accounts module makes one (`proveAddress`), after that proof; nothing else may claim.
 */
export type ProvenAddress = { readonly [PROVEN]: true; readonly userId: string; readonly email: string };

/** For app/modules/accounts alone, right after the address was proven. */
export function proveAddress(userId: string, email: string): ProvenAddress {
  return { userId, email } as ProvenAddress;
}

/**
 * Reports and follows made with this address but no account become the account's, in every town,
 * as the report form promises: they then show in "My requests", and the reporter can act on them
 * signed in. The towns that hold any are found under the resident role's claimable policy; each
 * town's rows are then claimed under its own policy (the request rollup's trigger runs as app_town).
 */
export async function claimReports(owner: ProvenAddress): Promise<{ reports: number; follows: number }> {
  const email = owner.email.toLowerCase();
  const unclaimedReport = and(isNull(serviceRequests.reporterUserId), eq(sql`lower(${serviceRequests.reporterEmail})`, email));
  const unclaimedFollow = and(isNull(requestFollowers.userId), eq(sql`lower(${requestFollowers.email})`, email));
  // The policy shows nothing else; the conditions are repeated so the partial email indexes serve the reads.
  const townIds = await withVerifiedEmail(email, async (tx) => {
    const reported = await tx.selectDistinct({ townId: serviceRequests.townId }).from(serviceRequests).where(unclaimedReport);
    const followed = await tx.selectDistinct({ townId: requestFollowers.townId }).from(requestFollowers).where(unclaimedFollow);
    return [...new Set([...reported, ...followed].map((r) => r.townId))];
  });
  let reports = 0;
  let follows = 0;
  for (const townId of townIds) {
    await withTown(townId, async (tx) => {
      const claimed = await tx.update(serviceRequests).set({ reporterUserId: owner.userId }).where(unclaimedReport).returning({ id: serviceRequests.id });
      const following = await tx.update(requestFollowers).set({ userId: owner.userId }).where(unclaimedFollow).returning({ id: requestFollowers.id });
      reports += claimed.length;
      follows += following.length;
    });
  }
  return { reports, follows };
}

