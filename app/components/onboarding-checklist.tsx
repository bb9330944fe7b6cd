import { useTranslation } from 'react-i18next';
import type { OnboardingChecklist } from '~/modules/towns/onboarding.server';

/** The onboarding checklist, each item saying in words (not colour alone) whether it is done. */
export function OnboardingChecklistList({ checklist }: { checklist: OnboardingChecklist }) {
  const { t } = useTranslation();
  return (
    <ul className="usa-icon-list margin-bottom-2">
      {checklist.items.map(({ item, done }) => (
        <li key={item} className="usa-icon-list__item">
          <div className="usa-icon-list__content">
            <strong className={done ? 'text-green' : 'text-secondary-dark'}>{done ? t('onboardingChecklist.done') : t('onboardingChecklist.toDo')}</strong> {t(`onboardingChecklist.items.${item}`)}
          </div>
        </li>
      ))}
    </ul>
  );
}
