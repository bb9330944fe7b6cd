import { and, eq } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { open311UpdateReceipts } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import type { RequestStatus } from '#db/vocabulary';
import { recordAudit } from '~/modules/audit/audit.server';
import { applyStatusChange, findRequest, postPublicReply, type RequestLinks, type StatusChangeResult } from '~/modules/requests/request-updates.server';
import { isOpenStatus } from '~/modules/requests/statuses';
import { w3cInstant } from './requests.server';

/**
 * The states a back office may report (mySociety's extended states): what each does to the request.
 * `note` keeps the status and adds the description as a public update; the others change it, and
 * those closing without a fix take the description as their reason or referral.
 */
const STATUS_EFFECT = {
  OPEN: 'reopen_or_note',
  INVESTIGATING: 'in_progress',
  IN_PROGRESS: 'in_progress',
  ACTION_SCHEDULED: 'in_progress',
  FIXED: 'fixed',
  CLOSED: 'fixed',
  NO_FURTHER_ACTION: 'not_fixed',
  NOT_COUNCILS_RESPONSIBILITY: 'referred',
  INTERNAL_REFERRAL: 'referred',
} as const satisfies Record<string, RequestStatus | 'reopen_or_note'>;
export const OPEN311_UPDATE_STATUSES = Object.keys(STATUS_EFFECT) as (keyof typeof STATUS_EFFECT)[];
type UpdateStatus = keyof typeof STATUS_EFFECT;

const UPDATE_ID_MAX = 100;
const DESCRIPTION_MAX = 4000;

export type Open311UpdateRefusal =
  | { kind: 'invalid_parameter'; parameter: string }
  | { kind: 'missing_parameter'; parameter: string }
  | { kind: 'unknown_request'; id: string }
  | { kind: 'not_allowed'; id: string; from: RequestStatus; to: RequestStatus };

export type Open311UpdateResult = { kind: 'applied' | 'already_applied'; updateId: string } | { kind: 'refused'; refusal: Open311UpdateRefusal };

type ParsedUpdate = { trackingNumber: string; updateId: string; status: UpdateStatus; description: string | null; reportedAt: Date | null };

function parseUpdate(parameters: URLSearchParams): { ok: true; update: ParsedUpdate } | { ok: false; refusal: Open311UpdateRefusal } {
  const text = (name: string) => parameters.get(name)?.trim() || null;
  const missing = (parameter: string) => ({ ok: false as const, refusal: { kind: 'missing_parameter' as const, parameter } });
  const invalid = (parameter: string) => ({ ok: false as const, refusal: { kind: 'invalid_parameter' as const, parameter } });
  const trackingNumber = text('service_request_id');
  if (!trackingNumber) return missing('service_request_id');
  const updateId = text('update_id');
  if (!updateId) return missing('update_id');
  if (updateId.length > UPDATE_ID_MAX) return invalid('update_id');
  const statusText = text('status')?.toUpperCase();
  if (!statusText) return missing('status');
  if (!(statusText in STATUS_EFFECT)) return invalid('status');
  const description = text('description');
  if (description && description.length > DESCRIPTION_MAX) return invalid('description');
  const reportedText = text('updated_datetime');
  const reportedAt = reportedText ? w3cInstant(reportedText) : null;
  if (reportedText && !reportedAt) return invalid('updated_datetime');
  const status = statusText as UpdateStatus;
  const effect = STATUS_EFFECT[status];
  // Closing without a fix needs its reason or where it went, and a note needs words.
  if ((effect === 'not_fixed' || effect === 'referred') && !description) return missing('description');
  return { ok: true, update: { trackingNumber: trackingNumber.toUpperCase(), updateId, status, description, reportedAt } };
}

/** Thrown inside the transaction so that a refused update leaves no receipt behind. */
class RefusedUpdate extends Error {
  constructor(readonly refusal: Open311UpdateRefusal) {
    super(refusal.kind);
  }
}

/** `current`: the request's status, read in this transaction. */
async function applyEffect(tx: Tx, townId: number, update: ParsedUpdate, current: RequestStatus, links: RequestLinks): Promise<void> {
  const effect = STATUS_EFFECT[update.status];
  const target: RequestStatus | null = effect === 'reopen_or_note' ? (isOpenStatus(current) ? null : 'in_progress') : effect === current ? null : effect;
  const usesDescription = target === 'not_fixed' || target === 'referred';
  if (target) {
    const author = { kind: 'staff' as const, userId: null };
    const change = { to: target, author, reason: target === 'not_fixed' ? update.description : null, referredTo: target === 'referred' ? update.description : null };
    const result: StatusChangeResult = await applyStatusChange(tx, townId, update.trackingNumber, change, links);
    if (!result.ok) throw new RefusedUpdate({ kind: 'not_allowed', id: update.trackingNumber, from: current, to: target });
  }
  if (update.description && !usesDescription) {
    await postPublicReply(tx, update.trackingNumber, update.description, null, links);
  }
}

/**
 * mySociety's `POST servicerequestupdates`: a town's back office reports a status change or a note
 * on a request, with its own update_id. Applied once per key and update_id: a retry answers with the
 * first answer's id and changes nothing. Audited under the key's name.
 */
export async function applyOpen311Update(
  town: { id: number },
  apiKey: { id: string; name: string },
  parameters: URLSearchParams,
  links: RequestLinks,
): Promise<Open311UpdateResult> {
  const parsed = parseUpdate(parameters);
  if (!parsed.ok) return { kind: 'refused', refusal: parsed.refusal };
  const { update } = parsed;
  try {
    return await withTown(town.id, async (tx) => {
      const found = await findRequest(tx, update.trackingNumber);
      if (!found || found.request.status === 'withdrawn') throw new RefusedUpdate({ kind: 'unknown_request', id: update.trackingNumber });
      const id = uuidv7();
      const [receipt] = await tx
        .insert(open311UpdateReceipts)
        .values({ townId: town.id, apiKeyId: apiKey.id, updateId: update.updateId, id, requestId: found.request.id, status: update.status, reportedAt: update.reportedAt })
        .onConflictDoNothing()
        .returning({ id: open311UpdateReceipts.id });
      if (!receipt) {
        const [earlier] = await tx
          .select({ id: open311UpdateReceipts.id })
          .from(open311UpdateReceipts)
          .where(and(eq(open311UpdateReceipts.apiKeyId, apiKey.id), eq(open311UpdateReceipts.updateId, update.updateId)));
        return { kind: 'already_applied' as const, updateId: earlier!.id };
      }
      await applyEffect(tx, town.id, update, found.request.status, links);
      await recordAudit(tx, town.id, {
        actorUserId: null,
        action: 'open311.update_applied',
        entityType: 'request',
        entityId: update.trackingNumber,
        after: { apiKey: apiKey.name, updateId: update.updateId, status: update.status, description: update.description },
      });
      return { kind: 'applied' as const, updateId: id };
    });
  } catch (error) {
    if (error instanceof RefusedUpdate) return { kind: 'refused', refusal: error.refusal };
    throw error;
  }
}
