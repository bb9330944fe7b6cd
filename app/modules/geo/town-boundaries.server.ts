import { towns } from '#db/schema';
import { withGlobal } from '#db/scope';
import type { TownGeometry } from './geometry';
export type TownFeature = {
  type: 'Feature';
  properties: { slug: string; name: string; accentColor: string };
  geometry: TownGeometry;
};
export type FeatureCollection = { type: 'FeatureCollection'; features: TownFeature[] };

const CACHE_MS = 60_000;
let cache: { at: number; value: Promise<FeatureCollection> } | undefined;

/** The participating towns' boundaries for the map overlay (the registry files are already rounded to 5 decimals, ~1 m). */
export function getParticipatingTownsGeoJson(): Promise<FeatureCollection> {
  const now = Date.now();
  if (!cache || now - cache.at > CACHE_MS) {
    const value = load();
    cache = { at: now, value };
    // A failed read must not be served for the next minute.
    value.catch(() => {
      if (cache?.value === value) cache = undefined;
    });
  }
  return cache.value;
}

async function load(): Promise<FeatureCollection> {
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
}
