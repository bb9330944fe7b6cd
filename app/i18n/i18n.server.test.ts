import { createInstance } from 'i18next';
import { i18nOptions } from './config';
import { rememberPlainTranslations } from './i18n.server';

async function instances() {
  const plain = createInstance();
  await plain.init({ ...i18nOptions, lng: 'en' });
  const remembering = createInstance();
  await remembering.init({ ...i18nOptions, lng: 'en' });
  return { plain, remembering: rememberPlainTranslations(remembering) };
}

describe('remembered plain translations', () => {
  it('give what i18next gives, asked once or many times, through getFixedT as components ask', async () => {
    const { plain, remembering } = await instances();
    const calls: [string, Record<string, unknown>?][] = [
      ['accountRequests.show'],
      ['accountRequests.count', { count: 1 }],
      ['accountRequests.count', { count: 7 }],
      ['accountRequests.countOnPage', { count: 2, page: 1, pages: 3 }],
      ['errors:boundaryFile.fileTooLarge', { maxMb: 5 }],
      ['errors:boundaryFile.fileRequired'],
      ['no.such.key'],
    ];
    for (const round of [1, 2, 3]) {
      for (const [ns, keyPrefix] of [[undefined, undefined], ['common', undefined], [['common', 'errors'], undefined], ['common', 'accountRequests']] as const) {
        const expected = plain.getFixedT('en', ns as never, keyPrefix);
        const actual = remembering.getFixedT('en', ns as never, keyPrefix);
        for (const [key, options] of calls) {
          const asked = keyPrefix ? key.replace(`${keyPrefix}.`, '') : key;
          expect(`${round} ${String(ns)} ${asked}: ${String(actual(asked, options as never))}`).toBe(`${round} ${String(ns)} ${asked}: ${String(expected(asked, options as never))}`);
        }
      }
      expect(remembering.t('accountRequests.show')).toBe('Show');
      // react-i18next's useTranslation asks getFixedT(null, …), for the instance's own language.
      expect(remembering.getFixedT(null, 'common')('accountRequests.show')).toBe('Show');
    }
  });

  it('forget what they remembered when the catalogue changes', async () => {
    const { remembering } = await instances();
    const t = remembering.getFixedT('en', 'common');
    expect(t('accountRequests.show')).toBe('Show');
    remembering.addResource('en', 'common', 'accountRequests.show', 'Display');
    expect(t('accountRequests.show')).toBe('Display');
    remembering.addResourceBundle('en', 'common', { accountRequests: { show: 'Reveal' } }, true, true);
    expect(t('accountRequests.show')).toBe('Reveal');
  });
});
