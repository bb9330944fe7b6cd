import { z } from 'zod';
import { codedFormBuilders } from '~/utils/field-errors';
import { isKnownTimeZone } from '~/utils/date-format';

/** Every message of the state program's town forms, as a path in the errors catalogue (`errors:townOnboarding.…`). */
export const TOWN_ONBOARDING_ERROR_CODES = [
  'townOnboarding.text.control_characters',
  'townOnboarding.text.too_long',
  'townOnboarding.municipality.required',
  'townOnboarding.municipality.unknown',
  'townOnboarding.municipality.participating',
  'townOnboarding.slug.required',
  'townOnboarding.slug.invalid',
  'townOnboarding.slug.taken',
  'townOnboarding.slug.reserved',
  'townOnboarding.slug.other_municipality',
  'townOnboarding.trackingCode.required',
  'townOnboarding.trackingCode.invalid',
  'townOnboarding.trackingCode.taken',
  'townOnboarding.cohort.required',
  'townOnboarding.timezone.invalid',
  'townOnboarding.grantStart.required',
  'townOnboarding.grantStart.invalid',
  'townOnboarding.grantEnd.required',
  'townOnboarding.grantEnd.invalid',
  'townOnboarding.grantEnd.not_after_start',
  'townOnboarding.adminEmail.required',
  'townOnboarding.adminEmail.invalid',
  'townOnboarding.reason.required',
  'townOnboarding.intent.invalid',
] as const;

export type TownOnboardingErrorCode = (typeof TOWN_ONBOARDING_ERROR_CODES)[number];
const { code, text } = codedFormBuilders<TownOnboardingErrorCode>('townOnboarding.text.control_characters');

/** Host names the statewide site answers on, so no town may take them as its subdomain. */
const RESERVED_SLUGS = new Set(['www']);

const isoDate = (required: TownOnboardingErrorCode, invalid: TownOnboardingErrorCode) =>
  text({ required })
    .trim()
    .min(1, required)
    .pipe(z.string().date(code(invalid)));

export const newTownForm = z
  .object({
    municipality: text({ required: 'townOnboarding.municipality.required' })
      .trim()
      .min(1, code('townOnboarding.municipality.required'))
      .pipe(z.coerce.number().int(code('townOnboarding.municipality.unknown')).min(1, code('townOnboarding.municipality.unknown')).max(351, code('townOnboarding.municipality.unknown'))),
    slug: text({ required: 'townOnboarding.slug.required' })
      .trim()
      .min(1, code('townOnboarding.slug.required'))
      .max(40, code('townOnboarding.text.too_long'))
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, code('townOnboarding.slug.invalid'))
      .refine((slug) => !RESERVED_SLUGS.has(slug), code('townOnboarding.slug.reserved')),
    trackingCode: text({ required: 'townOnboarding.trackingCode.required' })
      .trim()
      .min(1, code('townOnboarding.trackingCode.required'))
      .regex(/^[A-Z]{2,4}$/, code('townOnboarding.trackingCode.invalid')),
    cohort: text({ required: 'townOnboarding.cohort.required' })
      .trim()
      .min(1, code('townOnboarding.cohort.required'))
      .max(200, code('townOnboarding.text.too_long')),
    timezone: text().trim().default('America/New_York').refine(isKnownTimeZone, code('townOnboarding.timezone.invalid')),
    grantStart: isoDate('townOnboarding.grantStart.required', 'townOnboarding.grantStart.invalid'),
    // Empty: three years after the start, as in the registry.
    grantEnd: text()
      .trim()
      .optional()
      .transform((v) => v || null)
      .pipe(z.string().date(code('townOnboarding.grantEnd.invalid')).nullable()),
    adminEmail: text({ required: 'townOnboarding.adminEmail.required' })
      .trim()
      .min(1, code('townOnboarding.adminEmail.required'))
      .max(254, code('townOnboarding.text.too_long'))
      .email(code('townOnboarding.adminEmail.invalid'))
      .transform((e) => e.toLowerCase()),
  })
  .superRefine((form, ctx) => {
    if (form.grantEnd !== null && form.grantEnd <= form.grantStart) {
      ctx.addIssue({ code: 'custom', path: ['grantEnd'], message: code('townOnboarding.grantEnd.not_after_start') });
    }
  });
export type NewTownInput = z.infer<typeof newTownForm>;

const reasonField = text({ multiline: true, required: 'townOnboarding.reason.required' })
  .trim()
  .min(1, code('townOnboarding.reason.required'))
  .max(500, code('townOnboarding.text.too_long'));

/**
 * State staff's lifecycle actions on one town; leaving or rejoining the program and extending or
 * renewing the grant term need a reason for the audit log.
 */
export const townLifecycleActionForm = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('go_live') }),
    z.object({
      intent: z.literal('change_grant_term'),
      grantStart: isoDate('townOnboarding.grantStart.required', 'townOnboarding.grantStart.invalid'),
      grantEnd: isoDate('townOnboarding.grantEnd.required', 'townOnboarding.grantEnd.invalid'),
      // Named apart from the membership form's reason: both forms are on one page.
      termReason: reasonField,
    }),
    z.object({ intent: z.enum(['leave_program', 'rejoin_program']), reason: reasonField }),
  ],
  { errorMap: () => ({ message: code('townOnboarding.intent.invalid') }) },
).superRefine((form, ctx) => {
  if (form.intent === 'change_grant_term' && form.grantEnd <= form.grantStart) {
    ctx.addIssue({ code: 'custom', path: ['grantEnd'], message: code('townOnboarding.grantEnd.not_after_start') });
  }
});

/** The town admin's two confirmations on the onboarding checklist. */
export const onboardingConfirmationForm = z.object(
  { intent: z.enum(['confirm_boundary', 'confirm_categories'], { errorMap: () => ({ message: code('townOnboarding.intent.invalid') }) }) },
  { errorMap: () => ({ message: code('townOnboarding.intent.invalid') }) },
);
