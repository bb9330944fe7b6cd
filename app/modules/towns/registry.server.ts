/**
 * The town registry: one folder per participating town under `tenants/`, edited by hand and
 * reviewed in pull requests. Loading validates everything up front so that a mistake fails with
 * the file and field to fix instead of surfacing later as a wrong page or a routing error.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { QUESTION_TYPES, type CategoryQuestion, type TownType } from '#db/vocabulary';
import { CHOICE_CODE, CHOICES_LIMIT } from '~/modules/admin/admin-forms';
import { checkKeywords, type KeywordProblem } from '~/modules/categories/category-match';
import { QUESTIONS_PER_CATEGORY_MAX } from '~/modules/categories/category-admin.server';
import type { TownGeometry } from '~/modules/geo/geometry';
import { isKnownTimeZone } from '~/utils/date-format';

export type RegistryCategory = {
  code: string;
  name: string;
  group: string;
  /** The program category it counts as (`tenants/_program/categories.json`). */
  programCategory: string;
  description: string;
  /** Service level in business days. */
  targetDays: number;
  /** Other words residents use for it; absent: its program category's default keywords. */
  keywords?: string[];
};

/** One of the state program's canonical categories. */
export type ProgramCategoryEntry = {
  code: string;
  name: string;
  description: string;
  defaultTargetDays: number;
  defaultKeywords: string[];
  defaultQuestions: CategoryQuestion[];
};

export type TownRegistryEntry = {
  name: string;
  slug: string;
  type: TownType;
  county: string;
  massgisTownId: number;
  geoid: string;
  trackingCode: string;
  timezone: string;
  /** null: not yet published. */
  contact: { phone: string | null; email: string | null; website: string | null };
  accentColor: string;
  cohort: string;
  source: string;
  /** YYYY-MM-DD; `end` is filled in from `start` when the file leaves it null. */
  grant: { start: string; end: string };
  grantNote?: string;
  /** A town added in the app and exported before it went live: sync creates it onboarding, not live. */
  onboarding?: boolean;
  /** The town's own list, or the shared defaults. */
  categories: RegistryCategory[];
  boundary: TownGeometry;
};

/** Everything under `tenants/`: the program's categories (in the program's order) and the towns. */
export type TownRegistry = { programCategories: ProgramCategoryEntry[]; towns: TownRegistryEntry[] };

/** A registry mistake; the message names the file, the field and what is wrong with it. */
export class RegistryError extends Error {
  constructor(
    /** Path from the registry root's parent, e.g. `tenants/somerville/town.json`. */
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'RegistryError';
  }
}

/** The grant's last day: the recorded end, or three calendar years after the start. */
export function grantEndDate(start: string, end: string | null): string {
  if (end !== null) return end;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  if (!match) throw new RangeError(`grant start "${start}" is not a YYYY-MM-DD date`);
  const [, year, month, day] = match;
  // Three years after a leap year is never one, so 29 February has no counterpart.
  const endDay = month === '02' && day === '29' ? '28' : day;
  return `${String(Number(year) + 3).padStart(4, '0')}-${month}-${endDay}`;
}

// Massachusetts with a small margin; a coordinate outside it usually means swapped lon/lat or a
// projected (metre) coordinate system.
const MA_LONGITUDE = { min: -73.6, max: -69.8 };
const MA_LATITUDE = { min: 41.1, max: 42.95 };

const MA_COUNTIES = [
  'Barnstable', 'Berkshire', 'Bristol', 'Dukes', 'Essex', 'Franklin', 'Hampden',
  'Hampshire', 'Middlesex', 'Nantucket', 'Norfolk', 'Plymouth', 'Suffolk', 'Worcester',
] as const;

const kebabCase = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase kebab-case (a-z, 0-9, single hyphens)');
const text = z.string().trim().min(1, 'must not be empty');
const isoDate = z.string().date('must be a real date written YYYY-MM-DD');

const targetDays = z.number().int('must be a whole number').min(1, 'must be 1 to 60').max(60, 'must be 1 to 60');

