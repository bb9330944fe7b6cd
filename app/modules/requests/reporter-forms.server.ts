import { z } from 'zod';
import type { ProcessedPhoto } from '~/modules/photos/photo-pipeline.server';
import { codedFormBuilders, fieldErrorCodesOf, type FieldErrorCodes } from '~/utils/field-errors';
import type { UploadForm, UploadFormLimits } from '~/utils/multipart.server';
import { PHOTO_LIMITS } from './report-limits';
import type { ResidentComment } from './reporter-actions.server';
import { processPhotos } from './validate-report.server';

/** Every code the residents' forms on a request can return, as paths in the errors catalogue. */
export const RESIDENT_FORM_ERROR_CODES = [
  'residentForm.text.control_characters',
  'residentForm.comment.too_long',
  'residentForm.comment.required',
  'residentForm.reason.too_long',
  'residentForm.visibility.required',
] as const;
type Code = (typeof RESIDENT_FORM_ERROR_CODES)[number];

const { code, text } = codedFormBuilders<Code>('residentForm.text.control_characters');

export const COMMENT_MAX = 4000;
export const WITHDRAW_REASON_MAX = 1000;

/** One photo with a comment: the report form's limits, a single file. */
export const COMMENT_UPLOAD_LIMITS: UploadFormLimits = { fileField: 'photo', maxFileBytes: PHOTO_LIMITS.maxBytes, maxFiles: 1 };

const optionalText = (max: number, tooLong: Code) =>
  text({ multiline: true })
    .trim()
    .max(max, code(tooLong))
    .optional()
    .transform((v) => v || null);

/** A comment and who may read it: the reporter's comment, a reopening, a "not fixed" answer. */
export const residentCommentFields = z.object({
  comment: optionalText(COMMENT_MAX, 'residentForm.comment.too_long'),
  visibility: z.enum(['public', 'private'], { errorMap: () => ({ message: code('residentForm.visibility.required') }) }),
});

export const withdrawFields = z.object({
  reason: optionalText(WITHDRAW_REASON_MAX, 'residentForm.reason.too_long'),
});

export type CommentValidation = { ok: true; comment: ResidentComment & { photo: ProcessedPhoto | null } } | { ok: false; errors: FieldErrorCodes };

/**
 * The reporter's comment form: words, a photo (through the photo pipeline, refused as a report's
 * would be), or both; at least one. Error codes are full catalogue paths, keyed by field.
 */
export async function validateResidentComment(form: UploadForm): Promise<CommentValidation> {
  const parsed = residentCommentFields.safeParse(Object.fromEntries(form.fields));
  const errors: FieldErrorCodes = parsed.success ? {} : fieldErrorCodesOf(parsed.error.issues);
  const photos = await processPhotos(form, 1);
  if (!photos.ok) errors.photo = { code: `report.${photos.error.code}`, values: photos.error.values };
  if (!parsed.success || !photos.ok) return { ok: false, errors };
  const photo = photos.photos[0] ?? null;
  if (!parsed.data.comment && !photo) return { ok: false, errors: { comment: { code: code('residentForm.comment.required') } } };
  return { ok: true, comment: { text: parsed.data.comment, public: parsed.data.visibility === 'public', photo } };
}

/** A reopening's (or "not fixed" answer's) comment, without a photo. */
export function parseResidentComment(fields: Record<string, unknown>): { ok: true; comment: ResidentComment } | { ok: false; errors: FieldErrorCodes } {
  const parsed = residentCommentFields.safeParse(fields);
  if (!parsed.success) return { ok: false, errors: fieldErrorCodesOf(parsed.error.issues) };
  return { ok: true, comment: { text: parsed.data.comment, public: parsed.data.visibility === 'public' } };
}
