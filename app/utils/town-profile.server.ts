import { asc, eq } from 'drizzle-orm';
import { towns, type TownContact } from '#db/schema';
import { withGlobal } from '#db/scope';
import type { TownType } from '#db/vocabulary';

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
};

// The logo is served by the photos route, like every stored image.
function toProfile({ logoKey, ...town }: Omit<TownProfile, 'logoUrl'> & { logoKey: string | null }): TownProfile {
  return { ...town, logoUrl: logoKey ? `/photos/${logoKey}` : null };
}

export async function findTownBySlug(slug: string): Promise<TownProfile | null> {
  const rows = await withGlobal((tx) => tx.select(profileColumns).from(towns).where(eq(towns.slug, slug)).limit(1));
  return rows[0] ? toProfile(rows[0]) : null;
}

export async function listTowns(): Promise<TownProfile[]> {
  return (await withGlobal((tx) => tx.select(profileColumns).from(towns).orderBy(asc(towns.name)))).map(toProfile);
}
