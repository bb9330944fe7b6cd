import { fixedT } from '~/i18n/translate';
import { ACCOUNT_FORM_ERROR_CODES } from './account-forms';

describe('account form error wording', () => {
  it('the English catalogue words every code the account forms can return', () => {
    const t = fixedT('en', 'errors');
    expect(ACCOUNT_FORM_ERROR_CODES.filter((code) => t(code) === code)).toEqual([]);
  });
});
