import { dateTimeFormat } from '~/utils/date-format';
import { ENDING_SOON_DAYS } from './grant-term';

/**
 * Where a town stands in the program, derived from stored facts (docs/decisions/0018) and never
 * stored itself, so no one can forget to flip it. `subscribed` arrives with billing; until then a
 * term that has run out is in grace, then lapsed.
 */
export type TownLifecycleState = 'onboarding' | 'in_grant' | 'grant_ending' | 'grace' | 'lapsed' | 'left';
export const TOWN_LIFECYCLE_STATES: readonly TownLifecycleState[] = ['onboarding', 'in_grant', 'grant_ending', 'grace', 'lapsed', 'left'];

/** Days after the grant's end during which everything still works. */
export const GRACE_DAYS = 60;

export type TownLifecycleFacts = {
  timezone: string;
  /** YYYY-MM-DD; the term covers the days before `grantEnd`. */
  grantStart: string;
  grantEnd: string;
  /** null while onboarding. */
  liveSince: Date | string | null;
  leftProgramAt: Date | string | null;
};

export type TownLifecycle = { state: TownLifecycleState; daysLeft: number | null };

const DAY_MS = 86_400_000;

/** The calendar day `now` falls on in `timeZone`, as YYYY-MM-DD. */
export function localDate(now: Date, timeZone: string): string {
  return dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/** The town's state on the day `now` falls on in the town's own time zone. */
export function townLifecycle(facts: TownLifecycleFacts, now: Date = new Date()): TownLifecycle {
  if (facts.leftProgramAt !== null && new Date(facts.leftProgramAt) <= now) return { state: 'left', daysLeft: null };
  if (facts.liveSince === null || new Date(facts.liveSince) > now) return { state: 'onboarding', daysLeft: null };
  const today = localDate(now, facts.timezone);
  const daysLeft = daysBetween(today, facts.grantEnd);
  if (daysLeft > ENDING_SOON_DAYS) return { state: 'in_grant', daysLeft };
  if (daysLeft > 0) return { state: 'grant_ending', daysLeft };
  if (-daysLeft < GRACE_DAYS) return { state: 'grace', daysLeft: GRACE_DAYS + daysLeft };
  return { state: 'lapsed', daysLeft: null };
}

export type ReportIntake = { open: true } | { open: false; reason: 'onboarding' | 'left' };

/**
 * Whether the town takes new reports. Onboarding towns take them only from their own team (the
 * checklist's test request); a town that left the program takes none, and keeps every page.
 * Lapse rules belong to the grant-term work and are not enforced here yet.
 */
export function reportIntake(facts: TownLifecycleFacts, now: Date = new Date()): ReportIntake {
  const { state } = townLifecycle(facts, now);
  if (state === 'onboarding' || state === 'left') return { open: false, reason: state };
  return { open: true };
}
