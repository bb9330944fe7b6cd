import { createInstance } from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next, useTranslation } from 'react-i18next';
import { i18nOptions } from './config';
import { TransText } from './trans-text';

const i18n = createInstance();
void i18n.use(initReactI18next).init({ ...i18nOptions, lng: 'en' });

function render(node: React.ReactNode) {
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
}

function Sentence({ townName }: { townName: string }) {
  const { t } = useTranslation();
  // eslint-disable-next-line jsx-a11y/anchor-has-content -- TransText fills the link with the catalogue's words.
  return <TransText t={t} i18nKey="root.nameIsOneOfThe" values={{ name: townName }} components={{ a: <a href="/towns" /> }} />;
}

describe('TransText', () => {
  it('puts the catalogue’s words inside the component', () => {
    expect(render(<Sentence townName="Somerville" />)).toBe(
      'Somerville is one of the Massachusetts communities on Commonwealth Connect. <a href="/towns">All participating cities and towns</a>',
    );
  });

  it('keeps markup in a value as text', () => {
    expect(render(<Sentence townName="Lee & <b>Co</b>" />)).toContain('Lee &amp; &lt;b&gt;Co&lt;/b&gt; is one of');
  });
});
