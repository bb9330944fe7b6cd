import { z } from 'zod';
import { DEFAULT_PERIOD, formatPeriod, parsePeriod } from './kpi';
import { TOWN_LIFECYCLE_STATES, type TownLifecycleState } from '~/modules/towns/lifecycle';

/** The state console's query string (`?period=90d&category=pothole&sort=backlog&dir=desc`), shared by its page and its module. */

/** "Staff active in the last 30 days". */
export const ACTIVE_DAYS = 30;

/** The figures that are ranked (time and rate figures; counts measure a town's size, not its service). */
export const RANKED_FIGURES = ['backlog_age', 'ack', 'close', 'on_time', 'ack_late'] as const;
export type RankedFigure = (typeof RANKED_FIGURES)[number];

export const CONSOLE_SORTS = ['town', 'lifecycle', 'received30', 'received90', 'received365', 'backlog', 'long_overdue', ...RANKED_FIGURES, 'staff'] as const;
export type ConsoleSort = (typeof CONSOLE_SORTS)[number];

const optional = z
  .string()
  .trim()
  .max(200)
  .transform((v) => v || null)
  .nullable()
  .catch(null);

const consoleQuerySchema = z.object({
  period: z
    .string()
    .transform((v, ctx) => parsePeriod(v) ?? (ctx.addIssue({ code: 'custom' }), z.NEVER))
    .catch(() => parsePeriod(DEFAULT_PERIOD)!),
  category: optional,
  cohort: optional,
  county: optional,
  lifecycle: z.enum(TOWN_LIFECYCLE_STATES as [TownLifecycleState, ...TownLifecycleState[]]).nullable().catch(null),
  sort: z.enum(CONSOLE_SORTS).catch('town'),
  dir: z.enum(['asc', 'desc']).catch('asc'),
});

export type ConsoleQuery = z.infer<typeof consoleQuerySchema>;

/** The console's query string; anything unknown or malformed falls back to its default. */
export function parseConsoleQuery(params: URLSearchParams): ConsoleQuery {
  const value = (key: string) => params.get(key) ?? undefined;
  return consoleQuerySchema.parse({
    period: value('period'),
    category: value('category'),
    cohort: value('cohort'),
    county: value('county'),
    lifecycle: value('lifecycle'),
    sort: value('sort'),
    dir: value('dir'),
  });
}

/** The query string for `query` with `changes`, leaving out what is at its default. */
export function consoleSearch(query: ConsoleQuery, changes: Partial<ConsoleQuery> = {}): string {
  const next = { ...query, ...changes };
  const params = new URLSearchParams();
  const period = formatPeriod(next.period);
  if (period !== DEFAULT_PERIOD) params.set('period', period);
  for (const key of ['category', 'cohort', 'county', 'lifecycle'] as const) if (next[key]) params.set(key, next[key]);
  if (next.sort !== 'town') params.set('sort', next.sort);
  if (next.dir !== 'asc') params.set('dir', next.dir);
  const search = params.toString();
  return search ? `?${search}` : '';
}
