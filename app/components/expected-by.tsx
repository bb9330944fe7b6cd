import { useTranslation } from 'react-i18next';
import { useIntlLocale } from '~/i18n/intl';
import { formatExpectedDay, type ResidentExpectation } from '~/modules/requests/service-levels';

/**
 * The town's target as residents read it (docs/decisions/0026): "Expected by Fri, Dec 12" while it
 * is ahead, "taking longer than the town's target" once it has passed, nothing once closed. The
 * server decides which, so the page never shows a date that has silently expired.
 */
export function ExpectedBy({ expectation, townName, timeZone }: { expectation: ResidentExpectation; townName: string; timeZone: string }) {
  const { t } = useTranslation();
  const locale = useIntlLocale();
  if (!expectation) return null;
  if (expectation.kind === 'late') return <span className="text-bold">{t('expectedBy.late', { townName })}</span>;
  return (
    <span>
      {t('expectedBy.expected')} <time dateTime={expectation.by}>{formatExpectedDay(expectation.by, timeZone, locale)}</time>
    </span>
  );
}
