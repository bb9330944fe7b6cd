import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { createPglite } from './client';
import { MIGRATIONS_FOLDER } from './migrate';

/** The migrations folder as it stood before the migration tagged `firstNew`, in a temp dir. */
async function migrationsBefore(firstNew: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
  await cp(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = path.join(dir, 'meta/_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === firstNew);
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  return dir;
}

const rowsOf = async <T>(client: PGlite, query: string) => (await client.query<T>(query)).rows;

describe('migration 0018 (program categories) on a database with categories', () => {
  let client: PGlite;
  let before: string;
  let through: string;

  beforeAll(async () => {
    client = createPglite();
    before = await migrationsBefore('0018_program_categories');
    // Up to its grants: later migrations create roles, which this plain owner may not.
    through = await migrationsBefore('0020_program_role');
    await migrate(drizzle(client), { migrationsFolder: before });
    await client.exec(`
      INSERT INTO towns (id, slug, name, type, county, geoid, tracking_code, timezone, contact, accent_color, cohort, source, grant_start, grant_end, boundary, registry_snapshot)
      VALUES (274, 'somerville', 'Somerville', 'city', 'Middlesex', '2501762535', 'SOM', 'America/New_York', '{}', '#731f44', 'test', 'test', '2012-12-17', '2015-12-17', '{}', '{}'),
             (165, 'malden', 'Malden', 'city', 'Middlesex', '2501737875', 'MAL', 'America/New_York', '{}', '#1a4480', 'test', 'test', '2012-12-17', '2015-12-17', '{}', '{}');
      INSERT INTO categories (town_id, id, code, name, "group", target_days) VALUES
        (274, gen_random_uuid(), 'pothole', 'Pothole', 'Streets', 5),
        (274, gen_random_uuid(), 'damaged-sidewalk', 'Damaged sidewalk', 'Streets', 20),
        (274, gen_random_uuid(), 'leaf-pickup', 'Leaf pickup', 'Sanitation', 5),
        (165, gen_random_uuid(), 'missed-trash-pickup', 'Missed pickup', 'Sanitation', 2),
        (165, gen_random_uuid(), 'noise', 'Noise', 'Other', 2);
    `);
    // Production migrates as an owner that is not a superuser, and forced RLS applies to owners: the
    // backfill must still see every town's rows. PGlite's own user is a superuser, so hand the
    // tables the migration touches to a plain owner and migrate as it.
    await client.exec(`
      CREATE ROLE migration_owner NOSUPERUSER NOBYPASSRLS;
      DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO migration_owner', current_database()); END $$;
      GRANT CREATE, USAGE ON SCHEMA public TO migration_owner;
      ALTER SCHEMA drizzle OWNER TO migration_owner;
      ALTER TABLE drizzle.__drizzle_migrations OWNER TO migration_owner;
      ALTER TABLE categories OWNER TO migration_owner;
      SET ROLE migration_owner;
    `);
    await migrate(drizzle(client), { migrationsFolder: through });
    await client.exec('RESET ROLE');
  });

  afterAll(async () => {
    await client.close();
    await rm(before, { recursive: true, force: true });
    await rm(through, { recursive: true, force: true });
  });

  it('maps every existing category: by code, the renamed defaults to their counterparts, the rest to other', async () => {
    const mapped = await rowsOf<{ town_id: number; code: string; program_category: string }>(client, 'SELECT town_id, code, program_category FROM categories ORDER BY town_id, code');
    expect(mapped).toEqual([
      { town_id: 165, code: 'missed-trash-pickup', program_category: 'trash-recycling' },
      { town_id: 165, code: 'noise', program_category: 'noise' },
      { town_id: 274, code: 'damaged-sidewalk', program_category: 'sidewalk' },
      { town_id: 274, code: 'leaf-pickup', program_category: 'other' },
      { town_id: 274, code: 'pothole', program_category: 'pothole' },
    ]);
  });

  it('leaves the column required and keyed to the program list, and RLS forced again', async () => {
    const [column] = await rowsOf<{ is_nullable: string }>(client, `SELECT is_nullable FROM information_schema.columns WHERE table_name = 'categories' AND column_name = 'program_category'`);
    expect(column?.is_nullable).toBe('NO');
    const [table] = await rowsOf<{ forced: boolean }>(client, `SELECT relforcerowsecurity AS forced FROM pg_class WHERE relname = 'categories'`);
    expect(table?.forced).toBe(true);
    await expect(client.exec(`UPDATE categories SET program_category = 'no-such-kind' WHERE code = 'noise'`)).rejects.toThrow(/categories_program_category_fk/);
  });
});
