import type { RequestChannel } from '#db/vocabulary';
import type { ReportIntake } from '~/modules/towns/lifecycle';
import { intakeOf } from '~/modules/towns/town-lifecycle.server';
import type { TownStaff } from '~/utils/capabilities.server';
import { getTownRole } from '~/utils/memberships.server';
import type { TownProfile } from '~/utils/town-profile.server';
import type { UploadForm } from '~/utils/multipart.server';
import { createServiceRequest } from './create-request.server';
import type { ReportErrors } from './report-errors';
import type { NearbyRequest } from './request-queries.server';
import type { RequestLinks } from './request-updates.server';
import { routeReport, type Point, type RoutingOutcome, type TownChoice } from './route-report.server';
import { validateReport, type ReportRejection } from './validate-report.server';

export type SubmitReportResult =
  | { kind: 'created'; town: TownProfile; trackingNumber: string }
  | { kind: 'invalid'; rejection: ReportRejection; errors: ReportErrors }
  | Extract<RoutingOutcome, { kind: 'choose_town' }>
  | { kind: 'possible_duplicates'; destination: TownChoice; duplicates: NearbyRequest[]; point: Point };

export type SubmitReportInput = {
  /** The town site the report was sent on; the location may route it elsewhere. */
  hostTown: TownProfile;
  user: { id: string; email: string; displayName: string | null } | null;
  form: UploadForm;
  links: (townSlug: string) => RequestLinks;
  /** What only an API client gives (Open311): a phone for the private contact, and a link to media. */
  reporterPhone?: string | null;
  mediaUrl?: string | null;
  /** How it reached the town: the web form unless a channel says otherwise. */
  channel?: RequestChannel;
  /** Town staff filing it for a caller (assisted intake): recorded as the filer and audited; `user` is then null. */
  filedBy?: TownStaff;
};

/**
 * Whether `town` takes this reporter's report: a town still onboarding takes only its own team's
 * (the checklist's test request); a lapsed one, or one that left the program, takes none (lifecycle.ts).
 */
export async function intakeFor(town: TownProfile, user: { id: string } | null, now = new Date()): Promise<ReportIntake> {
  const intake = intakeOf(town, now);
  if (intake.open || intake.reason !== 'onboarding' || !user) return intake;
  return (await getTownRole(town.id, user.id)) ? { open: true } : intake;
}

/**
 * A report from the web form, through the three steps every channel shares: validate it, route it
 * to the town that owns the spot (asking when that is not clear), and file it (asking first about
 * open reports of the same kind nearby). Nothing is stored unless everything is valid.
 */
export async function submitReport(input: SubmitReportInput): Promise<SubmitReportResult> {
  const validated = await validateReport(input.form, { signedIn: input.user !== null });
  if (!validated.ok) return { kind: 'invalid', rejection: validated.rejection, errors: validated.errors };
  const { report } = validated;

  const routed = await routeReport(report, input.hostTown);
  if (routed.kind === 'unroutable') return { kind: 'invalid', rejection: 'invalid', errors: { location: routed.error } };
  if (routed.kind === 'choose_town') return routed;
  const { town, location } = routed;
  const intake = await intakeFor(town, input.filedBy?.user ?? input.user);
  if (!intake.open) {
    const code = intake.reason === 'onboarding' ? 'location.town_onboarding' : intake.reason === 'lapsed' ? 'location.town_lapsed' : 'location.town_left_program';
    return { kind: 'invalid', rejection: 'invalid', errors: { location: { code, values: { town: town.name } } } };
  }

  const filed = await createServiceRequest({
    town,
    categoryCode: report.categoryCode,
    description: report.description,
    location,
    answers: report.answers,
    reporter: input.user ? { userId: input.user.id, email: input.user.email, name: input.user.displayName } : { userId: null, ...report.contact, phone: report.contact.phone ?? input.reporterPhone ?? null },
    mediaUrl: input.mediaUrl ?? null,
    channel: input.channel,
    filedBy: input.filedBy,
    photos: report.photos,
    idempotencyKey: report.idempotencyKey,
    links: input.links(town.slug),
    checkDuplicates: !report.notDuplicate,
  });
  if (filed.kind === 'invalid') return { kind: 'invalid', rejection: 'invalid', errors: filed.errors };
  if (filed.kind === 'possible_duplicates') {
    return { kind: 'possible_duplicates', destination: { slug: town.slug, name: town.name }, duplicates: filed.duplicates, point: { lat: location.lat, lng: location.lng } };
  }
  return { kind: 'created', town, trackingNumber: filed.trackingNumber };
}
