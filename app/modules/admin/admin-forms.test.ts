import type { z } from 'zod';
import { fieldErrorCodesOf } from '~/utils/field-errors';
import { fixedT } from '~/i18n/translate';
import { ADMIN_FORM_ERROR_CODES, categoryForm, codeFrom, profileForm, questionForm, suggestedProgramCategory } from './admin-forms';

const errorsOf = (result: { success: boolean; error?: { issues: z.ZodIssue[] } }) => (result.success ? {} : fieldErrorCodesOf(result.error!.issues));

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
    [{ targetDays: '0' }, 'targetDays', { code: 'adminForm.targetDays.out_of_range', values: { min: 1, max: 60 } }],
    [{ targetDays: '61' }, 'targetDays', { code: 'adminForm.targetDays.out_of_range', values: { min: 1, max: 60 } }],
    [{ targetDays: '2.5' }, 'targetDays', { code: 'adminForm.targetDays.not_whole' }],
    [{ targetDays: 'soon' }, 'targetDays', { code: 'adminForm.targetDays.not_whole' }],
    [{ name: ' ' }, 'name', { code: 'adminForm.name.required' }],
    [{ departmentId: 'streets' }, 'departmentId', { code: 'adminForm.departmentId.invalid' }],
    [{ programCategory: undefined }, 'programCategory', { code: 'adminForm.programCategory.required' }],
    [{ programCategory: ' ' }, 'programCategory', { code: 'adminForm.programCategory.required' }],
    [{ ackTargetDays: '0' }, 'ackTargetDays', { code: 'adminForm.ackTargetDays.out_of_range', values: { min: 1, max: 60 } }],
    [{ ackTargetDays: 'today' }, 'ackTargetDays', { code: 'adminForm.ackTargetDays.not_whole' }],
    [{ ackTargetDays: '6' }, 'ackTargetDays', { code: 'adminForm.ackTargetDays.after_resolution' }],
  ])('refuses %j next to %s', (override, field, error) => {
    const result = categoryForm.safeParse({ name: 'Pothole', group: 'Streets', programCategory: 'pothole', targetDays: '5', ...override });
    expect(errorsOf(result)[field]).toMatchObject(error);
  });

  it('defaults the description and department, never the program category', () => {
    expect(categoryForm.parse({ name: 'Pothole', group: 'Streets', programCategory: 'pothole', targetDays: '5' })).toEqual({
      name: 'Pothole',
      group: 'Streets',
      programCategory: 'pothole',
      targetDays: 5,
      ackTargetDays: 2,
      description: '',
      departmentId: null,
    });
  });
});

describe('suggestedProgramCategory', () => {
  const codes = ['pothole', 'snow-ice', 'other'];

  it('suggests the program category whose code the name would get', () => {
    expect(suggestedProgramCategory('Pothole', codes)).toBe('pothole');
    expect(suggestedProgramCategory('Snow & ice', codes)).toBe(''); // its code would be snow-and-ice
    expect(suggestedProgramCategory('Snow ice', codes)).toBe('snow-ice');
  });

  it('suggests nothing otherwise, not even "other"', () => {
    expect(suggestedProgramCategory('Potholes', codes)).toBe('');
    expect(suggestedProgramCategory('', codes)).toBe('');
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
    [{ type: 'multi', choices: 'Only one' }, 'choices', { code: 'adminForm.choices.too_few', values: { min: 2 } }],
    [{ type: 'single', choices: 'Yes\nyes' }, 'choices', { code: 'adminForm.choices.code_duplicate', values: { code: 'yes' } }],
    [{ type: 'single', choices: 'A B | First\nSecond' }, 'choices', { code: 'adminForm.choices.code_invalid' }],
    [{ type: 'rating' }, 'type', { code: 'adminForm.type.invalid' }],
    [{ label: '' }, 'label', { code: 'adminForm.label.required' }],
  ])('refuses %j next to %s', (override, field, error) => {
    expect(errorsOf(questionForm.safeParse({ label: 'Q', type: 'text', ...override }))[field]).toMatchObject(error);
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
    [{ accentColor: '#ffcc00' }, 'accentColor', { code: 'adminForm.accentColor.low_contrast', values: { colour: '#ffcc00', ratio: expect.stringMatching(/^1\.\d\d:1$/), minimum: 4.5 } }],
    [{ accentColor: 'navy' }, 'accentColor', { code: 'adminForm.accentColor.invalid' }],
    [{ phone: '555-0100' }, 'phone', { code: 'adminForm.phone.invalid' }],
    [{ website: 'javascript:alert(1)' }, 'website', { code: 'adminForm.website.invalid' }],
    [{ website: 'www.example.gov' }, 'website', { code: 'adminForm.website.invalid' }],
    [{ email: 'not-an-email' }, 'email', { code: 'adminForm.profileEmail.invalid' }],
    [{ welcomeMessage: 'x'.repeat(501) }, 'welcomeMessage', { code: 'adminForm.text.too_long', values: { max: 500 } }],
    [{ bannerMessage: 'x'.repeat(301) }, 'bannerMessage', { code: 'adminForm.text.too_long', values: { max: 300 } }],
  ])('refuses %j next to %s', (override, field, error) => {
    expect(errorsOf(profileForm.safeParse({ ...valid, ...override }))[field]).toMatchObject(error);
  });
});

describe('admin form error wording', () => {
  it('the English catalogue words every code the admin forms can return', () => {
    const t = fixedT('en', 'errors');
    expect(ADMIN_FORM_ERROR_CODES.filter((code) => t(code) === code)).toEqual([]);
  });
});
