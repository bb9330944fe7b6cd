/**
 * The words the database and the interface share: every enum-like column's values and the shape of
 * a category's questions. Plain TypeScript with no imports, so the browser bundle can use them
 * without pulling in drizzle or the table definitions (scripts/check-client-bundle.ts checks).
 */

export const REQUEST_STATUSES = ['submitted', 'acknowledged', 'in_progress', 'fixed', 'not_fixed', 'duplicate', 'referred', 'withdrawn'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** How urgent staff judge a request to be, lowest first: stored as the position in this list, so the column sorts by urgency. */
export const REQUEST_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type RequestPriority = (typeof REQUEST_PRIORITIES)[number];

/** A request's timeline entries. */
export const REQUEST_EVENT_KINDS = [
  'submitted',
  'status_changed',
  'public_reply',
  'internal_note',
  'withdrawn',
  'transferred_in',
  'transferred_out',
  // The sending staff member's word to the receiving town's staff, on the receiving side only (staff-only).
  'transfer_note',
  'assigned',
  'recategorised',
  'relocated',
  // A resident reopened a closed request (the reporter, or a follower answering "is it fixed?").
  'reopened',
  // The reporter's comment (and perhaps a photo) on their open request: public, or for the town only.
  'resident_comment',
  // A follower answered "is it fixed?" with yes.
  'fixed_confirmed',
  // Its resolution target passed while open, and its assignee (or department, or the admins) was emailed.
  'overdue',
  // Staff changed how urgent the request is (staff only).
  'priority_changed',
] as const;

/**
 * How a request reached the town: the resident's own form (`web`), an API client (`open311`), or
 * town staff filing it for a caller from the staff console (the rest: `STAFF_INTAKE_CHANNELS`).
 */
export const REQUEST_CHANNELS = ['web', 'open311', 'phone', 'walk_in', 'email'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
export const STAFF_INTAKE_CHANNELS = ['phone', 'walk_in', 'email'] as const satisfies readonly RequestChannel[];
export type StaffIntakeChannel = (typeof STAFF_INTAKE_CHANNELS)[number];
export const isStaffIntakeChannel = (channel: string): channel is StaffIntakeChannel => (STAFF_INTAKE_CHANNELS as readonly string[]).includes(channel);

/** How a request's location was found; `address` alone means it is only approximate. */
export const LOCATION_SOURCES = ['map', 'device', 'address', 'geocoded', 'photo', 'coordinates'] as const;
export type LocationSource = (typeof LOCATION_SOURCES)[number];

export const TOWN_ROLES = ['staff', 'admin'] as const;
export type TownRole = (typeof TOWN_ROLES)[number];

export const TOWN_TYPES = ['city', 'town'] as const;
export type TownType = (typeof TOWN_TYPES)[number];

export const EMAIL_TOKEN_PURPOSES = ['verify_email', 'reset_password'] as const;

/**
 * Emailed links that act on one request without an account: the reporter's "manage this report",
 * a follow waiting for its confirmation click, an answer to "is it fixed?" (docs/decisions/0021).
 */
export const REQUEST_TOKEN_PURPOSES = ['manage', 'follow', 'fixed_check'] as const;
export type RequestTokenPurpose = (typeof REQUEST_TOKEN_PURPOSES)[number];

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;

export const QUESTION_TYPES = ['text', 'number', 'datetime', 'single', 'multi'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** One of a category's extra questions, stored as JSON on the category. */
export type CategoryQuestion = {
  code: string;
  label: string;
  type: QuestionType;
  required: boolean;
  /** Answers are for staff unless a question is explicitly public. */
  public: boolean;
  choices?: { value: string; label: string }[];
};

/** The registry's values of a category's fields that `npm run tenants:sync` keeps following (docs/decisions/0004). */
export type CategoryRegistrySnapshot = { keywords: string[] };

/**
 * What the daily request rollup counts for each request (docs/decisions/0017): `received` (every
 * request), `ack_hours` (acknowledged: whole hours, rounded up, as the value), `ack_late` (its
 * wait for acknowledgement is over and lasted past the second business day), `close_days`
 * (closed: business days to close as the value), `closed_on_time` (closed by its due time),
 * `open` and `unacked` (open now; open and not yet acknowledged).
 */
export const REQUEST_STAT_MEASURES = ['received', 'ack_hours', 'ack_late', 'close_days', 'closed_on_time', 'open', 'unacked'] as const;
export type RequestStatMeasure = (typeof REQUEST_STAT_MEASURES)[number];

/** The category id of the rollup's rows for all of a town's categories together (the nil UUID). */
export const ALL_CATEGORIES = '00000000-0000-0000-0000-000000000000';

/** What pays for a town's service after its grant: a card subscription through Stripe, or a purchase order. */
export const SUBSCRIPTION_SOURCES = ['stripe', 'purchase_order'] as const;
export type SubscriptionSource = (typeof SUBSCRIPTION_SOURCES)[number];

/** What a town's lifecycle needs to know of a subscription (app/modules/towns/lifecycle.ts). */
export type SubscriptionFact = {
  source: SubscriptionSource;
  status: string;
  periodStart: Date | string;
  periodEnd: Date | string;
  /** Stopped early: cancelled, unpaid after Stripe's retries, or a voided purchase order. */
  endedAt: Date | string | null;
};

/** Reminders before the paid service ends, and the announcements of grace and lapse. */
export const LIFECYCLE_NOTICE_KINDS = ['ending_180', 'ending_90', 'ending_30', 'ending_7', 'grace', 'lapsed'] as const;
export type LifecycleNoticeKind = (typeof LIFECYCLE_NOTICE_KINDS)[number];

/** What a town's Open311 API key may do: file service requests (POST requests), report a back office's updates (POST servicerequestupdates). */
export const API_KEY_SCOPES = ['requests.create', 'updates.create'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** What a town's webhook endpoint may subscribe to (docs/decisions/0024). */
export const WEBHOOK_EVENTS = ['request.created', 'request.status_changed', 'request.assigned', 'request.public_reply', 'request.transferred', 'request.overdue'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** One event to one endpoint: queued, delivered, given up after a day of retries, or skipped (endpoint disabled or deleted). */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
