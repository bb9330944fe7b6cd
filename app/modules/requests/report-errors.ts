/**
 * Everything a report can be refused for, as codes: the report core (validate, route, file) says
 * which, the UI says it in words. Shared by every channel, so no HTTP and no wording here.
 */
export const REPORT_ERROR_CODES = [
  'form_expired',
  // Staff filing for a caller: how the caller reached the town.
  'channel.required',
  'text.control_characters',
  'category.required',
  'category.too_long',
  'category.not_offered',
  'description.required',
  'description.too_long',
  'latitude.not_a_number',
  'latitude.out_of_range',
  'latitude.two_numbers',
  'longitude.not_a_number',
  'longitude.out_of_range',
  'longitude.two_numbers',
  'address.too_long',
  'email.too_long',
  'email.invalid',
  'name.too_long',
  'name.needs_email',
  'phone.too_long',
  'phone.invalid',
  'confirm_town.unknown',
  'photos.unreadable_part',
  'photos.too_many',
  'photos.too_large',
  'photos.empty',
  'photos.too_many_pixels',
  'photos.unsupported_type',
  'photos.unsupported_type_heic_readable',
  'photos.heic_unsupported',
  'photos.corrupt',
  // The form's own check, before uploading: the device would not give the file's bytes.
  'photos.unreadable_file',
  'location.required',
  'location.half_given',
  'location.photo_without_location',
  'location.outside_massachusetts',
  'location.outside_massachusetts_near',
  'location.not_participating',
  // Staff filing for a caller: the spot is in another participating town, which staff here cannot file into.
  'location.other_town',
  'location.town_onboarding',
  'location.town_left_program',
  'location.town_lapsed',
  'answer.required',
  'answer.too_long',
  'answer.not_a_number',
  'answer.not_a_datetime',
  'answer.choose_one',
  'answer.choose_from',
] as const;

export type ReportErrorCode = (typeof REPORT_ERROR_CODES)[number];

export type ReportError = { code: ReportErrorCode; values?: Record<string, string | number> };

/** Keyed by form field (`q.<code>` for a category question, `location` for where). */
export type ReportErrors = Record<string, ReportError>;
