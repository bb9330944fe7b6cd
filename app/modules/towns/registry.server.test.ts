import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { grantEndDate, loadTownRegistry, RegistryError, type TownRegistryEntry } from './registry.server';

const realRegistry = fileURLToPath(new URL('../../../tenants', import.meta.url));

/** WCAG 2 relative luminance of a #rrggbb color. */
function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((offset) => {
    const channel = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

describe('the real registry', () => {
  let towns: TownRegistryEntry[];
  beforeAll(async () => {
    ({ towns } = await loadTownRegistry(realRegistry));
  });
  const town = (slug: string) => towns.find((t) => t.slug === slug)!;

  it('loads all 45 participating towns, sorted by slug', () => {
    expect(towns).toHaveLength(45);
    expect(towns.map((t) => t.slug)).toEqual(towns.map((t) => t.slug).sort());
  });

  it('has unique tracking codes, MassGIS ids and GEOIDs', () => {
    for (const field of ['trackingCode', 'massgisTownId', 'geoid'] as const) {
      expect(new Set(towns.map((t) => t[field])).size).toBe(45);
    }
  });

  it('describes Somerville', () => {
    expect(town('somerville')).toMatchObject({
      name: 'Somerville',
      trackingCode: 'SOM',
      county: 'Middlesex',
      type: 'city',
      massgisTownId: 274,
      geoid: '2501762535',
      grant: { start: '2012-12-17', end: '2015-12-17' },
      contact: { phone: null, email: null, website: null },
    });
    expect(town('somerville').grantNote).toBeUndefined();
    expect(town('somerville').boundary.type).toBe('Polygon');
  });

  it('gives towns without their own list the default categories', async () => {
    const defaults = JSON.parse(await readFile(path.join(realRegistry, '_defaults/categories.json'), 'utf8'));
    expect(town('somerville').categories).toEqual(defaults);
    expect(defaults.map((c: { code: string }) => c.code)).toContain('pothole');
  });

  it('maps every default category to a program category the program lists', async () => {
    const { programCategories } = await loadTownRegistry(realRegistry);
    const codes = new Set(programCategories.map((p) => p.code));
    for (const category of town('somerville').categories) expect(codes, category.code).toContain(category.programCategory);
    expect(programCategories.at(-1)).toMatchObject({ code: 'other', defaultQuestions: [] });
  });

  it("keeps Nantucket's islands as a MultiPolygon", () => {
    expect(town('nantucket').boundary.type).toBe('MultiPolygon');
    expect(town('nantucket').boundary.coordinates.length).toBeGreaterThan(1);
  });

  it('explains the assumed grant start of Salem only where one was assumed', () => {
    expect(town('salem').grant).toEqual({ start: '2014-05-16', end: '2017-05-16' });
    expect(town('salem').grantNote).toMatch(/assumed/);
    expect(towns.filter((t) => t.grantNote).map((t) => t.slug)).toEqual(['hopkinton', 'salem']);
  });

  it('uses accent colors readable under white text (WCAG AA, 4.5:1)', () => {
    for (const { slug, accentColor } of towns) {
      expect(contrastRatio(accentColor, '#ffffff'), `${slug} ${accentColor}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('grantEndDate', () => {
  it('is three calendar years after the start unless an end is recorded', () => {
    expect(grantEndDate('2012-12-17', null)).toBe('2015-12-17');
    expect(grantEndDate('2012-12-17', '2014-06-30')).toBe('2014-06-30');
  });

  it('moves 29 February to 28 February', () => {
    expect(grantEndDate('2016-02-29', null)).toBe('2019-02-28');
  });
});

describe('a malformed registry', () => {
  const tempRoots: string[] = [];
  afterEach(async () => {
    await Promise.all(tempRoots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
  });

  /** A registry in a temp dir with copies of the given real towns, the default categories and the program's. */
  async function registryWith(...slugs: string[]): Promise<string> {
    const root = await mkdtemp(path.join(tmpdir(), 'registry-'));
    tempRoots.push(root);
    await cp(path.join(realRegistry, '_defaults'), path.join(root, '_defaults'), { recursive: true });
    await cp(path.join(realRegistry, '_program'), path.join(root, '_program'), { recursive: true });
    for (const slug of slugs) await cp(path.join(realRegistry, slug), path.join(root, slug), { recursive: true });
    return root;
  }

  // Each test reaches into a different JSON shape; typing them all would only restate the fixtures.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function editJson(file: string, edit: (json: any) => void): Promise<void> {
    const json = JSON.parse(await readFile(file, 'utf8'));
    edit(json);
    await writeFile(file, JSON.stringify(json));
  }

  async function loadError(root: string): Promise<string> {
    const error = await loadTownRegistry(root).then(
      () => null,
      (error: unknown) => error,
    );
    expect(error).toBeInstanceOf(RegistryError);
    return (error as RegistryError).message;
  }

  it('loads a valid copy', async () => {
    const root = await registryWith('somerville', 'malden');
    expect((await loadTownRegistry(root)).towns.map((t) => t.trackingCode)).toEqual(['MAL', 'SOM']);
  });

  it('names the file and the parse error for invalid JSON', async () => {
    const root = await registryWith('somerville');
    await writeFile(path.join(root, 'somerville/town.json'), '{ "name": "Somerville", ');
    const message = await loadError(root);
    expect(message).toMatch(/^registry-\w+\/somerville\/town\.json: invalid JSON: /);
  });

  it('names a missing field', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, 'somerville/town.json'), (town) => delete town.county);
    expect(await loadError(root)).toMatch(/somerville\/town\.json: field "county": is required$/);
  });

  it('rejects a tracking code that is not 2-4 uppercase letters', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, 'somerville/town.json'), (town) => (town.trackingCode = 'Som1'));
    expect(await loadError(root)).toMatch(/somerville\/town\.json: field "trackingCode": must be 2-4 uppercase letters$/);
  });

  it('names both files when two towns share a tracking code', async () => {
    const root = await registryWith('somerville', 'malden');
    await editJson(path.join(root, 'malden/town.json'), (town) => (town.trackingCode = 'SOM'));
    const message = await loadError(root);
    expect(message).toMatch(/somerville\/town\.json: field "trackingCode": "SOM" is also used by registry-\w+\/malden\/town\.json$/);
  });

  it('rejects a slug that differs from its folder', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, 'somerville/town.json'), (town) => (town.slug = 'malden'));
    expect(await loadError(root)).toMatch(/somerville\/town\.json: field "slug": "malden" must equal the folder name "somerville"$/);
  });

  it('rejects an open ring', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, 'somerville/boundary.geojson'), (feature) => feature.geometry.coordinates[0].pop());
    expect(await loadError(root)).toMatch(
      /somerville\/boundary\.geojson: field "geometry\.coordinates\[0\]": ring is not closed/,
    );
  });

  it('rejects a point outside Massachusetts', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, 'somerville/boundary.geojson'), (feature) => {
      feature.geometry.coordinates[0][3] = [-74.5, 42.39];
    });
    expect(await loadError(root)).toMatch(
      /somerville\/boundary\.geojson: field "geometry\.coordinates\[0\]\[3\]": longitude -74\.5 is outside Massachusetts/,
    );
  });

  it('accepts a bare geometry but not a point', async () => {
    const root = await registryWith('somerville');
    const boundaryPath = path.join(root, 'somerville/boundary.geojson');
    await editJson(boundaryPath, (feature) => Object.assign(feature, feature.geometry));
    expect((await loadTownRegistry(root)).towns[0]!.boundary.type).toBe('Polygon');
    await writeFile(boundaryPath, JSON.stringify({ type: 'Point', coordinates: [-71.1, 42.39] }));
    expect(await loadError(root)).toMatch(/somerville\/boundary\.geojson: field "type": Invalid discriminator value/);
  });

  it('rejects an unknown key', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, 'somerville/town.json'), (town) => (town.contact.fax = '617-555-0100'));
    expect(await loadError(root)).toMatch(/somerville\/town\.json: field "contact\.fax": is not a known field$/);
  });

  it('rejects a color that is not #rrggbb', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, 'somerville/town.json'), (town) => (town.accentColor = 'navy'));
    expect(await loadError(root)).toMatch(/somerville\/town\.json: field "accentColor": must be a #rrggbb color$/);
  });

  it('rejects a bad email, time zone and grant end, listing each field', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, 'somerville/town.json'), (town) => {
      town.contact.email = 'city hall';
      town.timezone = 'America/Boston';
      town.grant.end = '2012-01-01';
    });
    const message = await loadError(root);
    expect(message).toContain('field "contact.email": must be an email address');
    expect(message).toContain('field "timezone": must be an IANA time zone');
    expect(message).toContain('field "grant.end": must be after grant.start');
  });

  it('names the default category that maps to a program category the program does not list', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, '_defaults/categories.json'), (categories) => (categories[2].programCategory = 'sidewalks'));
    expect(await loadError(root)).toMatch(
      /_defaults\/categories\.json: field "\[2\]\.programCategory": category "damaged-sidewalk" maps to "sidewalks", which registry-\w+\/_program\/categories\.json does not list$/,
    );
  });

  it("names the town and the category when a town's own category maps to an unlisted program category", async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, 'somerville/town.json'), (town) => {
      town.categories = [
        { code: 'pothole', name: 'Pothole', group: 'Streets', programCategory: 'pothole', description: 'A hole in the road.', targetDays: 5 },
        { code: 'leaf-pickup', name: 'Leaf pickup', group: 'Sanitation', programCategory: 'leaves', description: 'Bagged leaves left out.', targetDays: 5 },
      ];
    });
    expect(await loadError(root)).toMatch(
      /somerville\/town\.json: field "categories\[1\]\.programCategory": category "leaf-pickup" maps to "leaves", which registry-\w+\/_program\/categories\.json does not list$/,
    );
  });

  it('requires a program category on every category', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, '_defaults/categories.json'), (categories) => delete categories[0].programCategory);
    expect(await loadError(root)).toMatch(/_defaults\/categories\.json: field "\[0\]\.programCategory": is required$/);
  });

  it('rejects a program list without "other" or with a repeated code', async () => {
    const root = await registryWith('somerville');
    const file = path.join(root, '_program/categories.json');
    const original = await readFile(file, 'utf8');
    await editJson(file, (program) => program.pop());
    expect(await loadError(root)).toMatch(/_program\/categories\.json: must list the program category "other"$/);
    await writeFile(file, original);
    await editJson(file, (program) => (program[1].code = 'pothole'));
    expect(await loadError(root)).toMatch(/_program\/categories\.json: field "\[1\]\.code": duplicates the code "pothole" of \[0\]$/);
  });

  it("checks the program's default questions as the admin console would write them", async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, '_program/categories.json'), (program) => {
      delete program[0].defaultQuestions[0].choices;
      program[1].defaultQuestions[0].type = 'photo';
      program[0].defaultQuestions[1].choices[1].value = 'in-a-travel-lane';
      program[0].defaultQuestions[1].choices[0].value = 'in-a-travel-lane';
    });
    const message = await loadError(root);
    expect(message).toContain('field "[0].defaultQuestions[0].choices": is required for a "single" question');
    expect(message).toContain('field "[0].defaultQuestions[1].choices[1].value": duplicates the value "in-a-travel-lane" of [0]');
    expect(message).toContain('field "[1].defaultQuestions[0].type": Invalid enum value');
  });

  it('checks keywords as the admin console would, naming the field, and stores them as it would', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, '_program/categories.json'), (program) => (program[0].defaultKeywords = ['Pot  Hole', 'x'.repeat(41)]));
    expect(await loadError(root)).toMatch(/_program\/categories\.json: field "\[0\]\.defaultKeywords": "x{41}" is longer than 40 characters$/);
    await editJson(path.join(root, '_program/categories.json'), (program) => (program[0].defaultKeywords = ['Pot  Hole', 'crater', 'pot holes']));
    expect(await loadError(root)).toMatch(/_program\/categories\.json: field "\[0\]\.defaultKeywords": "pot holes" searches like "pot hole", listed before it$/);
    await editJson(path.join(root, '_program/categories.json'), (program) => (program[0].defaultKeywords = ['Pot  Hole']));
    await editJson(path.join(root, '_defaults/categories.json'), (categories) => (categories[1].keywords = ['***']));
    expect(await loadError(root)).toMatch(/_defaults\/categories\.json: field "\[1\]\.keywords": "\*\*\*" has no letter or digit$/);
    await editJson(path.join(root, '_defaults/categories.json'), (categories) => (categories[1].keywords = ['Street Lamp']));
    const { programCategories, towns } = await loadTownRegistry(root);
    expect(programCategories[0]!.defaultKeywords).toEqual(['pot hole']);
    expect(towns[0]!.categories[1]!.keywords).toEqual(['street lamp']);
    expect(towns[0]!.categories[0]!.keywords).toBeUndefined();
  });

  it('rejects duplicate category codes in the defaults', async () => {
    const root = await registryWith('somerville');
    await editJson(path.join(root, '_defaults/categories.json'), (categories) => (categories[1].code = 'pothole'));
    expect(await loadError(root)).toMatch(
      /_defaults\/categories\.json: field "\[1\]\.code": duplicates the code "pothole" of \[0\]$/,
    );
  });
});
