/**
 * Fails when a browser chunk in public/build carries drizzle or the schema: a route module that
 * imports a table or `#db/schema` for a value ships the table and policy names to every visitor.
 * Run after `npm run build` (.ci/run does). The markers come from the schema itself, so a new
 * table or policy is covered without editing this file. It also fails when a page's browser code uses a
 * value from a .server module (scripts/browser-server-imports.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import * as schema from '#db/schema';
import { findServerImportsInBrowserCode } from './browser-server-imports';

const BUILD_DIR = path.resolve('public/build');

// Only names with an underscore: plain words such as "towns" also occur in ordinary page code.
function schemaMarkers(): string[] {
  const tables: PgTable[] = Object.values(schema).filter((value) => is(value, PgTable));
  const names = tables.flatMap((table) => {
    const config = getTableConfig(table);
    return [config.name, ...config.policies.map((policy) => policy.name)];
  });
  return [...new Set(names)].filter((name) => name.includes('_'));
}

function chunksIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return chunksIn(file);
    return entry.name.endsWith('.js') ? [file] : [];
  });
}

const chunks = chunksIn(BUILD_DIR);
if (chunks.length === 0) {
  console.error(`No JavaScript in ${BUILD_DIR}: run npm run build first.`);
  process.exit(1);
}
const markers = [...schemaMarkers().map((name) => `"${name}"`), 'drizzle'];
const offenders = chunks.flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  const found = markers.filter((marker) => text.includes(marker));
  return found.length > 0 ? [`${path.relative(process.cwd(), file)}: ${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''}`] : [];
});
if (offenders.length > 0) {
  console.error('Browser chunks carry drizzle or the database schema (import vocabulary from #db/vocabulary, tables only in .server files):');
  for (const line of offenders) console.error(`  ${line}`);
  process.exit(1);
}
// The browser build empties .server modules: a value the page takes from one is undefined there.
const serverValues = findServerImportsInBrowserCode();
if (serverValues.length > 0) {
  console.error('Browser code uses values from .server modules (undefined in the browser; move them to a module without .server):');
  for (const use of serverValues) console.error(`  ${use.file}: ${use.name} from ${use.module}`);
  process.exit(1);
}
console.log(`${chunks.length} browser chunks checked: no drizzle, no schema, no value from a .server module.`);
