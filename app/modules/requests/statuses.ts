import type { RequestPriority, RequestStatus } from '#db/vocabulary';

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

/** For the timeline's stored messages and the audit log, like STATUS_LABEL; pages word priorities through `requestPriority.*`. */
export const PRIORITY_LABEL: Record<RequestPriority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

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

/** `follower`: anyone asked "is it fixed?" about the request (the reporter among them). */
export type StatusActor = 'staff' | 'reporter' | 'follower';

/** Where a resident's reopen puts a request: back in the town's open queue, as a staff reopen does. */
export const REOPENED_STATUS = 'in_progress' satisfies RequestStatus;

/** Days after the town closes a request during which a resident may reopen it. */
export const REOPEN_WINDOW_DAYS = 30;

/** The end of the reopen window of a request closed at `closedAt`. */
export function reopenWindowEnd(closedAt: Date): Date {
  return new Date(closedAt.getTime() + REOPEN_WINDOW_DAYS * 86_400_000);
}

/** Closes a resident may undo: the town's own verdicts, not a duplicate or a referral (the work is elsewhere). */
const RESIDENT_REOPENABLE: Record<Exclude<StatusActor, 'staff'>, readonly RequestStatus[]> = { reporter: ['fixed', 'not_fixed'], follower: ['fixed'] };

export function isOpenStatus(status: RequestStatus): boolean {
  return (OPEN_STATUSES as readonly RequestStatus[]).includes(status);
}

export function isClosedStatus(status: RequestStatus): boolean {
  return (CLOSED_STATUSES as readonly RequestStatus[]).includes(status);
}

/**
 * The reporter may withdraw before the town has acknowledged the request, and reopen the town's
 * verdict; a follower may only answer "not fixed" to a fix. The reopen window is checked with the
 * close's time (`withinReopenWindow`).
 */
export function canTransition(from: RequestStatus, to: RequestStatus, actor: StatusActor): boolean {
  if (actor === 'staff') return STAFF_TRANSITIONS[from].includes(to);
  if (to === REOPENED_STATUS) return RESIDENT_REOPENABLE[actor].includes(from);
  return actor === 'reporter' && from === 'submitted' && to === 'withdrawn';
}

export function withinReopenWindow(closedAt: Date | null, now: Date): boolean {
  return closedAt !== null && now < reopenWindowEnd(closedAt);
}

/** What the reporter can do with their request now: the forms their page offers. */
export type ReporterOptions = { withdraw: boolean; comment: boolean; reopen: boolean; reopenUntil: Date | null };

export function reporterOptions(request: { status: RequestStatus; closedAt: Date | null }, now: Date): ReporterOptions {
  const reopen = canTransition(request.status, REOPENED_STATUS, 'reporter') && withinReopenWindow(request.closedAt, now);
  return {
    withdraw: canTransition(request.status, 'withdrawn', 'reporter'),
    comment: isOpenStatus(request.status),
    reopen,
    reopenUntil: reopen ? reopenWindowEnd(request.closedAt!) : null,
  };
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
