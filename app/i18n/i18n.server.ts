import { createInstance, type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { RemixI18Next } from 'remix-i18next/server';
import { fallbackLanguage, i18nOptions, supportedLanguages } from './config';
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
  return rememberPlainTranslations(instance);
}

/** The options `getFixedT`'s `t` adds to a call that brought none of its own. */
const FIXED_T_OPTIONS = new Set(['lng', 'lngs', 'ns', 'keyPrefix']);

/**
 * Remembers each string `t` gave for a key asked without values (labels, headings: most of a page's
 * calls). i18next resolves every call afresh, which was about a tenth of a staff page's render.
 * Calls with values or other options go to i18next as before; a change to the catalogue forgets all.
 */
export function rememberPlainTranslations(instance: i18n): i18n {
  const translate = instance.t.bind(instance);
  const remembered = new Map<string, string>();
  instance.store.on('added', () => remembered.clear());
  instance.store.on('removed', () => remembered.clear());
  const plainKey = (key: unknown, options: unknown): string | null => {
    if (typeof key !== 'string') return null;
    if (options === undefined) return `${instance.language}\u0000\u0000${key}`;
    if (typeof options !== 'object' || options === null) return null;
    const { lng, lngs, ns, keyPrefix } = options as Record<string, unknown>;
    if (lngs != null || keyPrefix != null || Object.keys(options).some((name) => !FIXED_T_OPTIONS.has(name))) return null;
    if ((lng !== undefined && typeof lng !== 'string') || !(ns === undefined || typeof ns === 'string' || Array.isArray(ns))) return null;
    return `${lng ?? instance.language}\u0000${Array.isArray(ns) ? ns.join(',') : (ns ?? '')}\u0000${key}`;
  };
  instance.t = ((key: string, options?: object) => {
    const memo = plainKey(key, options);
    if (memo === null) return translate(key, options as never);
    let text = remembered.get(memo);
    if (text === undefined) {
      const result: unknown = translate(key, options as never);
      if (typeof result !== 'string') return result;
      text = result;
      remembered.set(memo, text);
    }
    return text;
  }) as i18n['t'];
  return instance;
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
