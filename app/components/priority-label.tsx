import { useTranslation } from 'react-i18next';
import type { RequestPriority } from '#db/vocabulary';

/** A request's priority, urgent and high made to stand out; `withName` says "Priority: …" where no column header does. */
export function PriorityLabel({ priority, withName = false }: { priority: RequestPriority; withName?: boolean }) {
  const { t } = useTranslation();
  const label = t(`requestPriority.${priority}`);
  return <span className={`cc-priority cc-priority--${priority}`}>{withName ? t('priorityLabel.named', { priority: label }) : label}</span>;
}
