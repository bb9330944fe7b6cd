import type { ReportError, ReportErrorCode, ReportErrors } from '~/modules/requests/report-errors';

const USE_AT_MOST = 'Use at most {{max}} characters';
const NOT_A_PHOTO = '“{{file}}”: This file is not a photo we can read. Use a JPEG, PNG, WebP, ';

/** The English wording of every report error code; `{{name}}` is filled from the error's values. */
const REPORT_ERROR_WORDING: Record<ReportErrorCode, string> = {
  form_expired: 'This form has expired; reload the page',
  'text.control_characters': 'Remove the invisible control characters from this field',
  'category.required': 'Choose what kind of problem it is',
  'category.too_long': USE_AT_MOST,
  'category.not_offered': '{{town}} does not take reports of that kind. Choose a category from the list.',
  'description.required': 'Describe the problem',
  'description.too_long': USE_AT_MOST,
  'latitude.not_a_number': 'Latitude must be a number, like 42.3876',
  'latitude.out_of_range': 'Latitude must be between {{min}} and {{max}}',
  'longitude.not_a_number': 'Longitude must be a number, like -71.0995',
  'longitude.out_of_range': 'Longitude must be between {{min}} and {{max}}',
  'address.too_long': USE_AT_MOST,
  'email.too_long': USE_AT_MOST,
  'email.invalid': 'Enter an email address like name@example.com',
  'name.too_long': USE_AT_MOST,
  'name.needs_email': 'Give an email address too, or leave your name out: we only use it with an email',
  'confirm_town.unknown': 'Unknown town',
  'photos.unreadable_part': 'A file could not be read: its name may hold quotes or semicolons. Rename the file and attach it again.',
  'photos.too_many': 'Attach at most {{max}} photos.',
  'photos.too_large': '“{{file}}” is larger than {{maxMegabytes}} MB. Attach a smaller photo.',
  'photos.empty': '“{{file}}”: This file is empty; choose the photo again.',
  'photos.too_many_pixels': '“{{file}}”: This image is too large (over {{maxMegapixels}} megapixels).',
  'photos.unsupported_type': `${NOT_A_PHOTO}or AVIF image.`,
  'photos.unsupported_type_heic_readable': `${NOT_A_PHOTO}HEIC or AVIF image.`,
  'photos.heic_unsupported': "“{{file}}”: We can't read HEIC photos yet. Set your camera to 'Most Compatible' or send a JPEG.",
  'photos.corrupt': '“{{file}}”: This photo looks damaged or incomplete; try taking it again.',
  'location.required': 'Show where the problem is: pick it on the map, use your location, type an address or landmark, or attach a photo taken there',
  'location.half_given': 'Give both latitude and longitude, or neither',
  'location.photo_without_location': 'The photo carries no location: pick the spot on the map, use your location, or type an address or landmark',
  'location.outside_massachusetts': 'This spot is not in a Massachusetts city or town (it may be in the water or in another state).',
  'location.outside_massachusetts_near':
    'This spot is not in a Massachusetts city or town (it may be in the water or in another state). The nearest Massachusetts community is {{town}}, {{kilometres}} km away.',
  'location.not_participating': 'This spot is in {{town}}, which does not use Commonwealth Connect. Please contact {{town}} directly.',
  'answer.required': 'Answer “{{label}}”',
  'answer.too_long': USE_AT_MOST,
  'answer.not_a_number': 'Enter a number',
  'answer.not_a_datetime': 'Enter a date and time',
  'answer.choose_one': 'Choose one of the options',
  'answer.choose_from': 'Choose from the options',
};

export function reportErrorMessage({ code, values = {} }: ReportError): string {
  return REPORT_ERROR_WORDING[code].replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

export function reportErrorMessages(errors: ReportErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, error]) => [field, reportErrorMessage(error)]));
}
