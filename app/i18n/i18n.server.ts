import { createInstance } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { RemixI18Next } from 'remix-i18next/server';
import { fallbackLanguage, i18nOptions, supportedLanguages } from './config';
import { rememberTranslations } from './remembered-translations';
import { fixedT } from './translate';

/** Picks the request's language: ?lng=, then Accept-Language, then English. */
export const i18nServer = new RemixI18Next({
  detection: { supportedLanguages: [...supportedLanguages], fallbackLanguage },
  i18next: i18nOptions,
});

// One instance per language, made once: server rendering only reads it (the root's useChangeLanguage
// is an effect, which never runs on the server), so concurrent documents can share it.
const documentInstances = new Map<string, ReturnType<typeof createDocumentInstance>>();

async function createDocumentInstance(language: string) {
  const instance = createInstance();
  await instance.use(initReactI18next).init({ ...i18nOptions, lng: language });
  return rememberTranslations(instance);
}

/** The i18next instance a document renders with, in the request's language. */
export async function i18nForDocument(request: Request) {
  const language = await i18nServer.getLocale(request);
  let instance = documentInstances.get(language);
  if (!instance) {
    instance = createDocumentInstance(language);
    documentInstances.set(language, instance);
  }
  return instance;
}

/** The `t` of a loader or action, for the words it returns, in the request's language. */
export async function requestT(request: Request, namespace?: string) {
  return fixedT(await i18nServer.getLocale(request), namespace);
}
