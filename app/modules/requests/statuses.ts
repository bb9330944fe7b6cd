import type { RequestStatus } from '#db/vocabulary';

export const OPEN_STATUSES = ['submitted', 'acknowledged', 'in_progress'] as const satisfies readonly RequestStatus[];
export const CLOSED_STATUSES = ['fixed', 'not_fixed', 'duplicate', 'referred'] as const satisfies readonly RequestStatus[];

export const STATUS_LABEL: Record<RequestStatus, string> = {
  submitted: 'Submitted',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  fixed: 'Fixed',
  not_fixed: 'Closed, not fixed',
  duplicate: 'Closed as duplicate',
  referred: 'Referred elsewhere',
  withdrawn: 'Withdrawn',
};

/** Who may move a request where. Closed requests can be reopened by staff; withdrawn is final. */
const STAFF_TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  submitted: ['acknowledged', 'in_progress', 'fixed', 'not_fixed', 'duplicate', 'referred'],
  acknowledged: ['in_progress', 'fixed', 'not_fixed', 'duplicate', 'referred'],
  in_progress: ['acknowledged', 'fixed', 'not_fixed', 'duplicate', 'referred'],
  fixed: ['in_progress'],
  not_fixed: ['in_progress'],
  duplicate: ['in_progress'],
  referred: ['in_progress'],
  withdrawn: [],
};

export type StatusActor = 'staff' | 'reporter';

export function isOpenStatus(status: RequestStatus): boolean {
  return (OPEN_STATUSES as readonly RequestStatus[]).includes(status);
}

export function isClosedStatus(status: RequestStatus): boolean {
  return (CLOSED_STATUSES as readonly RequestStatus[]).includes(status);
}

/** The reporter may only withdraw, and only before the town has acknowledged the request. */
export function canTransition(from: RequestStatus, to: RequestStatus, actor: StatusActor): boolean {
  if (actor === 'reporter') return from === 'submitted' && to === 'withdrawn';
  return STAFF_TRANSITIONS[from].includes(to);
}

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: RequestStatus,
    readonly to: RequestStatus,
  ) {
    super(`A request that is "${STATUS_LABEL[from]}" cannot become "${STATUS_LABEL[to]}".`);
  }
}

/** Closing needs a reason the resident can read; a duplicate needs its original, a referral its target. */
export function closingRequirement(to: RequestStatus): 'reason' | 'original' | 'referral' | null {
  if (to === 'not_fixed') return 'reason';
  if (to === 'duplicate') return 'original';
  if (to === 'referred') return 'referral';
  return null;
}
