import { asc } from 'drizzle-orm';
import { towns, townSubscriptions, type TownContact } from '#db/schema';
import { withBilling, withGlobal } from '#db/scope';
import type { SubscriptionFact, TownType } from '#db/vocabulary';
import { cachedUntilTownsChange } from './town-cache.server';

export type TownProfile = {
  id: number;
  slug: string;
  name: string;
  type: TownType;
  county: string;
  trackingCode: string;
  timezone: string;
  contact: TownContact;
  accentColor: string;
  grantStart: string;
  grantEnd: string;
  /** Set by the town admin: the home page's welcome, a notice on every page, the header logo. */
  welcomeMessage: string | null;
  bannerMessage: string | null;
  logoUrl: string | null;
  /** Lifecycle facts (ISO instants), see app/modules/towns/lifecycle.ts: null `liveSince` while onboarding. */
  liveSince: string | null;
  leftProgramAt: string | null;
  /** What pays for the service after the grant (ISO instants), see app/modules/towns/lifecycle.ts. */
  subscriptions: readonly SubscriptionFact[];
};

const profileColumns = {
  id: towns.id,
  slug: towns.slug,
  name: towns.name,
  type: towns.type,
  county: towns.county,
  trackingCode: towns.trackingCode,
  timezone: towns.timezone,
  contact: towns.contact,
  accentColor: towns.accentColor,
  grantStart: towns.grantStart,
  grantEnd: towns.grantEnd,
  welcomeMessage: towns.welcomeMessage,
  bannerMessage: towns.bannerMessage,
  logoKey: towns.logoKey,
  liveSince: towns.liveSince,
  leftProgramAt: towns.leftProgramAt,
};

// The logo is served by the photos route, like every stored image. Frozen: every request shares it.
type ProfileRow = Omit<TownProfile, 'logoUrl' | 'liveSince' | 'leftProgramAt' | 'subscriptions'> & { logoKey: string | null; liveSince: Date | null; leftProgramAt: Date | null };

function toProfile({ logoKey, contact, liveSince, leftProgramAt, ...town }: ProfileRow, subscriptions: readonly SubscriptionFact[]): TownProfile {
  return Object.freeze({
    ...town,
    contact: Object.freeze({ ...contact }),
    logoUrl: logoKey ? `/photos/${logoKey}` : null,
    liveSince: liveSince?.toISOString() ?? null,
    leftProgramAt: leftProgramAt?.toISOString() ?? null,
    subscriptions,
  });
}

const subscriptionColumns = {
  townId: townSubscriptions.townId,
  source: townSubscriptions.source,
  status: townSubscriptions.status,
  periodStart: townSubscriptions.periodStart,
  periodEnd: townSubscriptions.periodEnd,
  endedAt: townSubscriptions.endedAt,
};

/**
 * Every town's profile, by name, read once per change of the towns or their subscriptions
 * (town-cache.server.ts). Subscriptions are read under the billing role: they are town rows, and
 * only their coverage, never an order number or amount, goes into the profile.
 */
const townProfiles = cachedUntilTownsChange(async () => {
  const [rows, subscriptions] = await Promise.all([
    withGlobal((tx) => tx.select(profileColumns).from(towns).orderBy(asc(towns.name))),
    withBilling((tx) => tx.select(subscriptionColumns).from(townSubscriptions)),
  ]);
  const byTown = new Map<number, SubscriptionFact[]>();
  for (const { townId, periodStart, periodEnd, endedAt, ...s } of subscriptions) {
    const fact = Object.freeze({ ...s, periodStart: periodStart.toISOString(), periodEnd: periodEnd.toISOString(), endedAt: endedAt?.toISOString() ?? null });
    byTown.set(townId, [...(byTown.get(townId) ?? []), fact]);
  }
  const list = Object.freeze(rows.map((row) => toProfile(row, Object.freeze(byTown.get(row.id) ?? []))));
  return { list, bySlug: new Map(list.map((town) => [town.slug, town])), byId: new Map(list.map((town) => [town.id, town])) };
});

export async function findTownBySlug(slug: string): Promise<TownProfile | null> {
  return (await townProfiles()).bySlug.get(slug) ?? null;
}

/** A participating town by its id, which is its MassGIS municipality id. */
export async function findTownById(id: number): Promise<TownProfile | null> {
  return (await townProfiles()).byId.get(id) ?? null;
}

export async function listTowns(): Promise<readonly TownProfile[]> {
  return (await townProfiles()).list;
}
