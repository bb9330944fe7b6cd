import { useTranslation } from 'react-i18next';
import type { RequestStatus } from '#db/vocabulary';
import { isOpenStatus } from '~/modules/requests/statuses';

export function StatusTag({ status }: { status: RequestStatus }) {
  const { t } = useTranslation();
  return <span className={`usa-tag ${isOpenStatus(status) ? 'cc-tag--open' : 'cc-tag--closed'}`}>{t(`requestStatus.${status}`)}</span>;
}
