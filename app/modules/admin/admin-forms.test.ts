import { fieldErrorsOf } from '~/utils/field-errors';
import { fixedT } from '~/i18n/translate';
import { ADMIN_FORM_ERROR_CODES, categoryForm, codeFrom, profileForm, questionForm } from './admin-forms';

const errorsOf = (result: { success: boolean; error?: unknown }) => (result.success ? {} : fieldErrorsOf(result.error as never));

describe('codeFrom', () => {
  it.each([
    ['Missed trash pickup', 'missed-trash-pickup'],
    ['Snow & ice', 'snow-and-ice'],
    ['  Café  ', 'cafe'],
    ['!!!', ''],
  ])('%s → %s', (text, code) => expect(codeFrom(text)).toBe(code));
});

describe('categoryForm', () => {
  it.each([
    [{ targetDays: '0' }, 'targetDays', 'The target must be between 1 and 60 business days'],
    [{ targetDays: '61' }, 'targetDays', 'The target must be between 1 and 60 business days'],
    [{ targetDays: '2.5' }, 'targetDays', 'Enter a whole number of business days'],
    [{ targetDays: 'soon' }, 'targetDays', 'Enter a whole number of business days'],
    [{ name: ' ' }, 'name', 'Enter a name'],
    [{ departmentId: 'streets' }, 'departmentId', 'Choose a department from the list'],
  ])('refuses %j next to %s', (override, field, message) => {
    const result = categoryForm.safeParse({ name: 'Pothole', group: 'Streets', targetDays: '5', ...override });
    expect(errorsOf(result)[field]).toBe(message);
  });

  it('defaults the description and department', () => {
    expect(categoryForm.parse({ name: 'Pothole', group: 'Streets', targetDays: '5' })).toEqual({ name: 'Pothole', group: 'Streets', targetDays: 5, description: '', departmentId: null });
  });
});

describe('questionForm', () => {
  it('reads choices one per line, keeping codes written before a bar', () => {
    const question = questionForm.parse({ label: 'How deep?', type: 'single', required: 'on', choices: 'shallow | Less than 5 cm\nDeeper than a tyre\n' });
    expect(question).toEqual({
      label: 'How deep?',
      type: 'single',
      required: true,
      public: false,
      choices: [
        { value: 'shallow', label: 'Less than 5 cm' },
        { value: 'deeper-than-a-tyre', label: 'Deeper than a tyre' },
      ],
    });
  });

  it('drops choices for free-text questions', () => {
    expect(questionForm.parse({ label: 'Pole number', type: 'text', choices: 'a\nb' })).toEqual({ label: 'Pole number', type: 'text', required: false, public: false });
  });

  it.each([
    [{ type: 'multi', choices: 'Only one' }, 'choices', /at least 2 choices/],
    [{ type: 'single', choices: 'Yes\nyes' }, 'choices', /Two choices have the code “yes”/],
    [{ type: 'single', choices: 'A B | First\nSecond' }, 'choices', /may use only lowercase letters/],
    [{ type: 'rating' }, 'type', /Choose what kind of answer/],
    [{ label: '' }, 'label', /Enter the question/],
  ])('refuses %j next to %s', (override, field, message) => {
    expect(errorsOf(questionForm.safeParse({ label: 'Q', type: 'text', ...override }))[field]).toMatch(message);
  });
});

describe('profileForm', () => {
  const valid = { accentColor: '#1A4480', phone: '', email: '', website: '', welcomeMessage: '', bannerMessage: '' };

  it('normalises and empties optional fields', () => {
    expect(profileForm.parse({ ...valid, phone: '(617) 555-0100 ext. 12', email: '311@Somerville.example' })).toMatchObject({
      accentColor: '#1a4480',
      phone: '(617) 555-0100 ext. 12',
      email: '311@somerville.example',
      website: null,
      welcomeMessage: null,
      removeLogo: false,
    });
  });

  it.each([
    [{ accentColor: '#ffcc00' }, 'accentColor', /White text on #ffcc00 has a contrast ratio of 1\.\d\d:1; it needs at least 4\.5:1/],
    [{ accentColor: 'navy' }, 'accentColor', /six hexadecimal digits/],
    [{ phone: '555-0100' }, 'phone', /10-digit phone number/],
    [{ website: 'javascript:alert(1)' }, 'website', /starting with https:\/\//],
    [{ website: 'www.example.gov' }, 'website', /starting with https:\/\//],
    [{ email: 'not-an-email' }, 'email', /Enter an email address/],
    [{ welcomeMessage: 'x'.repeat(501) }, 'welcomeMessage', /at most 500/],
    [{ bannerMessage: 'x'.repeat(301) }, 'bannerMessage', /at most 300/],
  ])('refuses %j next to %s', (override, field, message) => {
    expect(errorsOf(profileForm.safeParse({ ...valid, ...override }))[field]).toMatch(message);
  });
});

describe('admin form error wording', () => {
  it('the English catalogue words every code the admin forms can return', () => {
    const t = fixedT('en', 'errors');
    expect(ADMIN_FORM_ERROR_CODES.filter((code) => t(code) === code)).toEqual([]);
  });
});
