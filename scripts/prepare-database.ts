import { closeDatabase, getDatabase } from '#db/client';
import { migrateDatabase } from '#db/migrate';
import { seedDemoRequests } from '~/modules/demo/seed-demo-requests.server';
import { townLinks } from '~/utils/town.server';
import { seedDemo } from '~/modules/demo/seed-demo.server';
import { loadTownRegistry } from '~/modules/towns/registry.server';
import { syncTownRegistry } from '~/modules/towns/tenant-sync.server';
import { getEnv } from '~/utils/env.server';

/** `npm start`'s database step: migrate, load the town registry, and (demo mode) the demo data. */
const started = performance.now();
const handle = getDatabase();
await migrateDatabase(handle);
const { towns: changes } = await syncTownRegistry(handle.db, await loadTownRegistry());
const created = changes.filter((c) => c.action === 'created').length;
let demo = '';
if (getEnv().DEMO_MODE) {
  const { accounts } = await seedDemo(handle.db);
  const requests = await seedDemoRequests({ linksFor: townLinks });
  demo = `, ${accounts} demo accounts, ${requests.created} new demo requests`;
}
await closeDatabase();
console.log(`Database ready (${handle.driver}): ${changes.length} towns (${created} new)${demo} in ${Math.round(performance.now() - started)} ms`);
