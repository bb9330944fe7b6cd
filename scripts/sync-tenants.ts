import { closeDatabase, getDatabase } from '#db/client';
import { loadTownRegistry, RegistryError } from '~/modules/towns/registry.server';
import { listDatabaseOnlyTowns, syncTownRegistry } from '~/modules/towns/tenant-sync.server';

try {
  const registry = await loadTownRegistry();
  const { programCategories: program, towns: changes } = await syncTownRegistry(getDatabase().db, registry);
  for (const [action, codes] of Object.entries(program).filter(([, codes]) => codes.length > 0)) {
    console.log(`program categories ${action}: ${codes.join(', ')}`);
  }
  for (const c of changes.filter((c) => c.action !== 'unchanged' || c.categoriesAdded > 0 || c.categoriesUpdated.length > 0 || c.keptInApp.length > 0)) {
    const kept = c.keptInApp.length ? `; kept values changed in the app: ${c.keptInApp.join(', ')}` : '';
    const updated = c.categoriesUpdated.length ? `; keywords from the registry: ${c.categoriesUpdated.join(', ')}` : '';
    console.log(`${c.slug}: ${c.action} ${c.fields.join(', ')}${c.categoriesAdded ? ` +${c.categoriesAdded} categories` : ''}${updated}${kept}`);
  }
  const count = (action: string) => changes.filter((c) => c.action === action).length;
  console.log(`Town registry: ${registry.programCategories.length} program categories, ${registry.towns.length} towns (${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged)`);
  const databaseOnly = await listDatabaseOnlyTowns(getDatabase().db, registry.towns);
  if (databaseOnly.length > 0) {
    console.log(`Left as they are, added in the app and not in tenants/ yet: ${databaseOnly.join(', ')}. \`npm run tenants:export\` writes them there.`);
  }
} catch (error) {
  if (!(error instanceof RegistryError)) throw error;
  console.error(`Town registry is invalid: ${error.message}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
