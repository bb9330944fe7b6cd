import { asc } from 'drizzle-orm';
import { towns, type TownContact } from '#db/schema';
import { withGlobal } from '#db/scope';
import type { TownType } from '#db/vocabulary';
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
type ProfileRow = Omit<TownProfile, 'logoUrl' | 'liveSince' | 'leftProgramAt'> & { logoKey: string | null; liveSince: Date | null; leftProgramAt: Date | null };

function toProfile({ logoKey, contact, liveSince, leftProgramAt, ...town }: ProfileRow): TownProfile {
  return Object.freeze({
    ...town,
    contact: Object.freeze({ ...contact }),
    logoUrl: logoKey ? `/photos/${logoKey}` : null,
    liveSince: liveSince?.toISOString() ?? null,
    leftProgramAt: leftProgramAt?.toISOString() ?? null,
  });
}

/** Every town's profile, by name, read once per change of the towns table (town-cache.server.ts). */
const townProfiles = cachedUntilTownsChange(async () => {
  const list = Object.freeze((await withGlobal((tx) => tx.select(profileColumns).from(towns).orderBy(asc(towns.name)))).map(toProfile));
  return { list, bySlug: new Map(list.map((town) => [town.slug, town])) };
});

export async function findTownBySlug(slug: string): Promise<TownProfile | null> {
  return (await townProfiles()).bySlug.get(slug) ?? null;
}

export async function listTowns(): Promise<readonly TownProfile[]> {
  return (await townProfiles()).list;
}
