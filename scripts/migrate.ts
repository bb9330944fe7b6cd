import { closeDatabase, getDatabase } from '#db/client';
import { migrateDatabase } from '#db/migrate';

const started = performance.now();
const handle = getDatabase();
await migrateDatabase(handle);
console.log(`Migrated the ${handle.driver} database in ${Math.round(performance.now() - started)} ms`);
await closeDatabase();
