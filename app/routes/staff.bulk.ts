import { requestT } from '~/i18n/i18n.server';
import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { CLOSED_STATUSES } from '~/modules/requests/statuses';
import { BULK_OPERATIONS, bulkUpdate } from '~/modules/staff/request-work.server';
import { formText } from '~/utils/control-characters';
import { staffWorkOpen } from '~/modules/towns/town-lifecycle.server';
import { requireTownRole, safeRedirectPath } from '~/utils/permissions.server';
import { townLinks } from '~/utils/town.server';

const bulkForm = z.object({
  operation: z.enum(BULK_OPERATIONS),
  departmentId: formText().optional(),
  assigneeUserId: formText().optional(),
  closeStatus: z.enum(CLOSED_STATUSES).optional().catch(undefined),
  reason: formText({ multiline: true }).optional(),
  trackingNumbers: z.array(formText()),
});

/** Back to the queue view the staff member came from; never anywhere outside the staff console. */
function returnPath(value: FormDataEntryValue | null): string {
  const path = safeRedirectPath(value, '/staff');
  return /^\/staff(?:[/?#]|$)/.test(path) ? path : '/staff';
}

/**
 * Acknowledge, assign or close the requests ticked in the queue, then back to the queue with
 * `bulk=<succeeded>,<failed>` and the failed tracking numbers, so it can say how it went.
 * There is no page of its own.
 */
export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const staff = await requireTownRole(args, 'staff');
  if (!staffWorkOpen(staff.town)) throw new Response((await requestT(request))('errors:serviceLapsed', { name: staff.town.name }), { status: 403 });
  const form = await request.formData();
  const trackingNumbers = form.getAll('trackingNumbers').map(String);
  const target = new URL(returnPath(form.get('returnTo')), 'http://staff.invalid');
  const parsed = bulkForm.safeParse({ ...Object.fromEntries([...form].filter(([k]) => k !== 'trackingNumbers')), trackingNumbers });
  let succeeded = 0;
  let failed = trackingNumbers.length;
  let failedNumbers: string[] = [];
  if (parsed.success) {
    const { operation, closeStatus, reason, departmentId, assigneeUserId } = parsed.data;
    // The queue has one text box for closing: why (not fixed) or to whom (referred).
    const params = closeStatus === 'referred' ? { closeStatus, referredTo: reason } : { closeStatus, reason, departmentId, assigneeUserId };
    const result = await bulkUpdate(staff, parsed.data.trackingNumbers, operation, params, townLinks(staff.town.slug));
    succeeded = result.succeeded.length;
    failed = result.failed.length;
    failedNumbers = result.failed.map((f) => f.trackingNumber);
  }
  target.searchParams.set('bulk', `${succeeded},${failed}`);
  // Only the numbers travel in the URL (never messages), so a crafted link cannot put words on the page.
  target.searchParams.delete('bulkFailed');
  for (const trackingNumber of failedNumbers.slice(0, 20)) target.searchParams.append('bulkFailed', trackingNumber);
  return redirect(target.pathname + target.search);
}
