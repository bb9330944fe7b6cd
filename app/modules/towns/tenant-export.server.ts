import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { asc, inArray } from 'drizzle-orm';
import type { Database } from '#db/client';
import { towns } from '#db/schema';

export type ExportedTown = { slug: string; files: string[] };

/**
 * Writes towns from the database into the registry's format (tenants/<slug>/town.json and
 * boundary.geojson), so a town state staff added in the app can be reviewed and kept like every
 * other. Categories stay `null` (the shared defaults): a town's own edits live in the database, and
 * sync only ever adds categories, so nothing it has is lost. Lifecycle facts other than
 * "still onboarding" are not registry data (docs/decisions/0018).
 */
export async function exportTownsToRegistry(db: Database, slugs: string[], rootDir = 'tenants'): Promise<ExportedTown[]> {
  const rows = await db.select().from(towns).where(inArray(towns.slug, slugs)).orderBy(asc(towns.slug));
  const exported: ExportedTown[] = [];
  for (const town of rows) {
    const folder = path.resolve(rootDir, town.slug);
    await mkdir(folder, { recursive: true });
    const townJson = {
      name: town.name,
      slug: town.slug,
      type: town.type,
      county: town.county,
      massgisTownId: town.id,
      geoid: town.geoid,
      trackingCode: town.trackingCode,
      timezone: town.timezone,
      // jsonb keeps no key order: write the registry's, so an export diffs cleanly against the file.
      contact: { phone: town.contact.phone, email: town.contact.email, website: town.contact.website },
      accentColor: town.accentColor,
      cohort: town.cohort,
      source: town.source,
      grant: { start: town.grantStart, end: town.grantEnd },
      ...(town.liveSince === null ? { onboarding: true } : {}),
      categories: null,
    };
    const files = [path.join(folder, 'town.json'), path.join(folder, 'boundary.geojson')];
    await writeFile(files[0]!, `${JSON.stringify(townJson, null, 2)}\n`);
    await writeFile(files[1]!, `${JSON.stringify({ type: 'Feature', properties: { name: town.name, slug: town.slug }, geometry: town.boundary })}\n`);
    exported.push({ slug: town.slug, files: files.map((f) => path.relative(process.cwd(), f)) });
  }
  return exported;
}
