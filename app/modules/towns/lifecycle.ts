import type { SubscriptionFact } from '#db/vocabulary';
import { addDays, dayIn, daysBetween } from '~/utils/calendar-day';

/**
 * Where a town stands in the program, derived from stored facts (docs/decisions/0018 and 0019) and
 * never stored itself, so no one can forget to flip it: the grant term, the subscriptions that pay
 * for the service after it, going live and leaving.
 */
export type TownLifecycleState = 'onboarding' | 'in_grant' | 'grant_ending' | 'subscribed' | 'grace' | 'lapsed' | 'left';
export const TOWN_LIFECYCLE_STATES: readonly TownLifecycleState[] = ['onboarding', 'in_grant', 'grant_ending', 'subscribed', 'grace', 'lapsed', 'left'];

/** Days after the paid service ends during which everything still works (BILLING_GRACE_DAYS). */
export const GRACE_DAYS = 60;
/** Reminders go out this many days before the grant ends; the first starts the `grant_ending` state. */
export const ENDING_REMINDER_DAYS = [180, 90, 30, 7] as const;
export const ENDING_SOON_DAYS = ENDING_REMINDER_DAYS[0];

/**
 * Stripe statuses under which a subscription pays for its current period: `past_due` is Stripe
 * still retrying the renewal, which keeps the service running until its retries end.
 */
const PAYING_STRIPE_STATUSES = new Set(['active', 'trialing', 'past_due']);

export type TownLifecycleFacts = {
  timezone: string;
  /** YYYY-MM-DD; the term covers the days before `grantEnd`. */
  grantStart: string;
  grantEnd: string;
  /** null while onboarding. */
  liveSince: Date | string | null;
  leftProgramAt: Date | string | null;
  subscriptions: readonly SubscriptionFact[];
};

export type TownLifecycle = {
  state: TownLifecycleState;
  /** Whole days until `until`, in the town's calendar; null where nothing is coming. */
  daysLeft: number | null;
  /**
   * YYYY-MM-DD: the day the grant ends (in grant), the paid period ends or renews (subscribed), the
   * service stops (grace) or stopped (lapsed).
   */
  until: string | null;
  /** The day the paid service ended, for grace and lapsed: what their notices are about. */
  serviceEnded: string | null;
  /** Subscribed by card with no cancellation pending: Stripe renews it, so no reminder is due. */
  renews: boolean;
};

/** The instants a subscription pays for, or null when it never did (a checkout still pending, a first payment that failed). */
export function subscriptionCoverage(s: SubscriptionFact): { from: number; until: number } | null {
  const from = new Date(s.periodStart).getTime();
  const periodEnd = new Date(s.periodEnd).getTime();
  const until = s.endedAt !== null ? Math.min(new Date(s.endedAt).getTime(), periodEnd) : s.source === 'purchase_order' || PAYING_STRIPE_STATUSES.has(s.status) ? periodEnd : from;
  // Stopped before it began (an order voided before its period): it paid for nothing, so it ends no service either.
  return until > from ? { from, until } : null;
}

const nothingComing = { daysLeft: null, until: null, serviceEnded: null, renews: false };

/** The town's state on the day `now` falls on in the town's own time zone. */
export function townLifecycle(facts: TownLifecycleFacts, now: Date = new Date(), { graceDays = GRACE_DAYS } = {}): TownLifecycle {
  if (facts.leftProgramAt !== null && new Date(facts.leftProgramAt) <= now) return { state: 'left', ...nothingComing };
  if (facts.liveSince === null || new Date(facts.liveSince) > now) return { state: 'onboarding', ...nothingComing };
  const today = dayIn(now, facts.timezone);
  const at = now.getTime();
  const covered = facts.subscriptions.flatMap((s) => {
    const coverage = subscriptionCoverage(s);
    return coverage ? [{ ...coverage, renews: s.source === 'stripe' && s.endedAt === null && s.status !== 'past_due' }] : [];
  });
  const paying = covered.filter((c) => c.from <= at && at < c.until).sort((a, b) => b.until - a.until)[0];
  if (paying) {
    const until = dayIn(new Date(paying.until), facts.timezone);
    return { state: 'subscribed', daysLeft: daysBetween(today, until), until, serviceEnded: null, renews: paying.renews };
  }
  const grantDaysLeft = daysBetween(today, facts.grantEnd);
  if (grantDaysLeft > 0) {
    return { state: grantDaysLeft > ENDING_SOON_DAYS ? 'in_grant' : 'grant_ending', daysLeft: grantDaysLeft, until: facts.grantEnd, serviceEnded: null, renews: false };
  }
  // The service last paid for ended with the grant or with the latest subscription that has ended since.
  const serviceEnded = covered
    .filter((c) => c.until <= at)
    .map((c) => dayIn(new Date(c.until), facts.timezone))
    .reduce((latest, day) => (day > latest ? day : latest), facts.grantEnd);
  const stops = addDays(serviceEnded, graceDays);
  const daysLeft = daysBetween(today, stops);
  if (daysLeft > 0) return { state: 'grace', daysLeft, until: stops, serviceEnded, renews: false };
  return { state: 'lapsed', daysLeft: null, until: stops, serviceEnded, renews: false };
}

export type ReportIntake = { open: true } | { open: false; reason: 'onboarding' | 'left' | 'lapsed' };

/**
 * Whether the town takes new reports. Onboarding towns take them only from their own team (the
 * checklist's test request); a lapsed town, or one that left the program, takes none and keeps
 * every page public.
 */
export function reportIntake(facts: TownLifecycleFacts, now: Date = new Date(), options?: { graceDays?: number }): ReportIntake {
  const { state } = townLifecycle(facts, now, options);
  if (state === 'onboarding' || state === 'left' || state === 'lapsed') return { open: false, reason: state };
  return { open: true };
}
