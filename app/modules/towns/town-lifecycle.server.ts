import { getEnv } from '~/utils/env.server';
import { reportIntake, townLifecycle, type ReportIntake, type TownLifecycle, type TownLifecycleFacts } from './lifecycle';

/** The town's lifecycle with the program's configured grace period (BILLING_GRACE_DAYS). */
export function lifecycleOf(facts: TownLifecycleFacts, now: Date = new Date()): TownLifecycle {
  return townLifecycle(facts, now, { graceDays: getEnv().BILLING_GRACE_DAYS });
}

export function intakeOf(facts: TownLifecycleFacts, now: Date = new Date()): ReportIntake {
  return reportIntake(facts, now, { graceDays: getEnv().BILLING_GRACE_DAYS });
}

/** Whether the town's staff may change requests: not once the service has lapsed, when they keep read access and the export only. */
export function staffWorkOpen(facts: TownLifecycleFacts, now: Date = new Date()): boolean {
  return lifecycleOf(facts, now).state !== 'lapsed';
}
