import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';

type Contact = { phone: string | null; email: string | null; website: string | null };

/** How to reach the town directly: its phone, email and website, as its admin published them. */
export function TownContactDetails({ contact, name }: { contact: Contact; name: string }) {
  const { t } = useTranslation();
  if (!contact.phone && !contact.email && !contact.website) {
    return <p>{t('townContact.nameHasNotPublishedIts', { name })}</p>;
  }
  return (
    <ul className="usa-list usa-list--unstyled">
      {contact.phone ? (
        <li>
          {/* eslint-disable-next-line jsx-a11y/anchor-has-content -- Trans fills the link with the catalogue's words. */}
          <TransText t={t} i18nKey="townContact.phonePhone" values={{ phone: contact.phone }} components={{ a: <a href={`tel:${contact.phone}`} /> }} />
        </li>
      ) : null}
      {contact.email ? (
        <li>
          {/* eslint-disable-next-line jsx-a11y/anchor-has-content -- Trans fills the link with the catalogue's words. */}
          <TransText t={t} i18nKey="townContact.emailEmail" values={{ email: contact.email }} components={{ a: <a href={`mailto:${contact.email}`} /> }} />
        </li>
      ) : null}
      {contact.website ? (
        <li>
          {/* eslint-disable-next-line jsx-a11y/anchor-has-content -- Trans fills the link with the catalogue's words. */}
          <TransText t={t} i18nKey="townContact.websiteWebsite" values={{ website: contact.website }} components={{ a: <a href={contact.website} /> }} />
        </li>
      ) : null}
    </ul>
  );
}

/**
 * Why this town's site takes no reports: still onboarding ("coming soon"), its service lapsed, or
 * it left the program. Existing requests stay public in every case, so the notice points to them.
 */
export function TownIntakeNotice({ reason, town }: { reason: 'onboarding' | 'lapsed' | 'left'; town: { name: string; contact: Contact } }) {
  const { t } = useTranslation();
  return (
    <div className="usa-alert usa-alert--info" role="region" aria-labelledby="town-intake-heading">
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading" id="town-intake-heading">
          {t(`townContact.closedHeading.${reason}`, { name: town.name })}
        </h2>
        <p className="usa-alert__text">{t(`townContact.closedText.${reason}`, { name: town.name })}</p>
        <TownContactDetails contact={town.contact} name={town.name} />
      </div>
    </div>
  );
}
