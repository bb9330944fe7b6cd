import { createInstance } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { RemixI18Next } from 'remix-i18next/server';
import { fallbackLanguage, i18nOptions, supportedLanguages } from './config';
import { fixedT } from './translate';

/** Picks the request's language: ?lng=, then Accept-Language, then English. */
export const i18nServer = new RemixI18Next({
  detection: { supportedLanguages: [...supportedLanguages], fallbackLanguage },
  i18next: i18nOptions,
});

/** A fresh instance per rendered document, so concurrent requests never share a language. */
export async function i18nForDocument(request: Request) {
  const instance = createInstance();
  await instance.use(initReactI18next).init({ ...i18nOptions, lng: await i18nServer.getLocale(request) });
  return instance;
}

/** The `t` of a loader or action, for the words it returns, in the request's language. */
export async function requestT(request: Request, namespace?: string) {
  return fixedT(await i18nServer.getLocale(request), namespace);
}
