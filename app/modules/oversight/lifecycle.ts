import { grantTermStatus, type GrantTermStatus } from '~/modules/towns/grant-term';

/**
 * Where a town stands in the program, as the console shows and filters it. Today that is its grant
 * term; the town lifecycle (onboarding, in grant, ending, grace, lapsed, subscribed) replaces it here
 * in one line when it lands, with CONSOLE_LIFECYCLES and the `grantStatus` wording beside it.
 */
export type ConsoleLifecycle = GrantTermStatus;

export const CONSOLE_LIFECYCLES: readonly ConsoleLifecycle[] = ['not_started', 'active', 'ending_soon', 'ended'];

export function townLifecycleForConsole(town: { grantStart: string; grantEnd: string }, today: Date): ConsoleLifecycle {
  return grantTermStatus(town.grantStart, town.grantEnd, today).status;
}
