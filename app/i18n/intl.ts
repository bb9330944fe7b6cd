import { useTranslation } from 'react-i18next';
import { intlLocaleFor } from './config';

/** The Intl locale of the page's language, for dateTimeFormat and numberFormat. */
export function useIntlLocale(): string {
  return intlLocaleFor(useTranslation().i18n.language);
}
