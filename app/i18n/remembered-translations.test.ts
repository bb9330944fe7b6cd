import { createInstance } from 'i18next';
import { i18nOptions } from './config';
import { rememberTranslations } from './remembered-translations';

async function instances(limit?: number) {
  const plain = createInstance();
  await plain.init({ ...i18nOptions, lng: 'en' });
  const remembering = createInstance();
  await remembering.init({ ...i18nOptions, lng: 'en' });
  return { plain, remembering: rememberTranslations(remembering, limit) };
}

/** Counts the calls that reach i18next's own translator, under the memo. */
function countTranslatorCalls(instance: Awaited<ReturnType<typeof instances>>['remembering']) {
  const translator = (instance as unknown as { translator: { translate: (...args: unknown[]) => unknown } }).translator;
  const translate = translator.translate.bind(translator);
  const counted = { calls: 0 };
  translator.translate = (...args: unknown[]) => {
    counted.calls++;
    return translate(...args);
  };
  return counted;
}

describe('remembered translations', () => {
  it('give what i18next gives, asked once or many times, through getFixedT as components ask', async () => {
    const { plain, remembering } = await instances();
    const calls: [string, Record<string, unknown>?][] = [
      ['accountRequests.show'],
      ['accountRequests.count', { count: 1 }],
      ['accountRequests.count', { count: 7 }],
      ['accountRequests.countOnPage', { count: 2, page: 1, pages: 3 }],
      ['errors:boundaryFile.fileTooLarge', { maxMb: 5 }],
      ['errors:boundaryFile.fileRequired'],
      ['staffIndex.days', { count: 4, formatted: '4' }],
      ['staffIndex.days', { count: '4', formatted: '4' }],
      ['staffIndex.selectTrackingnumber', { trackingNumber: 'SOM-1082' }],
      ['staffIndex.selectTrackingnumber', { trackingNumber: 'SOM-1083' }],
      ['staffIndex.selectTrackingnumber', { trackingNumber: { toString: () => 'SOM-1084' } }],
      ['accountRequests.countOnPage', { count: 2, page: 1, pages: 3, replace: { page: 9 } }],
      ['no.such.key'],
      ['no.such.key', { defaultValue: 'Fallback' }],
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

  it('keep apart calls whose values differ, however the values are written', async () => {
    const { plain, remembering } = await instances();
    const t = remembering.getFixedT('en', 'common');
    const expected = plain.getFixedT('en', 'common');
    // The same text split differently between two values, and a number against its digits.
    const calls: Record<string, unknown>[] = [
      { range: '1–2,3', total: '4', order: 'newest' },
      { range: '1–2', total: '3,4', order: 'newest' },
      { range: '1–2\u00003', total: '4', order: 'newest' },
      { range: '1–2', total: '3\u00004', order: 'newest' },
      { range: 1, total: 3, order: 'newest' },
      { range: '1', total: '3', order: 'newest' },
      { range: Number.NaN, total: 3, order: 'newest' },
      { range: Number.POSITIVE_INFINITY, total: 3, order: 'newest' },
    ];
    for (const round of [1, 2]) {
      for (const values of calls) expect(`${round} ${t('staffIndex.tableCaption', values)}`).toBe(`${round} ${expected('staffIndex.tableCaption', values)}`);
    }
  });

  it('ask i18next once for a repeated call with plain values, and again for one with an object', async () => {
    const { remembering } = await instances();
    const counted = countTranslatorCalls(remembering);
    const t = remembering.getFixedT(null, 'common');
    for (let row = 0; row < 3; row++) {
      t('staffIndex.days', { count: 4, formatted: '4' });
      t('staffIndex.selectTrackingnumber', { trackingNumber: 'SOM-1082' });
    }
    expect(counted.calls).toBe(2);
    for (let row = 0; row < 3; row++) t('staffIndex.selectTrackingnumber', { trackingNumber: { toString: () => 'SOM-1082' } });
    expect(counted.calls).toBe(5);
  });

  it('start afresh past their limit, still giving the right strings', async () => {
    const { plain, remembering } = await instances(2);
    const counted = countTranslatorCalls(remembering);
    const t = remembering.getFixedT(null, 'common');
    const select = (trackingNumber: string) => t('staffIndex.selectTrackingnumber', { trackingNumber });
    select('SOM-1');
    select('SOM-2');
    select('SOM-1');
    expect(counted.calls).toBe(2);
    // A third call fills the memo past two: it starts afresh, so SOM-1 is asked of i18next again.
    select('SOM-3');
    expect(select('SOM-1')).toBe(plain.getFixedT(null, 'common')('staffIndex.selectTrackingnumber', { trackingNumber: 'SOM-1' }));
    expect(counted.calls).toBe(4);
  });
});
