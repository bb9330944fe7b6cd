/**
 * Creates `tenants/<slug>/town.json` and `tenants/<slug>/boundary.geojson` for every participating
 * town that has no folder yet. An existing folder is never changed: once imported, a town's folder
 * is maintained by hand, so re-running the import must not undo those edits.
 *
 * Inputs (copies of the shared data set, see tenants/_statewide/SOURCES.md):
 *   tenants/_statewide/participating-towns.json
 *   tenants/_statewide/ma-municipalities.geojson
 *
 * Run: npx tsx scripts/import-tenants.ts
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Participant = {
  name: string;
  slug: string;
  confirmed: boolean;
  source: string;
  cohort: string;
  town_id: number;
  geoid: string;
};

type Municipality = {
  properties: { name: string; slug: string; town_id: number; geoid: string; county: string; type: 'city' | 'town' };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
};

const tenantsDir = fileURLToPath(new URL('../tenants/', import.meta.url));
const statewideDir = path.join(tenantsDir, '_statewide');

/**
 * USWDS "70v" grades: each has a contrast ratio of at least 7:1 against white text (USWDS grade
 * difference of 70). The registry test checks the ratio of every assigned color.
 */
const ACCENT_PALETTE = [
  '#1a4480', // blue-warm-70v
  '#154c21', // green-cool-70v
  '#8b0a03', // red-70v
  '#3333a3', // indigo-70v
  '#54278f', // violet-70v
  '#731f44', // magenta-70v
  '#0e4f5c', // cyan-70v
  '#5c410a', // gold-70v
  '#782312', // orange-warm-70v
  '#0c4e29', // mint-70v
];

/** The governor's launch event of Commonwealth Connect with its first 35 communities. */
const LAUNCH_COHORT_PREFIX = 'Dec 2012 launch';
const LAUNCH_DATE = '2012-12-17';
/** The latest dated adoption in the sources (MetroWest Daily News, 16 May 2014). */
const LATEST_DATED_ADOPTION = '2014-05-16';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CITED_DATE = /\b(?:(\d{1,2}) )?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})\b/g;

type GrantStart = { start: string; grantNote?: string };

/**
 * The grant starts at the launch event for the launch cohort. Other towns have no recorded start,
 * so the earliest dated source naming the town stands in for it; an assumption gets a note.
 */
function grantStartOf(town: Participant): GrantStart {
  if (town.cohort.startsWith(LAUNCH_COHORT_PREFIX)) return { start: LAUNCH_DATE };

  const citedDates = town.source.split(' | ').flatMap((citation) =>
    [...citation.matchAll(CITED_DATE)].map(([asWritten, day, month, year]) => ({
      date: `${year}-${String(MONTHS.indexOf(month!) + 1).padStart(2, '0')}-${(day ?? '1').padStart(2, '0')}`,
      asWritten,
      publisher: citation.split(',')[0]!,
      dayGiven: day !== undefined,
    })),
  );
  const earliest = citedDates.sort((a, b) => (a.date < b.date ? -1 : 1))[0];

  if (!earliest) {
    return {
      start: LATEST_DATED_ADOPTION,
      grantNote:
        `Start date assumed: the source naming ${town.name} is undated and ${town.name} is not among the ` +
        `2012-2013 participants named in the sources, so it is treated as a later adopter with the ` +
        `latest dated adoption found, ${LATEST_DATED_ADOPTION} (MetroWest Daily News, 16 May 2014).`,
    };
  }
  if (!earliest.dayGiven) {
    return {
      start: earliest.date,
      grantNote:
        `Start day assumed: the earliest source, ${earliest.publisher}, is dated only ` +
        `${earliest.asWritten}, so the grant is taken to start on the first of that month.`,
    };
  }
  return { start: earliest.date };
}

const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);
/** Directions that start many Massachusetts town names (Westborough, Northampton, Southbridge). */
const COMPOUND_PREFIXES = ['NORTH', 'SOUTH', 'EAST', 'WEST'];

function lettersOf(name: string): string[] {
  return name.toUpperCase().match(/[A-Z]+/g) ?? [];
}

/** A town name's two parts: its words, or a one-word name split after a direction prefix. */
function namePartsOf(name: string): [string, string?] {
  const words = lettersOf(name);
  if (words.length > 1) return [words[0]!, words[1]!];
  const word = words[0] ?? '';
  const prefix = COMPOUND_PREFIXES.find((p) => word.startsWith(p) && word.length - p.length >= 3);
  return prefix ? [prefix, word.slice(prefix.length)] : [word];
}

/**
 * Codes for a town whose first three letters are ambiguous, most readable first: both parts'
 * initials plus a consonant of the second part (New Bedford NBD, West Boylston WBY), or for a
 * single word its first letter and two later consonants (Newton NWT); finally the first letter
 * and any two later letters, in order.
 */
function alternativeTrackingCodes(name: string): string[] {
  const [first, second] = namePartsOf(name);
  const codes: string[] = [];
  if (second) {
    for (const letter of second.slice(1)) if (!VOWELS.has(letter)) codes.push(first[0]! + second[0]! + letter);
  } else {
    const consonants = [...first.slice(1)].filter((letter) => !VOWELS.has(letter));
    consonants.forEach((a, i) => consonants.slice(i + 1).forEach((b) => codes.push(first[0]! + a + b)));
  }
  const letters = lettersOf(name).join('');
  for (let i = 1; i < letters.length; i++) {
    for (let j = i + 1; j < letters.length; j++) codes.push(letters[0]! + letters[i]! + letters[j]!);
  }
  return [...new Set(codes)];
}

