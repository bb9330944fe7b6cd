import type { InitOptions } from 'i18next';
import { common } from './en/common';
import { emails } from './en/emails';
import { errors } from './en/errors';

/** The catalogues, bundled into server and client: the app works offline and English is small. */
export const resources = { en: { common, emails, errors } };

export const supportedLanguages = ['en'] as const;
export type Language = (typeof supportedLanguages)[number];
export const fallbackLanguage: Language = 'en';

/** Dates and numbers follow the language's regional conventions; Massachusetts English is en-US. */
const intlLocales: Record<Language, string> = { en: 'en-US' };

export function intlLocaleFor(language: string): string {
  return intlLocales[language as Language] ?? intlLocales[fallbackLanguage];
}

export const i18nOptions = {
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  ns: ['common', 'emails', 'errors'],
  defaultNS: 'common',
  resources,
  // React escapes what it renders and the email builders escape their HTML part, so i18next must not escape too.
  interpolation: { escapeValue: false },
  // With the resources in memory, init is synchronous: the first render already has its strings.
  initImmediate: false,
} satisfies InitOptions;
