import { canDecodeHeic, PhotoRejectedError, processPhoto, type ProcessedPhoto } from '~/modules/photos/photo-pipeline.server';
import { fieldErrorCodesOf } from '~/utils/field-errors';
import type { UploadForm } from '~/utils/multipart.server';
import type { LocationSource } from '#db/vocabulary';
import type { ReportError, ReportErrors } from './report-errors';
import { answersFrom, reportFields } from './report-form.server';
import { PHOTO_LIMIT_VALUES, PHOTO_LIMITS } from './report-limits';

/** Where the resident says the problem is: a point, or only an address for the town to find. */
export type ReportPlace = { kind: 'point'; lat: number; lng: number; source: LocationSource } | { kind: 'address'; address: string };

/** A report that passed every check that needs no town: ready to be routed and filed. */
export type ValidReport = {
  idempotencyKey: string;
  categoryCode: string;
  description: string;
  place: ReportPlace;
  address: string | null;
  contact: { email: string | null; name: string | null; phone: string | null };
  answers: Record<string, string[]>;
  photos: ProcessedPhoto[];
  confirmTown: string | null;
  notDuplicate: boolean;
};

/** Why a report is refused: `expired_form` and `photo_too_large` let a channel answer differently (400, 413). */
export type ReportRejection = 'expired_form' | 'photo_too_large' | 'invalid';

export type ValidationOutcome = { ok: true; report: ValidReport } | { ok: false; rejection: ReportRejection; errors: ReportErrors };

type PhotoOutcome = { ok: true; photos: ProcessedPhoto[] } | { ok: false; error: ReportError; tooLarge: boolean };

/** The form's photos through the photo pipeline, refused as a report refuses them (also for a reporter's added photo). */
export async function processPhotos({ files, tooManyFiles, unreadableParts }: UploadForm, maxPhotos = PHOTO_LIMITS.maxPhotosPerReport): Promise<PhotoOutcome> {
  if (unreadableParts > 0) return { ok: false, error: { code: 'photos.unreadable_part' }, tooLarge: false };
  if (tooManyFiles || files.length > maxPhotos) {
    return { ok: false, error: { code: 'photos.too_many', values: { max: maxPhotos } }, tooLarge: false };
  }
  const tooLarge = files.find((p) => p.tooLarge);
  if (tooLarge) return { ok: false, error: { code: 'photos.too_large', values: { file: tooLarge.label, maxMegabytes: PHOTO_LIMIT_VALUES.maxMegabytes } }, tooLarge: true };
  const photos: ProcessedPhoto[] = [];
  for (const file of files) {
    try {
      photos.push(await processPhoto(file.bytes));
    } catch (error) {
      if (!(error instanceof PhotoRejectedError)) throw error;
      const limits = { file: file.label, maxMegabytes: PHOTO_LIMIT_VALUES.maxMegabytes, maxMegapixels: PHOTO_LIMIT_VALUES.maxMegapixels };
      const code = error.heicUnsupported
        ? 'photos.heic_unsupported'
        : error.reason === 'unsupported_type' && canDecodeHeic
          ? 'photos.unsupported_type_heic_readable'
          : (`photos.${error.reason}` as const);
      return { ok: false, error: { code, values: limits }, tooLarge: error.reason === 'too_large' };
    }
  }
  return { ok: true, photos };
}

const given = (fields: URLSearchParams, name: string) => (fields.get(name) ?? '').trim() !== '';

/**
 * Every check a report needs before it has a town: the fields, the photos (decoded, re-encoded,
 * located from their EXIF) and whether a location was given at all. Errors come together, so the
 * resident fixes everything in one go.
 */
export async function validateReport(form: UploadForm, { signedIn }: { signedIn: boolean }): Promise<ValidationOutcome> {
  const { fields } = form;
  const parsed = reportFields.safeParse(Object.fromEntries(fields));
  const errors: ReportErrors = parsed.success ? {} : (fieldErrorCodesOf(parsed.error.issues) as ReportErrors);
  if (errors.idempotencyKey) return { ok: false, rejection: 'expired_form', errors };

  const photos = await processPhotos(form);
  if (!photos.ok) errors.photos = photos.error;
  const photoGps = photos.ok ? (photos.photos.find((p) => p.gps)?.gps ?? null) : null;
  if (!given(fields, 'lat') && !given(fields, 'lng') && !given(fields, 'address') && !photoGps && form.files.length === 0 && form.unreadableParts === 0) {
    errors.location = { code: 'location.required' };
  }
  if (!parsed.success || !photos.ok || Object.keys(errors).length > 0) {
    return { ok: false, rejection: !photos.ok && photos.tooLarge ? 'photo_too_large' : 'invalid', errors };
  }

  const report = parsed.data;
  // A name alone reaches nobody: it is kept with a way to answer (a phone only staff taking a call ask for).
  if (!signedIn && !report.email && !report.phone && report.name) errors.email = { code: 'name.needs_email' };
  let place: ReportPlace | null = null;
  if (report.lat !== null && report.lng !== null) place = { kind: 'point', lat: report.lat, lng: report.lng, source: report.locationSource };
  else if (report.lat !== null || report.lng !== null) errors.location = { code: 'location.half_given' };
  else if (photoGps) place = { kind: 'point', ...photoGps, source: 'photo' };
  else if (report.address) place = { kind: 'address', address: report.address };
  else errors.location = { code: 'location.photo_without_location' };
  if (!place || Object.keys(errors).length > 0) return { ok: false, rejection: 'invalid', errors };

  return {
    ok: true,
    report: {
      idempotencyKey: report.idempotencyKey,
      categoryCode: report.category,
      description: report.description,
      place,
      address: report.address,
      contact: { email: report.email, name: report.email || report.phone ? report.name : null, phone: report.phone },
      answers: answersFrom(fields),
      photos: photos.photos,
      confirmTown: report.confirmTown,
      notDuplicate: report.notDuplicate,
    },
  };
}