/** A custom issue at `pathOf(index)` for every code that repeats an earlier one. */
function uniqueCodes(codes: string[], ctx: z.RefinementCtx, pathOf: (index: number) => (string | number)[], what = 'code') {
  const firstIndexByCode = new Map<string, number>();
  codes.forEach((code, index) => {
    const first = firstIndexByCode.get(code);
    if (first === undefined) firstIndexByCode.set(code, index);
    else ctx.addIssue({ code: 'custom', path: pathOf(index), message: `duplicates the ${what} "${code}" of [${first}]` });
  });
}

const codesOf = (entries: { code: string }[]) => entries.map((e) => e.code);

function describeKeywordProblem(problem: KeywordProblem): string {
  switch (problem.code) {
    case 'too_many':
      return `must list at most ${problem.max} keywords`;
    case 'too_long':
      return `"${problem.keyword}" is longer than ${problem.max} characters`;
    case 'no_letters':
      return `"${problem.keyword}" has no letter or digit`;
    case 'repeated':
      return `"${problem.keyword}" searches like "${problem.earlier}", listed before it`;
  }
}

/** Keywords checked as the admin console checks them (and a repeat refused), stored as it stores them (lower case). */
const keywordList = z.array(z.string()).transform((list, ctx) => {
  const checked = checkKeywords(list, { repeats: 'refuse' });
  if ('keywords' in checked) return checked.keywords;
  ctx.addIssue({ code: 'custom', message: describeKeywordProblem(checked.problem) });
  return z.NEVER;
});

const categorySchema = z
  .object({
    code: kebabCase,
    name: text,
    group: text,
    programCategory: kebabCase,
    description: text,
    targetDays,
    keywords: keywordList.optional(),
  })
  .strict();

const categoryListSchema = z.array(categorySchema).min(1, 'must list at least one category').superRefine((categories, ctx) => uniqueCodes(codesOf(categories), ctx, (i) => [i, 'code']));

// The shape the admin console writes (app/modules/admin/admin-forms.ts), so a town edits a copied
// default question like one of its own.
const questionSchema = z
  .object({
    code: kebabCase.max(32, 'must be at most 32 characters'),
    label: text.max(200, 'must be at most 200 characters'),
    type: z.enum(QUESTION_TYPES),
    required: z.boolean(),
    public: z.boolean(),
    choices: z
      .array(
        z
          .object({
            value: z.string().regex(CHOICE_CODE, 'must be lowercase letters, digits, dashes and underscores (at most 40)'),
            label: text.max(100, 'must be at most 100 characters'),
          })
          .strict(),
      )
      .min(CHOICES_LIMIT.min, `must list ${CHOICES_LIMIT.min} to ${CHOICES_LIMIT.max} choices`)
      .max(CHOICES_LIMIT.max, `must list ${CHOICES_LIMIT.min} to ${CHOICES_LIMIT.max} choices`)
      .optional(),
  })
  .strict()
  .superRefine((question, ctx) => {
    const listed = question.type === 'single' || question.type === 'multi';
    if (listed && !question.choices) ctx.addIssue({ code: 'custom', path: ['choices'], message: `is required for a "${question.type}" question` });
    if (!listed && question.choices) ctx.addIssue({ code: 'custom', path: ['choices'], message: `is only for "single" and "multi" questions` });
    if (question.choices) uniqueCodes(question.choices.map((c) => c.value), ctx, (i) => ['choices', i, 'value'], 'value');
  });

const programCategoryListSchema = z
  .array(
    z
      .object({
        code: kebabCase,
        name: text,
        description: text,
        defaultTargetDays: targetDays,
        defaultKeywords: keywordList.default([]),
        defaultQuestions: z
          .array(questionSchema)
          .max(QUESTIONS_PER_CATEGORY_MAX, `must list at most ${QUESTIONS_PER_CATEGORY_MAX} questions`)
          .superRefine((questions, ctx) => uniqueCodes(codesOf(questions), ctx, (i) => [i, 'code'])),
      })
      .strict(),
  )
  .min(1, 'must list at least one program category')
  .superRefine((categories, ctx) => {
    uniqueCodes(codesOf(categories), ctx, (i) => [i, 'code']);
    if (!categories.some((c) => c.code === 'other')) ctx.addIssue({ code: 'custom', message: 'must list the program category "other"' });
  });

