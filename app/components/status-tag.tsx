import type { RequestStatus } from '#db/vocabulary';
import { isOpenStatus, STATUS_LABEL } from '~/modules/requests/statuses';

export function StatusTag({ status }: { status: RequestStatus }) {
  return <span className={`usa-tag ${isOpenStatus(status) ? 'cc-tag--open' : 'cc-tag--closed'}`}>{STATUS_LABEL[status]}</span>;
}
