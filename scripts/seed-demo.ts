import { closeDatabase, getDatabase } from '#db/client';
import { seedDemoRequests } from '~/modules/demo/seed-demo-requests.server';
import { townLinks } from '~/utils/town.server';
import { seedDemo } from '~/modules/demo/seed-demo.server';
import { getEnv } from '~/utils/env.server';

if (!getEnv().DEMO_MODE) {
  console.error('Refusing to create demo accounts: DEMO_MODE is off (it is off by default when DATABASE_URL is set).');
  process.exitCode = 1;
} else {
  const { accounts } = await seedDemo(getDatabase().db);
  const requests = await seedDemoRequests({ linksFor: townLinks });
  console.log(`Demo data: ${accounts} demo accounts (password in README.md), ${requests.created} new demo requests`);
}
await closeDatabase();