const townSchema = z
  .object({
    name: text,
    slug: kebabCase,
    type: z.enum(['city', 'town']),
    county: z.enum(MA_COUNTIES),
    massgisTownId: z.number().int('must be a whole number').min(1, 'must be 1 to 351').max(351, 'must be 1 to 351'),
    geoid: z.string().regex(/^25\d{8}$/, 'must be a 10-digit Massachusetts Census GEOID (25 + 8 digits)'),
    trackingCode: z.string().regex(/^[A-Z]{2,4}$/, 'must be 2-4 uppercase letters'),
    timezone: z.string().refine(isKnownTimeZone, 'must be an IANA time zone known to Intl, e.g. America/New_York'),
    contact: z
      .object({
        phone: text.nullable(),
        email: z.string().email('must be an email address').nullable(),
        website: z
          .string()
          .url('must be a URL')
          .refine((url) => /^https?:\/\//.test(url), 'must be an http(s) URL')
          .nullable(),
      })
      .strict(),
    accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb color'),
    cohort: text,
    source: text,
    grant: z
      .object({ start: isoDate, end: isoDate.nullable() })
      .strict()
      .refine((grant) => grant.end === null || grant.end > grant.start, {
        path: ['end'],
        message: 'must be after grant.start',
      }),
    grantNote: text.optional(),
    onboarding: z.literal(true).optional(),
    categories: categoryListSchema.nullable(),
  })
  .strict();

const position = z
  .tuple([z.number(), z.number()])
  .rest(z.number())
  .superRefine(([longitude, latitude], ctx) => {
    if (longitude < MA_LONGITUDE.min || longitude > MA_LONGITUDE.max) {
      ctx.addIssue({
        code: 'custom',
        message: `longitude ${longitude} is outside Massachusetts (${MA_LONGITUDE.min} to ${MA_LONGITUDE.max})`,
      });
    }
    if (latitude < MA_LATITUDE.min || latitude > MA_LATITUDE.max) {
      ctx.addIssue({
        code: 'custom',
        message: `latitude ${latitude} is outside Massachusetts (${MA_LATITUDE.min} to ${MA_LATITUDE.max})`,
      });
    }
  });

const linearRing = z
  .array(position)
  .min(4, 'a ring needs at least 4 positions')
  .refine(
    (ring) => ring[0]?.[0] === ring.at(-1)?.[0] && ring[0]?.[1] === ring.at(-1)?.[1],
    'ring is not closed: its last position must repeat its first',
  );

const polygonSchema = z.object({ type: z.literal('Polygon'), coordinates: z.array(linearRing).min(1) });
const multiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(linearRing).min(1)).min(1),
});

// A Feature or a bare geometry; other GeoJSON members (id, bbox, properties) are ignored.
const boundarySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Feature'), geometry: z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema]) }),
  polygonSchema,
  multiPolygonSchema,
]);

/** Reported issues per file; a file in the wrong coordinate system would otherwise list thousands. */
const MAX_REPORTED_ISSUES = 5;

const issueMessages: z.ZodErrorMap = (issue, ctx) =>
  issue.code === 'invalid_type' && issue.received === 'undefined'
    ? { message: 'is required' }
    : issue.code === 'invalid_type'
      ? { message: `must be of type ${issue.expected}, not ${issue.received}` }
      : { message: ctx.defaultError };

