import type { i18n } from 'i18next';

/**
 * Values i18next turns into text the same way every time and JSON writes apart: objects and
 * functions may not, and JSON writes NaN and Infinity alike, as null.
 */
const isPlainValue = (value: unknown) => typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/** Tracking numbers and counts make new calls without end; past this many, start afresh. */
const REMEMBERED_LIMIT = 10_000;

/**
 * Remembers the string `t` gave for each call whose options are plain values: labels and headings,
 * and the per-row "Select SOM-1082" and "4 days" of a staff queue. i18next resolves every call
 * afresh, about a sixth of a staff page's render. Calls with object or function options, key
 * prefixes or several languages go to i18next as before; a change to the catalogue forgets all.
 */
export function rememberTranslations(instance: i18n, limit = REMEMBERED_LIMIT): i18n {
  const translate = instance.t.bind(instance);
  const remembered = new Map<string, string>();
  instance.store.on('added', () => remembered.clear());
  instance.store.on('removed', () => remembered.clear());
  // JSON keeps "1" apart from 1 and a value holding a separator apart from two values: calls from
  // every town share this memo, so no two different calls may share a key.
  const callKey = (key: unknown, options: unknown): string | null => {
    if (typeof key !== 'string') return null;
    if (options === undefined) return JSON.stringify([instance.language, key]);
    if (typeof options !== 'object' || options === null) return null;
    const { lng, lngs, ns, keyPrefix, ...values } = options as Record<string, unknown>;
    if (lngs != null || keyPrefix != null) return null;
    if (lng !== undefined && typeof lng !== 'string') return null;
    if (!(ns === undefined || typeof ns === 'string' || (Array.isArray(ns) && ns.every((name) => typeof name === 'string')))) return null;
    if (!Object.values(values).every(isPlainValue)) return null;
    return JSON.stringify([lng ?? instance.language, key, ns ?? null, values]);
  };
  instance.t = ((key: string, options?: object) => {
    const memo = callKey(key, options);
    if (memo === null) return translate(key, options as never);
    let text = remembered.get(memo);
    if (text === undefined) {
      const result: unknown = translate(key, options as never);
      if (typeof result !== 'string') return result;
      text = result;
      if (remembered.size >= limit) remembered.clear();
      remembered.set(memo, text);
    }
    return text;
  }) as i18n['t'];
  return instance;
}
