import type { MetaFunction } from '@remix-run/node';
import { createInstance, type TFunction } from 'i18next';
import { fallbackLanguage, i18nOptions } from './config';
import { rememberTranslations } from './remembered-translations';

// One read-only instance for strings made outside React: emails and page titles. getFixedT never
// changes its language, so requests in different languages can share it.
const catalogue = createInstance(i18nOptions);
void catalogue.init();
rememberTranslations(catalogue);

export function fixedT(language: string, namespace?: string): TFunction {
  return catalogue.getFixedT(language, namespace);
}

/** The `t` of a `meta` function, in the language the root loader chose. */
export function metaT(matches: Parameters<MetaFunction>[0]['matches']): TFunction {
  const root = matches.find((match) => match.id === 'root')?.data as { locale?: string } | undefined;
  return fixedT(root?.locale ?? fallbackLanguage);
}
