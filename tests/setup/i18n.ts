import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { i18nOptions } from '~/i18n/config';

// Components rendered on their own, outside entry.server's provider, read the English catalogue.
void i18next.use(initReactI18next).init({ ...i18nOptions, lng: 'en' });
