import { z } from 'zod';
import { codedFormBuilders } from '~/utils/field-errors';
import { REQUEST_PRIORITIES, REQUEST_STATUSES } from '#db/vocabulary';

/** Every message of the staff request page's forms, as a path in the errors catalogue (`errors:staffRequestForm.…`). */
export const STAFF_REQUEST_FORM_ERROR_CODES = [
  'staffRequestForm.intent.unknown',
  'staffRequestForm.expectedVersion.invalid',
  'staffRequestForm.text.control_characters',
  'staffRequestForm.to.invalid',
  'staffRequestForm.priority.invalid',
  'staffRequestForm.referredTo.too_long',
  'staffRequestForm.categoryCode.required',
  'staffRequestForm.latitude.required',
  'staffRequestForm.latitude.not_a_number',
  'staffRequestForm.latitude.out_of_range',
  'staffRequestForm.longitude.required',
  'staffRequestForm.longitude.not_a_number',
  'staffRequestForm.longitude.out_of_range',
  'staffRequestForm.address.too_long',
] as const;

type StaffRequestFormErrorCode = (typeof STAFF_REQUEST_FORM_ERROR_CODES)[number];
const { code, text } = codedFormBuilders<StaffRequestFormErrorCode>('staffRequestForm.text.control_characters');

const expectedVersion = code('staffRequestForm.expectedVersion.invalid');
const version = z.coerce.number({ invalid_type_error: expectedVersion }).int(expectedVersion).min(1, expectedVersion);
const optionalId = text()
  .optional()
  .transform((v) => v || null);
// One rule for both bounds, so the wording can name the range from the one limit.
const coordinate = (name: 'latitude' | 'longitude', limit: number) =>
  z
    .string({ required_error: code(`staffRequestForm.${name}.required`) })
    .trim()
    .min(1, code(`staffRequestForm.${name}.required`))
    .pipe(
      z.coerce
        .number({ invalid_type_error: code(`staffRequestForm.${name}.not_a_number`) })
        .refine((n) => Math.abs(n) <= limit, { message: code(`staffRequestForm.${name}.out_of_range`), params: { limit } }),
    );

/** The staff request page's forms, one per intent. */
export const staffRequestActionForm = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('acknowledge'), expectedVersion: version }),
    z.object({
      intent: z.literal('status'),
      expectedVersion: version,
      to: z.enum(REQUEST_STATUSES, { errorMap: () => ({ message: code('staffRequestForm.to.invalid') }) }),
      reason: text({ multiline: true }).optional(),
      duplicateOf: text().optional(),
      referredTo: text().max(200, code('staffRequestForm.referredTo.too_long')).optional(),
    }),
    z.object({ intent: z.literal('assign'), expectedVersion: version, departmentId: optionalId, assigneeUserId: optionalId }),
    z.object({ intent: z.literal('priority'), expectedVersion: version, priority: z.enum(REQUEST_PRIORITIES, { errorMap: () => ({ message: code('staffRequestForm.priority.invalid') }) }) }),
    z.object({ intent: z.literal('note'), expectedVersion: version, note: text({ multiline: true }).default('') }),
    z.object({ intent: z.literal('reply'), expectedVersion: version, message: text({ multiline: true }).default('') }),
    z.object({ intent: z.literal('recategorise'), expectedVersion: version, categoryCode: text({ required: 'staffRequestForm.categoryCode.required' }).min(1, code('staffRequestForm.categoryCode.required')) }),
    z.object({
      intent: z.literal('relocate'),
      expectedVersion: version,
      lat: coordinate('latitude', 90),
      lng: coordinate('longitude', 180),
      address: text().max(200, code('staffRequestForm.address.too_long')).optional(),
      // Needed only when the corrected spot is in another town; the transfer says so.
      transferNote: text({ multiline: true }).optional(),
    }),
  ],
  { errorMap: () => ({ message: code('staffRequestForm.intent.unknown') }) },
);
export type StaffRequestIntent = z.infer<typeof staffRequestActionForm>['intent'];
