import type { LoaderFunctionArgs } from '@remix-run/node';
import { loadProgramReport, parseReportQuarter, programReportCsv } from '~/modules/oversight/program-report.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite } from '~/utils/town.server';

/** The quarterly program report as CSV: one line per town and per town and program category. */
export async function loader(args: LoaderFunctionArgs) {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const quarter = parseReportQuarter(searchParamsOf(args.request));
  const report = await loadProgramReport(stateStaff, quarter);
  return new Response(programReportCsv(report), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="commonwealth-connect-${report.quarter}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
