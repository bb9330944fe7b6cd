import { useTranslation } from 'react-i18next';

/** The spot is in a city or town that does not use Commonwealth Connect: say where to go instead, never a dead end. */
export function MunicipalGuidance({ name, guidance }: { name: string; guidance: { requestSystem: string | null; directoryUrl: string } }) {
  const { t } = useTranslation();
  return (
    <section className="usa-alert usa-alert--info margin-bottom-2" aria-labelledby="not-participating-heading">
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading" id="not-participating-heading">
          {t('report.entry.notParticipatingHeading', { name })}
        </h2>
        <p className="usa-alert__text">{t('report.entry.notParticipatingText', { name })}</p>
        <ul className="usa-list">
          {guidance.requestSystem ? (
            <li>
              <a href={guidance.requestSystem}>{t('report.entry.ownRequestSystem', { name })}</a>
            </li>
          ) : null}
          <li>
            <a href={guidance.directoryUrl}>{t('report.entry.directory', { name })}</a>
          </li>
          <li>{t('report.entry.emergencies')}</li>
        </ul>
      </div>
    </section>
  );
}
