import { fixedT } from '~/i18n/translate';
import { fieldErrorCodesOf } from '~/utils/field-errors';
import { STAFF_REQUEST_FORM_ERROR_CODES, staffRequestActionForm } from './request-action-form';

const errorsOf = (form: Record<string, string>) => {
  const result = staffRequestActionForm.safeParse(form);
  return result.success ? {} : fieldErrorCodesOf(result.error.issues);
};

describe('staffRequestActionForm', () => {
  it.each([
    [{ intent: 'delete-everything' }, 'intent', { code: 'staffRequestForm.intent.unknown' }],
    [{ intent: 'acknowledge', expectedVersion: 'soon' }, 'expectedVersion', { code: 'staffRequestForm.expectedVersion.invalid' }],
    [{ intent: 'relocate', expectedVersion: '1', lat: 'north', lng: '-71.1' }, 'lat', { code: 'staffRequestForm.latitude.not_a_number' }],
    [{ intent: 'relocate', expectedVersion: '1', lat: '42.4', lng: '-181' }, 'lng', { code: 'staffRequestForm.longitude.out_of_range', values: { limit: 180 } }],
    [{ intent: 'status', expectedVersion: '1', to: 'gone' }, 'to', { code: 'staffRequestForm.to.invalid' }],
  ])('refuses %j next to %s', (form, field, error) => {
    expect(errorsOf(form)[field]).toMatchObject(error);
  });
});

describe('staff request form error wording', () => {
  it('the English catalogue words every code the staff request forms can return', () => {
    const t = fixedT('en', 'errors');
    expect(STAFF_REQUEST_FORM_ERROR_CODES.filter((code) => t(code) === code)).toEqual([]);
  });

  it('words a range from its one limit', () => {
    expect(fixedT('en', 'errors')('staffRequestForm.latitude.out_of_range', { limit: 90 })).toBe('Enter a latitude between -90 and 90.');
  });
});
