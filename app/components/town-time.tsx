import { useIntlLocale } from '~/i18n/intl';
import { dateTimeFormat } from '~/utils/date-format';

/** A moment shown in the town's own timezone, identical on server and client, in the page language's conventions. */
export function TownTime({ value, timeZone }: { value: string | Date; timeZone: string }) {
  const date = typeof value === 'string' ? new Date(value) : value;
  const text = dateTimeFormat(useIntlLocale(), { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(date);
  return <time dateTime={date.toISOString()}>{text}</time>;
}
