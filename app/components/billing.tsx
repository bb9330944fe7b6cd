import { useIntlLocale } from '~/i18n/intl';
import { numberFormat } from '~/utils/number-format';

/** Integer cents shown as money in the page language: 490000 → "$4,900.00". */
export function useMoney(): (cents: number, currency?: string) => string {
  const locale = useIntlLocale();
  return (cents, currency = 'usd') => numberFormat(locale, { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);
}
