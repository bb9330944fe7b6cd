/**
 * Writes towns from the configured database into tenants/ in the registry's format.
 *
 *   npm run tenants:export             every town the database has and the registry does not
 *   npm run tenants:export -- <slug>…  these towns (an existing folder is overwritten)
 */
import { closeDatabase, getDatabase } from '#db/client';
import { loadTownRegistry, RegistryError } from '~/modules/towns/registry.server';
import { exportTownsToRegistry } from '~/modules/towns/tenant-export.server';
import { listDatabaseOnlyTowns } from '~/modules/towns/tenant-sync.server';

try {
  const { db } = getDatabase();
  const named = process.argv.slice(2);
  const slugs = named.length > 0 ? named : await listDatabaseOnlyTowns(db, (await loadTownRegistry()).towns);
  const exported = await exportTownsToRegistry(db, slugs);
  const missing = slugs.filter((slug) => !exported.some((e) => e.slug === slug));
  for (const town of exported) console.log(`${town.slug}: wrote ${town.files.join(', ')}`);
  if (missing.length > 0) {
    console.error(`No town in the database has the slug ${missing.join(', ')}`);
    process.exitCode = 1;
  }
  console.log(`Exported ${exported.length} town(s); review them and commit tenants/ like any registry change.`);
} catch (error) {
  if (!(error instanceof RegistryError)) throw error;
  console.error(`Town registry is invalid: ${error.message}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
