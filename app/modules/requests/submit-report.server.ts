import { findNearbyOpenRequests } from './request-queries.server';
import type { RequestLinks } from './request-updates.server';
import { createServiceRequest, findByIdempotencyKey, type LocationSource } from './create-request.server';
import { answersFrom, reportFields } from './report-form.server';
import { locateTown, townAnchorPoint } from '~/modules/geo/locate-town.server';
import { PhotoRejectedError, processPhoto, type ProcessedPhoto } from '~/modules/photos/photo-pipeline.server';
import { PHOTO_LIMITS } from './report-limits';
import { findTownBySlug, type TownProfile } from '~/utils/town-profile.server';
import { geocodeAddress } from '~/utils/mapbox.server';
import { UNREADABLE_FILE_MESSAGE, type UploadForm } from '~/utils/multipart.server';

type TownChoice = { slug: string; name: string };

export type SubmitReportResult =
  | { kind: 'created'; town: TownProfile; trackingNumber: string }
  | { kind: 'invalid'; status: 400 | 413 | 422; errors: Record<string, string> }
  | { kind: 'confirm_town'; destination: TownChoice; choices: TownChoice[]; message: string; point: Point }
  | { kind: 'possible_duplicates'; destination: TownChoice; duplicates: Awaited<ReturnType<typeof findNearbyOpenRequests>>; point: Point };

/** The point the next step should carry, so a location read from a photo survives re-attaching. */
type Point = { lat: number; lng: number };

export type SubmitReportInput = {
  hostTown: TownProfile;
  user: { id: string; email: string; displayName: string | null } | null;
  form: UploadForm;
  links: (townSlug: string) => RequestLinks;
};

