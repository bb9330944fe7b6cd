import { getEnv } from '~/utils/env.server';
import { reportIntake, townLifecycle, type ReportIntake, type TownLifecycle, type TownLifecycleFacts } from './lifecycle';

/** The town's lifecycle with the program's configured grace period (BILLING_GRACE_DAYS). */
export function lifecycleOf(facts: TownLifecycleFacts, now: Date = new Date()): TownLifecycle {
  return townLifecycle(facts, now, { graceDays: getEnv().BILLING_GRACE_DAYS });
}

export function intakeOf(facts: TownLifecycleFacts, now: Date = new Date()): ReportIntake {
  return reportIntake(facts, now, { graceDays: getEnv().BILLING_GRACE_DAYS });
}
