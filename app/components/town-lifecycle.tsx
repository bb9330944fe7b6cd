import { useTranslation } from 'react-i18next';
import type { TownLifecycle } from '~/modules/towns/lifecycle';
import { useIntlLocale } from '~/i18n/intl';
import { dateTimeFormat } from '~/utils/date-format';

/** A calendar day (YYYY-MM-DD), written out in the page language: "Friday, December 12, 2026". */
export function useCalendarDay(): (day: string) => string {
  const format = dateTimeFormat(useIntlLocale(), { timeZone: 'UTC', dateStyle: 'full' });
  return (day) => format.format(new Date(`${day}T00:00:00Z`));
}

/** The town's lifecycle state and what comes next, in one sentence: "Grace period: the service stops on …". */
export function TownLifecycleSummary({ lifecycle }: { lifecycle: TownLifecycle }) {
  const { t } = useTranslation();
  const day = useCalendarDay();
  return (
    <>
      <strong>{t(`townLifecycle.${lifecycle.state}`)}</strong>
      {lifecycle.until ? ` ${t(`townLifecycleDetail.${lifecycle.renews ? 'renews' : lifecycle.state}`, { until: day(lifecycle.until), count: lifecycle.daysLeft ?? 0 })}` : ''}
    </>
  );
}