/**
 * Tracking codes are the first three letters of the name when no other participant shares them.
 * When participants share them (New Bedford, Newton), none gets the shared code, since a reader
 * could not tell which town it means; each takes its first free alternative, in slug order.
 * Ambiguity is judged over all participants, so a town imported later gets the code a full import
 * would give it; codes already in town.json files are kept and never reused.
 */
function assignTrackingCodes(participants: Participant[], existingCodes: Map<string, string>): Map<string, string> {
  const firstThree = (town: Participant) => lettersOf(town.name).join('').slice(0, 3);
  const participantsByFirstThree = new Map<string, Participant[]>();
  for (const town of participants) {
    participantsByFirstThree.set(firstThree(town), [...(participantsByFirstThree.get(firstThree(town)) ?? []), town]);
  }
  const codes = new Map(existingCodes);
  const used = new Set(existingCodes.values());
  const ambiguous: Participant[] = [];

  for (const [code, sharing] of participantsByFirstThree) {
    const unassigned = sharing.filter((town) => !codes.has(town.slug));
    if (sharing.length === 1 && unassigned.length === 1 && !used.has(code)) codes.set(unassigned[0]!.slug, code);
    else ambiguous.push(...unassigned);
    used.add(code);
  }
  for (const town of ambiguous.sort((a, b) => (a.slug < b.slug ? -1 : 1))) {
    const code = alternativeTrackingCodes(town.name).find((candidate) => !used.has(candidate));
    if (!code) throw new Error(`No free tracking code for ${town.name}; set one by hand.`);
    used.add(code);
    codes.set(town.slug, code);
  }
  return codes;
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Tracking codes by folder name, as recorded in the existing town.json files. */
async function trackingCodesOfExistingTowns(folders: string[]): Promise<Map<string, string>> {
  const towns = await Promise.all(
    folders.map((folder) => readJson<{ trackingCode?: unknown }>(path.join(tenantsDir, folder, 'town.json'))),
  );
  return new Map(
    towns.flatMap((town, i) => (typeof town.trackingCode === 'string' ? [[folders[i]!, town.trackingCode] as const] : [])),
  );
}

function townJson(town: Participant, boundary: Municipality, trackingCode: string, accentColor: string) {
  const { start, grantNote } = grantStartOf(town);
  return {
    name: town.name,
    slug: town.slug,
    type: boundary.properties.type,
    county: boundary.properties.county,
    massgisTownId: town.town_id,
    geoid: town.geoid,
    trackingCode,
    timezone: 'America/New_York',
    // No verified contact details yet; null means "not yet published".
    contact: { phone: null, email: null, website: null },
    accentColor,
    cohort: town.cohort,
    source: town.source,
    grant: { start, end: null },
    ...(grantNote ? { grantNote } : {}),
    categories: null,
  };
}

function boundaryFeature(boundary: Municipality) {
  const { name, slug, town_id, geoid } = boundary.properties;
  return {
    type: 'Feature',
    properties: { name, slug, town_id, geoid, source: 'MassGIS TOWNSSURVEY_POLYM' },
    geometry: boundary.geometry,
  };
}

async function main() {
  const participants = (await readJson<Participant[]>(path.join(statewideDir, 'participating-towns.json'))).sort(
    (a, b) => (a.slug < b.slug ? -1 : 1),
  );
  const { features } = await readJson<{ features: Municipality[] }>(path.join(statewideDir, 'ma-municipalities.geojson'));
  const boundaries = new Map(features.map((feature) => [feature.properties.slug, feature]));

  const existingFolders = (await readdir(tenantsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_') && !entry.name.startsWith('.'))
    .map((entry) => entry.name);
  const toCreate = participants.filter((town) => !existingFolders.includes(town.slug));
  const trackingCodes = assignTrackingCodes(participants, await trackingCodesOfExistingTowns(existingFolders));

  for (const [index, town] of participants.entries()) {
    if (!toCreate.includes(town)) {
      console.log(`skipped  ${town.slug}/ (folder exists)`);
      continue;
    }
    const boundary = boundaries.get(town.slug);
    if (!boundary || boundary.properties.town_id !== town.town_id || boundary.properties.geoid !== town.geoid) {
      throw new Error(`${town.slug}: no boundary with the same slug, town_id and geoid in ma-municipalities.geojson`);
    }
    const dir = path.join(tenantsDir, town.slug);
    // Non-recursive mkdir fails if the folder appeared meanwhile, so an existing folder is never written.
    await mkdir(dir);
    try {
      // Colors go by position in the full list, so a town's color does not depend on which folders exist.
      const accentColor = ACCENT_PALETTE[index % ACCENT_PALETTE.length]!;
      const townFile = townJson(town, boundary, trackingCodes.get(town.slug)!, accentColor);
      await writeFile(path.join(dir, 'town.json'), `${JSON.stringify(townFile, null, 2)}\n`);
      await writeFile(path.join(dir, 'boundary.geojson'), `${JSON.stringify(boundaryFeature(boundary))}\n`);
    } catch (error) {
      await rm(dir, { recursive: true });
      throw error;
    }
    console.log(`created  ${town.slug}/ (${trackingCodes.get(town.slug)})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