function firstErrors(issues: { path: (string | number)[]; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return errors;
}

async function processPhotos({ files: photos, tooManyFiles, unreadableParts }: UploadForm): Promise<{ processed: ProcessedPhoto[]; error: string | null; status: 413 | 422 | null }> {
  if (unreadableParts > 0) return { processed: [], error: UNREADABLE_FILE_MESSAGE, status: 422 };
  if (tooManyFiles || photos.length > PHOTO_LIMITS.maxPhotosPerReport) {
    return { processed: [], error: `Attach at most ${PHOTO_LIMITS.maxPhotosPerReport} photos.`, status: 422 };
  }
  const tooLarge = photos.find((p) => p.tooLarge);
  if (tooLarge) return { processed: [], error: `“${tooLarge.label}” is larger than 15 MB. Attach a smaller photo.`, status: 413 };
  const processed: ProcessedPhoto[] = [];
  for (const photo of photos) {
    try {
      processed.push(await processPhoto(photo.bytes));
    } catch (error) {
      if (error instanceof PhotoRejectedError) return { processed: [], error: `“${photo.label}”: ${error.message}`, status: error.reason === 'too_large' ? 413 : 422 };
      throw error;
    }
  }
  return { processed, error: null, status: null };
}

/**
 * The whole report submission, from raw form fields to a stored request: validate, process
 * photos, decide the location and the town that owns it, ask the resident to confirm a town or a
 * possible duplicate when needed, and file it. Nothing is stored unless everything is valid.
 */
export async function submitReport(input: SubmitReportInput): Promise<SubmitReportResult> {
  const { fields, files: photos } = input.form;
  const parsed = reportFields.safeParse(Object.fromEntries(fields));
  const errors: Record<string, string> = parsed.success ? {} : firstErrors(parsed.error.issues);
  if (!parsed.success && errors.idempotencyKey) return { kind: 'invalid', status: 400, errors };

  const photoResult = await processPhotos(input.form);
  if (photoResult.error) errors.photos = photoResult.error;
  const photoGps = photoResult.processed.find((p) => p.gps)?.gps ?? null;
  // Said alongside the other field errors, so the resident fixes everything in one go.
  const given = (name: string) => (fields.get(name) ?? '').trim() !== '';
  if (!given('lat') && !given('lng') && !given('address') && !photoGps && photos.length === 0 && input.form.unreadableParts === 0) {
    errors.location = 'Show where the problem is: pick it on the map, use your location, type an address or landmark, or attach a photo taken there';
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { kind: 'invalid', status: photoResult.status === 413 ? 413 : 422, errors };

  const form = parsed.data;
  if (!input.user && !form.email && form.name) errors.email = 'Give an email address too, or leave your name out: we only use it with an email';
  let location: { lat: number; lng: number; source: LocationSource } | null = null;
  if (form.lat !== null && form.lng !== null) location = { lat: form.lat, lng: form.lng, source: form.locationSource };
  else if (form.lat !== null || form.lng !== null) errors.location = 'Give both latitude and longitude, or neither';
  else if (photoGps) location = { ...photoGps, source: 'photo' };
  else if (form.address) {
    const anchor = await townAnchorPoint(input.hostTown.slug);
    const geocoded = await geocodeAddress(form.address, anchor);
    location = geocoded ? { ...geocoded, source: 'geocoded' } : { ...anchor, source: 'address' };
  } else {
    errors.location = 'The photo carries no location: pick the spot on the map, use your location, or type an address or landmark';
  }
  if (Object.keys(errors).length > 0 || !location) return { kind: 'invalid', status: 422, errors };

  // An address without coordinates stays with the town the resident chose; a point decides for itself.
  let destination: TownProfile = input.hostTown;
  if (location.source !== 'address') {
    const routed = await locateTown(location.lat, location.lng);
    if (routed.kind === 'outside') {
      const near = routed.nearest ? ` The nearest Massachusetts community is ${routed.nearest.name}, ${(routed.nearest.distanceMeters / 1000).toFixed(1)} km away.` : '';
      return { kind: 'invalid', status: 422, errors: { location: `This spot is not in a Massachusetts city or town (it may be in the water or in another state).${near}` } };
    }
    const choices = [routed, ...routed.alternatives].filter((c) => c.participating).map((c) => ({ slug: c.slug, name: c.name }));
    if (!routed.participating && choices.length === 0) {
      return {
        kind: 'invalid',
        status: 422,
        errors: { location: `This spot is in ${routed.name}, which does not use Commonwealth Connect. Please contact ${routed.name} directly.` },
      };
    }
    const chosen = form.confirmTown ? choices.find((c) => c.slug === form.confirmTown) : undefined;
    const suggested = choices[0]!;
    const needsConfirmation = suggested.slug !== input.hostTown.slug || routed.alternatives.length > 0;
    if (needsConfirmation && !chosen) {
      const message =
        routed.alternatives.length > 0
          ? `This spot is on or near the border of ${[routed, ...routed.alternatives].map((c) => c.name).join(' and ')}. Which community should get the report?`
          : `This spot is in ${suggested.name}, not ${input.hostTown.name}. Your report will go to ${suggested.name}.`;
      return { kind: 'confirm_town', destination: suggested, choices, message, point: location };
    }
    const town = await findTownBySlug((chosen ?? suggested).slug);
    if (!town) throw new Error(`Routed to unknown town ${(chosen ?? suggested).slug}`);
    destination = town;
  }

  // A retried submit must land on the request it already created, not on the duplicate check.
  const already = await findByIdempotencyKey(destination.id, form.idempotencyKey);
  if (already) return { kind: 'created', town: destination, trackingNumber: already };

  if (!form.notDuplicate && location.source !== 'address') {
    const duplicates = await findNearbyOpenRequests(destination.id, form.category, location.lat, location.lng);
    if (duplicates.length > 0) return { kind: 'possible_duplicates', destination: { slug: destination.slug, name: destination.name }, duplicates, point: location };
  }

  const result = await createServiceRequest({
    town: destination,
    categoryCode: form.category,
    description: form.description,
    location: { ...location, address: form.address },
    answers: answersFrom(fields),
    reporter: input.user
      ? { userId: input.user.id, email: input.user.email, name: input.user.displayName }
      : { userId: null, email: form.email, name: form.email ? form.name : null },
    photos: photoResult.processed,
    idempotencyKey: form.idempotencyKey,
    links: input.links(destination.slug),
  });
  if (!result.ok) return { kind: 'invalid', status: 422, errors: result.fieldErrors };
  return { kind: 'created', town: destination, trackingNumber: result.trackingNumber };
}
