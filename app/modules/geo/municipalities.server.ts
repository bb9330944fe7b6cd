import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TownType } from '#db/vocabulary';
import type { TownGeometry } from './geometry';

/** One of the 351 Massachusetts cities and towns, as MassGIS and the Census name them (tenants/_statewide/SOURCES.md). */
export type Municipality = { townId: number; slug: string; name: string; type: TownType; county: string; geoid: string; geometry: TownGeometry };

let municipalities: readonly Municipality[] | undefined;

/** All 351, read from the shipped boundary file once per process, ordered by MassGIS id (alphabetical). */
export function listMunicipalities(): readonly Municipality[] {
  if (!municipalities) {
    const file = path.join(process.cwd(), 'tenants/_statewide/ma-municipalities.geojson');
    const collection = JSON.parse(readFileSync(file, 'utf8')) as {
      features: { properties: { name: string; slug: string; town_id: number; type: TownType; county: string; geoid: string }; geometry: TownGeometry }[];
    };
    municipalities = Object.freeze(
      collection.features.map(({ properties: p, geometry }) => ({ townId: p.town_id, slug: p.slug, name: p.name, type: p.type, county: p.county, geoid: p.geoid, geometry })),
    );
  }
  return municipalities;
}

export function findMunicipality(townId: number): Municipality | null {
  return listMunicipalities().find((m) => m.townId === townId) ?? null;
}
