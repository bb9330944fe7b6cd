import { z } from 'zod';
import { STAFF_INTAKE_CHANNELS } from '#db/vocabulary';
import type { ReportErrors } from '~/modules/requests/report-errors';
import type { NearbyRequest } from '~/modules/requests/request-queries.server';
import type { RequestLinks } from '~/modules/requests/request-updates.server';
import { submitReport } from '~/modules/requests/submit-report.server';
import { validateReport, type ReportRejection } from '~/modules/requests/validate-report.server';
import type { TownStaff } from '~/utils/capabilities.server';
import type { UploadForm } from '~/utils/multipart.server';

export type IntakeOutcome =
  | { kind: 'filed'; trackingNumber: string }
  | { kind: 'invalid'; rejection: ReportRejection; errors: ReportErrors }
  | { kind: 'possible_duplicates'; duplicates: NearbyRequest[] };

const channelField = z.enum(STAFF_INTAKE_CHANNELS);

/**
 * Assisted intake: a staff member files a report for someone who called, walked in or wrote,
 * through the report core every channel shares (validate, route, file; docs/decisions/0015).
 * The report is anonymous to the public; the caller's contact is kept private like a resident's,
 * and an email given gets the same confirmation and updates. The staff member's own town is
 * confirmed up front, as for Open311: a spot on its border files here, a spot inside another town
 * is refused naming that town. Open reports of the kind nearby are asked about, as residents are.
 */
export async function fileForCaller(staff: TownStaff, form: UploadForm, links: (townSlug: string) => RequestLinks): Promise<IntakeOutcome> {
  const channel = channelField.safeParse(form.fields.get('channel'));
  if (!channel.success) {
    // Nothing is filed without its channel; the other fields' errors come with it, so staff fix everything at once.
    const validated = await validateReport(form, { signedIn: false });
    const errors: ReportErrors = { channel: { code: 'channel.required' }, ...(validated.ok ? {} : validated.errors) };
    return { kind: 'invalid', rejection: validated.ok ? 'invalid' : validated.rejection, errors };
  }
  const fields = new URLSearchParams(form.fields);
  fields.set('confirmTown', staff.town.slug);
  const result = await submitReport({ hostTown: staff.town, user: null, form: { ...form, fields }, links, channel: channel.data, filedBy: staff });
  switch (result.kind) {
    case 'created':
      return { kind: 'filed', trackingNumber: result.trackingNumber };
    case 'invalid':
      return { kind: 'invalid', rejection: result.rejection, errors: result.errors };
    case 'choose_town': {
      const other = result.choices.find((c) => c.slug !== staff.town.slug) ?? result.suggested;
      return { kind: 'invalid', rejection: 'invalid', errors: { location: { code: 'location.other_town', values: { town: other.name, hostTown: staff.town.name } } } };
    }
    case 'possible_duplicates':
      return { kind: 'possible_duplicates', duplicates: result.duplicates };
  }
}
