import type { LoaderFunctionArgs } from '@remix-run/node';
import { exportQueueCsv } from '~/modules/staff/queue-export.server';
import { parseQueueFilters } from '~/modules/staff/queue.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTownRole } from '~/utils/permissions.server';

/** The queue with the same filters as the page, streamed: rows are read in batches as the download proceeds. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const staff = await requireTownRole(args, 'staff');
  const { town } = staff;
  // Checked before the first byte: once the 200 has gone out, a refusal can only cut the download.
  const filters = parseQueueFilters(searchParamsOf(request));
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: town.timezone }).format(new Date());
  return new Response(exportQueueCsv(staff, filters), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${town.slug}-requests-${today}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