function fieldName(fieldPath: (string | number)[]): string {
  return fieldPath.reduce<string>(
    (name, part) => (typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${part}` : part),
    '',
  );
}

function describeIssue(issue: z.ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `field "${fieldName([...issue.path, key])}": is not a known field`);
  }
  return [issue.path.length ? `field "${fieldName(issue.path)}": ${issue.message}` : issue.message];
}

function validate<T extends z.ZodTypeAny>(schema: T, data: unknown, file: string): z.output<T> {
  const result = schema.safeParse(data, { errorMap: issueMessages });
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap(describeIssue);
  const unreported = problems.length - MAX_REPORTED_ISSUES;
  throw new RegistryError(
    file,
    problems.slice(0, MAX_REPORTED_ISSUES).join('; ') + (unreported > 0 ? `; and ${unreported} more` : ''),
  );
}

async function readJsonFile(absolutePath: string, file: string): Promise<unknown> {
  let content: string;
  try {
    content = await readFile(absolutePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RegistryError(file, 'file is missing');
    throw error;
  }
  try {
    return JSON.parse(content);
  } catch (error) {
    throw new RegistryError(file, `invalid JSON: ${(error as Error).message}`);
  }
}

/** The categories every town starts with unless its town.json lists its own. */
export async function loadDefaultCategories(rootDir = 'tenants'): Promise<RegistryCategory[]> {
  const file = path.posix.join(path.basename(path.resolve(rootDir)), '_defaults', 'categories.json');
  return validate(categoryListSchema, await readJsonFile(path.resolve(rootDir, '_defaults', 'categories.json'), file), file);
}

/**
 * Loads and validates the program's categories and every town folder under `rootDir` (folders
 * starting with `_` hold shared data, not towns). Throws a RegistryError for the first file with a
 * problem.
 */
export async function loadTownRegistry(rootDir = 'tenants'): Promise<TownRegistry> {
  const root = path.resolve(rootDir);
  const registryFile = (...parts: string[]) => path.posix.join(path.basename(root), ...parts);
  const load = async (...parts: string[]) => readJsonFile(path.join(root, ...parts), registryFile(...parts));

  const programFile = registryFile('_program', 'categories.json');
  const programCategories = validate(programCategoryListSchema, await load('_program', 'categories.json'), programFile);
  const programCodes = new Set(codesOf(programCategories));
  /** A category must count as a program category the program lists; the message names both files. */
  const checkProgramCategories = (categories: RegistryCategory[], file: string, field: string) => {
    const index = categories.findIndex((c) => !programCodes.has(c.programCategory));
    if (index === -1) return;
    const { code, programCategory } = categories[index]!;
    throw new RegistryError(file, `field "${field}[${index}].programCategory": category "${code}" maps to "${programCategory}", which ${programFile} does not list`);
  };

  const defaultsFile = registryFile('_defaults', 'categories.json');
  const defaultCategories = validate(categoryListSchema, await load('_defaults', 'categories.json'), defaultsFile);
  checkProgramCategories(defaultCategories, defaultsFile, '');

  const folders = (await readdir(root, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_') && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();

  const towns: TownRegistryEntry[] = [];
  for (const folder of folders) {
    const townFile = registryFile(folder, 'town.json');
    const town = validate(townSchema, await load(folder, 'town.json'), townFile);
    if (town.slug !== folder) {
      throw new RegistryError(townFile, `field "slug": "${town.slug}" must equal the folder name "${folder}"`);
    }
    if (town.categories) checkProgramCategories(town.categories, townFile, 'categories');
    const boundaryFile = registryFile(folder, 'boundary.geojson');
    const boundary = validate(boundarySchema, await load(folder, 'boundary.geojson'), boundaryFile);

    towns.push({
      ...town,
      grant: { start: town.grant.start, end: grantEndDate(town.grant.start, town.grant.end) },
      categories: town.categories ?? defaultCategories,
      boundary: boundary.type === 'Feature' ? boundary.geometry : boundary,
    });
  }

  // Slugs are unique already: each equals its folder name.
  for (const field of ['trackingCode', 'massgisTownId', 'geoid'] as const) {
    const slugByValue = new Map<string | number, string>();
    for (const town of towns) {
      const other = slugByValue.get(town[field]);
      if (other !== undefined) {
        throw new RegistryError(
          registryFile(town.slug, 'town.json'),
          `field "${field}": ${JSON.stringify(town[field])} is also used by ${registryFile(other, 'town.json')}`,
        );
      }
      slugByValue.set(town[field], town.slug);
    }
  }
  return { programCategories, towns };
}
