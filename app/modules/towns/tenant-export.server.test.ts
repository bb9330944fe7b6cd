import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { towns } from '#db/schema';
import { stateStaffFor } from '../../../tests/capabilities';
import { createUser } from '../../../tests/factories';
import { onboardTown } from './onboarding.server';
import { loadTownRegistry } from './registry.server';
import { exportTownsToRegistry } from './tenant-export.server';
import { listDatabaseOnlyTowns, syncTownRegistry } from './tenant-sync.server';

const db = () => getDatabase().db;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cc-registry-'));
  await cp('tenants', root, { recursive: true });
  const state = await stateStaffFor(await createUser({ stateStaff: true }));
  const added = await onboardTown(
    state,
    { municipality: 26, slug: 'belmont', trackingCode: 'BEL', cohort: '2027 expansion', timezone: 'America/New_York', grantStart: '2027-03-01', grantEnd: null, adminEmail: 'admin@belmont.example' },
    { acceptUrl: (slug, token) => `http://${slug}.localhost/invitations/${token}` },
  );
  expect(added).toEqual({ ok: true, slug: 'belmont' });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('towns added in the app and the registry', () => {
  it('sync leaves a town that exists only in the database alone, and names it', async () => {
    const registry = await loadTownRegistry(root);
    expect(await listDatabaseOnlyTowns(db(), registry.towns)).toEqual(['belmont']);
    const { towns: changes } = await syncTownRegistry(db(), registry);
    expect(changes.map((c) => c.slug)).not.toContain('belmont');
    const [belmont] = await db().select({ liveSince: towns.liveSince, trackingCode: towns.trackingCode }).from(towns).where(eq(towns.slug, 'belmont'));
    expect(belmont).toEqual({ liveSince: null, trackingCode: 'BEL' });
  });

  it('export writes it in the registry format; the registry then loads it and sync changes nothing', async () => {
    const [exported] = await exportTownsToRegistry(db(), ['belmont'], root);
    expect(exported!.files.map((f) => path.basename(f))).toEqual(['town.json', 'boundary.geojson']);
    const townJson = JSON.parse(await readFile(path.join(root, 'belmont', 'town.json'), 'utf8'));
    expect(townJson).toMatchObject({ slug: 'belmont', massgisTownId: 26, trackingCode: 'BEL', grant: { start: '2027-03-01', end: '2030-03-01' }, onboarding: true, categories: null });

    const registry = await loadTownRegistry(root);
    const entry = registry.towns.find((t) => t.slug === 'belmont')!;
    expect(entry).toMatchObject({ name: 'Belmont', county: 'Middlesex', onboarding: true });
    expect(await listDatabaseOnlyTowns(db(), registry.towns)).toEqual([]);
    const [change] = (await syncTownRegistry(db(), registry)).towns.filter((c) => c.slug === 'belmont');
    expect(change).toMatchObject({ action: 'unchanged', fields: [], keptInApp: [], categoriesAdded: 0 });
    // Still onboarding: sync never writes lifecycle facts of a town it already has.
    const [belmont] = await db().select({ liveSince: towns.liveSince }).from(towns).where(eq(towns.slug, 'belmont'));
    expect(belmont!.liveSince).toBeNull();
  });
});
