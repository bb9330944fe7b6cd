import type { LoaderFunctionArgs } from '@remix-run/node';
import { loadProgramBilling, parseBillingQuery, programBillingCsv, rowsInLifecycle } from '~/modules/billing/program-billing.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite } from '~/utils/town.server';

/** Every town's billing as CSV, one line per town, with the page's lifecycle filter. */
export async function loader(args: LoaderFunctionArgs) {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const query = parseBillingQuery(searchParamsOf(args.request));
  const { today, rows } = await loadProgramBilling(stateStaff);
  return new Response(programBillingCsv(today, rowsInLifecycle(rows, query.lifecycle)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="commonwealth-connect-billing-${today}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
