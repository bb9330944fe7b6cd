import type { TFunction } from 'i18next';
import { fallbackLanguage } from '~/i18n/config';
import { fixedT } from '~/i18n/translate';

/** The wording of one recipient's email. Accounts store no language yet, so every email is in the fallback, English. */
export function recipientT(): TFunction {
  return fixedT(fallbackLanguage, 'emails');
}
