import { requestT } from '~/i18n/i18n.server';
import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { REQUEST_PRIORITIES } from '#db/vocabulary';
import { CLOSED_STATUSES } from '~/modules/requests/statuses';
import { BULK_FAILURES_SHOWN, encodeBulkFailure } from '~/modules/staff/bulk-outcome';
import { listMatchingTrackingNumbers, parseQueueFilters } from '~/modules/staff/queue.server';
import { BULK_MAX, BULK_OPERATIONS, bulkUpdate } from '~/modules/staff/request-work.server';
import { formText } from '~/utils/control-characters';
import { staffWorkOpen } from '~/modules/towns/town-lifecycle.server';
import { requireTownRole, safeRedirectPath } from '~/utils/permissions.server';
import { townLinks } from '~/utils/town.server';

const bulkForm = z.object({
  operation: z.enum(BULK_OPERATIONS),
  /** The ticked requests, every request of the page, or every request the view matches. */
  scope: z.enum(['ticked', 'page', 'matching']).catch('ticked'),
  /** The queue view's query, for `matching`. */
  query: formText().max(2000).default(''),
  departmentId: formText().optional(),
  assigneeUserId: formText().optional(),
  closeStatus: z.enum(CLOSED_STATUSES).optional().catch(undefined),
  reason: formText({ multiline: true }).optional(),
  message: formText({ multiline: true }).optional(),
  categoryCode: formText().max(80).optional(),
  priority: z.enum(REQUEST_PRIORITIES).optional().catch(undefined),
  trackingNumbers: z.array(formText()),
  pageNumbers: z.array(formText()),
});

/** Back to the queue view the staff member came from; never anywhere outside the staff console. */
function returnPath(value: FormDataEntryValue | null): string {
  const path = safeRedirectPath(value, '/staff');
  return /^\/staff(?:[/?#]|$)/.test(path) ? path : '/staff';
}

/**
 * One single-request action (request-work.server.ts) on the ticked requests, the page's or every
 * request the view matches, then back to the queue with `bulk=<succeeded>,<failed>` and each
 * failure's tracking number and cause, so it can say how it went. There is no page of its own.
 */
export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const staff = await requireTownRole(args, 'staff');
  if (!staffWorkOpen(staff.town)) throw new Response((await requestT(request))('errors:serviceLapsed', { name: staff.town.name }), { status: 403 });
  const form = await request.formData();
  const target = new URL(returnPath(form.get('returnTo')), 'http://staff.invalid');
  const lists = { trackingNumbers: form.getAll('trackingNumbers').map(String), pageNumbers: form.getAll('pageNumbers').map(String) };
  const singles = Object.fromEntries([...form].filter(([k]) => !(k in lists)));
  const parsed = bulkForm.safeParse({ ...singles, ...lists });
  let succeeded = 0;
  let failed = lists.trackingNumbers.length;
  let failures: string[] = [];
  if (parsed.success) {
    const { operation, scope, query, closeStatus, reason, departmentId, assigneeUserId, message, categoryCode, priority } = parsed.data;
    const chosen =
      scope === 'matching'
        ? await listMatchingTrackingNumbers(staff, parseQueueFilters(new URLSearchParams(query)), BULK_MAX)
        : scope === 'page'
          ? parsed.data.pageNumbers
          : parsed.data.trackingNumbers;
    // The queue has one text box for closing: why (not fixed) or to whom (referred).
    const closing = closeStatus === 'referred' ? { closeStatus, referredTo: reason } : { closeStatus, reason };
    const result = await bulkUpdate(staff, chosen, operation, { ...closing, departmentId, assigneeUserId, message, categoryCode, priority }, townLinks(staff.town.slug));
    succeeded = result.succeeded.length;
    failed = result.failed.length;
    failures = result.failed.map((f) => encodeBulkFailure(f.trackingNumber, f.error));
  }
  target.searchParams.set('bulk', `${succeeded},${failed}`);
  target.searchParams.delete('bulkFailed');
  target.searchParams.delete('bulkCategory');
  // A failure can name the category the requests were to move to; the queue looks its name up by code.
  if (parsed.success && parsed.data.operation === 'recategorise' && parsed.data.categoryCode) target.searchParams.set('bulkCategory', parsed.data.categoryCode);
  for (const failure of failures.slice(0, BULK_FAILURES_SHOWN)) target.searchParams.append('bulkFailed', failure);
  return redirect(target.pathname + target.search);
}
