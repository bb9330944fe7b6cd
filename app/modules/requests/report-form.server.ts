import { z } from 'zod';
import { codedFormBuilders } from '~/utils/field-errors';
import { isUsPhoneNumber } from '~/utils/phone';
import type { UploadFormLimits } from '~/utils/multipart.server';
import { readCoordinate } from './coordinates';
import type { ReportErrorCode } from './report-errors';
import { DESCRIPTION_MAX, PHOTO_LIMITS } from './report-limits';

export const REPORT_UPLOAD_LIMITS: UploadFormLimits = { fileField: 'photos', maxFileBytes: PHOTO_LIMITS.maxBytes, maxFiles: PHOTO_LIMITS.maxPhotosPerReport };

// Every message below is a ReportErrorCode: the UI words it.
const { code, text } = codedFormBuilders<ReportErrorCode>('text.control_characters');

const optionalText = (max: number, tooLong: ReportErrorCode) =>
  text()
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => v || null);

const coordinate = (min: number, max: number, axis: 'latitude' | 'longitude') =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const reading = readCoordinate(v ?? '');
      if (!reading) return null;
      if (!reading.ok) {
        ctx.addIssue({ code: 'custom', message: code(`${axis}.${reading.reason}`) });
        return z.NEVER;
      }
      if (reading.value < min || reading.value > max) {
        ctx.addIssue({ code: 'custom', message: code(`${axis}.out_of_range`), params: { min, max } });
        return z.NEVER;
      }
      return reading.value;
    });

/** The web form's fields, as strings from a form post. */
export const reportFields = z.object({
  idempotencyKey: z.string().regex(/^[0-9a-f-]{36}$/, code('form_expired')),
  category: text({ required: 'category.required' }).trim().min(1, code('category.required')).max(80, code('category.too_long')),
  description: text({ multiline: true, required: 'description.required' })
    .trim()
    .min(1, code('description.required'))
    .max(DESCRIPTION_MAX, code('description.too_long')),
  lat: coordinate(-90, 90, 'latitude'),
  lng: coordinate(-180, 180, 'longitude'),
  // 'photo': the form moved the pin to where a chosen photo says it was taken.
  locationSource: z.enum(['map', 'device', 'photo', 'geocoded', 'coordinates']).optional().catch('coordinates').default('coordinates'),
  address: optionalText(300, 'address.too_long'),
  email: text()
    .trim()
    .max(254, code('email.too_long'))
    .optional()
    .transform((v) => v?.toLowerCase() || null)
    .pipe(z.string().email(code('email.invalid')).nullable()),
  name: optionalText(80, 'name.too_long'),
  // Only staff filing for a caller ask for a phone (the resident's form does not).
  phone: optionalText(40, 'phone.too_long').refine((v) => v === null || isUsPhoneNumber(v), code('phone.invalid')),
  confirmTown: optionalText(80, 'confirm_town.unknown'),
  notDuplicate: z.string().optional().transform((v) => v === '1'),
});

export type ReportFields = z.infer<typeof reportFields>;

/** Where the problem is, alone: the statewide entry's first step asks this before anything else. */
export const reportLocationFields = reportFields.pick({ lat: true, lng: true, address: true, locationSource: true });

/** `q.<code>` fields, multi-valued, for the category's extra questions. */
export function answersFrom(fields: URLSearchParams): Record<string, string[]> {
  const answers: Record<string, string[]> = {};
  for (const [key, value] of fields) if (key.startsWith('q.')) (answers[key.slice(2)] ??= []).push(value);
  return answers;
}
