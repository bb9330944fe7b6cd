import { towns } from '#db/schema';
import { withGlobal } from '#db/scope';
import { cachedUntilTownsChange } from '~/utils/town-cache.server';
import type { TownGeometry } from './geometry';
export type TownFeature = {
  type: 'Feature';
  properties: { slug: string; name: string; accentColor: string };
  geometry: TownGeometry;
};
export type FeatureCollection = { type: 'FeatureCollection'; features: TownFeature[] };

/** The participating towns' boundaries for the map overlay (the registry files are already rounded to 5 decimals, ~1 m). */
export const getParticipatingTownsGeoJson = cachedUntilTownsChange(async (): Promise<FeatureCollection> => {
  const rows = await withGlobal((tx) =>
    tx.select({ slug: towns.slug, name: towns.name, accentColor: towns.accentColor, boundary: towns.boundary }).from(towns).orderBy(towns.slug),
  );
  return {
    type: 'FeatureCollection',
    features: rows.map((row) => ({
      type: 'Feature',
      properties: { slug: row.slug, name: row.name, accentColor: row.accentColor },
      geometry: row.boundary as TownGeometry,
    })),
  };
});
