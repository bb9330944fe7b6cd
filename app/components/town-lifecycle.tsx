import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { TownLifecycle } from '~/modules/towns/lifecycle';
import { useIntlLocale } from '~/i18n/intl';
import { dateTimeFormat } from '~/utils/date-format';

/** A calendar day (YYYY-MM-DD), written out in the page language: "Friday, December 12, 2026". */
export function useCalendarDay(): (day: string) => string {
  const format = dateTimeFormat(useIntlLocale(), {
    timeZone: 'UTC',
    dateStyle: 'full',
  });
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

/**
 * For the town's staff and admins while the paid service has ended: in grace, the day it stops and
 * the way to subscribe; once lapsed, that reports have stopped and their data stays theirs.
 */
export function ServiceStatusBanner({ lifecycle, townName, canSubscribe }: { lifecycle: TownLifecycle; townName: string; canSubscribe: boolean }) {
  const { t } = useTranslation();
  const day = useCalendarDay();
  if ((lifecycle.state !== 'grace' && lifecycle.state !== 'lapsed') || !lifecycle.until) return null;
  const values = {
    name: townName,
    until: day(lifecycle.until),
    count: lifecycle.daysLeft ?? 0,
  };
  return (
    <section className={`usa-alert usa-alert--${lifecycle.state === 'grace' ? 'warning' : 'error'} margin-bottom-3`} aria-labelledby="service-status-heading">
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading" id="service-status-heading">
          {t(`serviceStatus.${lifecycle.state}.heading`, values)}
        </h2>
        <p className="usa-alert__text">{t(`serviceStatus.${lifecycle.state}.text`, values)}</p>
        <p className="usa-alert__text">{canSubscribe ? <Link to="/admin/billing">{t('serviceStatus.subscribe')}</Link> : t('serviceStatus.askAdmin')}</p>
      </div>
    </section>
  );
}
