import { z } from 'zod';
import { formText } from '~/utils/control-characters';
import type { UploadFormLimits } from '~/utils/multipart.server';
import { DESCRIPTION_MAX, PHOTO_LIMITS } from './report-limits';

export const REPORT_UPLOAD_LIMITS: UploadFormLimits = { fileField: 'photos', maxFileBytes: PHOTO_LIMITS.maxBytes, maxFiles: PHOTO_LIMITS.maxPhotosPerReport };

const optionalText = (max: number, message: string) =>
  formText()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => v || null);

const coordinate = (min: number, max: number, name: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a number, like ${name === 'Latitude' ? '42.3876' : '-71.0995'}` });
        return z.NEVER;
      }
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

export const reportFields = z.object({
  idempotencyKey: z.string().regex(/^[0-9a-f-]{36}$/, 'This form has expired; reload the page'),
  category: formText({ required_error: 'Choose what kind of problem it is' }).trim().min(1, 'Choose what kind of problem it is').max(80),
  description: formText({ multiline: true })
    .trim()
    .min(1, 'Describe the problem')
    .max(DESCRIPTION_MAX, `Use at most ${DESCRIPTION_MAX} characters`),
  lat: coordinate(-90, 90, 'Latitude'),
  lng: coordinate(-180, 180, 'Longitude'),
  locationSource: z.enum(['map', 'device', 'coordinates']).optional().catch('coordinates').default('coordinates'),
  address: optionalText(300, 'Use at most 300 characters'),
  email: formText()
    .trim()
    .max(254)
    .optional()
    .transform((v) => v?.toLowerCase() || null)
    .pipe(z.string().email('Enter an email address like name@example.com').nullable()),
  name: optionalText(80, 'Use at most 80 characters'),
  confirmTown: optionalText(80, 'Unknown town'),
  notDuplicate: z.string().optional().transform((v) => v === '1'),
});

export type ReportFields = z.infer<typeof reportFields>;

/** `q.<code>` fields, multi-valued, for the category's extra questions. */
export function answersFrom(fields: URLSearchParams): Record<string, string[]> {
  const answers: Record<string, string[]> = {};
  for (const [key, value] of fields) if (key.startsWith('q.')) (answers[key.slice(2)] ??= []).push(value);
  return answers;
}
