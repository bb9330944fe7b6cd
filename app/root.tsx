import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import appStyles from '~/styles/app.css';
import { useNonce } from '~/utils/nonce-provider';
import { getOptionalUser, townRoleOf } from '~/utils/permissions.server';
import { resolveSite, siteOrigin } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { useChangeLanguage } from 'remix-i18next/react';
import { fallbackLanguage } from '~/i18n/config';
import { i18nServer } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { keepOnQueryChange } from '~/utils/revalidation';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: '/uswds/css/uswds.min.css' },
  { rel: 'stylesheet', href: appStyles },
  { rel: 'manifest', href: '/manifest.webmanifest' },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('root.commonwealthConnect') }];

export const shouldRevalidate = keepOnQueryChange;

// The guards in the route loaders below make the same three lookups; they share these (see request-memo.server.ts).
export async function loader(args: LoaderFunctionArgs) {
  const site = await resolveSite(args);
  const user = await getOptionalUser(args);
  const townRole = user && site.kind === 'town' ? await townRoleOf(args, site.town, user) : null;
  return json({
    locale: await i18nServer.getLocale(args.request),
    town: site.kind === 'town' ? site.town : null,
    user: user && { email: user.email, displayName: user.displayName, emailVerified: user.emailVerified, isStateStaff: user.isStateStaff },
    townRole,
    statewideOrigin: siteOrigin(null),
  });
}

export type RootData = ReturnType<typeof useLoaderData<typeof loader>>;

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<typeof loader>('root');
}

function SiteHeader({ data }: { data: RootData | undefined }) {
  const { t } = useTranslation();
  const town = data?.town;
  const user = data?.user;
  return (
    <header className="cc-header">
      <div className="cc-header__inner">
        <p className="cc-header__title">
          <Link to="/" className="display-flex flex-align-center">
            {/* Decorative: the link text already names the town. */}
            {town?.logoUrl ? <img src={town.logoUrl} alt="" height={48} className="margin-right-1" style={{ maxHeight: '3rem', width: 'auto' }} /> : null}
            {town ? t('root.nameCommonwealthConnect', { name: town.name }) : t('root.commonwealthConnect')}
          </Link>
        </p>
        <nav aria-label={t('root.main')}>
          <ul>
            {town ? (
              <li>
                <Link to="/report">{t('root.reportAProblem')}</Link>
              </li>
            ) : null}
            {town && data?.townRole ? (
              <li>
                <Link to="/staff">{t('root.staffConsole')}</Link>
              </li>
            ) : null}
            {town && data?.townRole === 'admin' ? (
              <li>
                <Link to="/admin">{t('root.townAdmin')}</Link>
              </li>
            ) : null}
            {!town && user?.isStateStaff ? (
              <li>
                <Link to="/state">{t('root.stateConsole')}</Link>
              </li>
            ) : null}
            {user ? (
              <>
                <li>
                  <Link to="/account/requests">{t('root.myRequests')}</Link>
                </li>
                <li>
                  <Link to="/account">
                    <span className="usa-sr-only">{t('root.signedInAs')}</span>
                    {user.displayName ?? user.email}
                  </Link>
                </li>
                <li>
                  <Form method="post" action="/logout" className="cc-inline-form">
                    <button type="submit" className="usa-button usa-button--unstyled">{t('root.signOut')}</button>
                  </Form>
                </li>
              </>
            ) : (
              <>
                <li>
                  <Link to="/login">{t('root.signIn')}</Link>
                </li>
                <li>
                  <Link to="/signup">{t('root.createAccount')}</Link>
                </li>
              </>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

function SiteFooter({ data }: { data: RootData | undefined }) {
  const { t } = useTranslation();
  return (
    <footer className="cc-footer">
      <div>
        {data?.town ? (
          <p>
            {/* eslint-disable-next-line jsx-a11y/anchor-has-content -- Trans fills the link with the catalogue's words. */}
            <TransText t={t} i18nKey="root.nameIsOneOfThe" values={{ name: data.town.name }} components={{ a: <a href={data.statewideOrigin} /> }} />
          </p>
        ) : null}
        <p>{t('root.townBoundariesOfficeOfGeographic')}</p>
      </div>
    </footer>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const data = useRootData();
  const nonce = useNonce();
  const accent = data?.town?.accentColor;
  // Without root data (the root loader failed) the page is in the fallback language, like entry.server's render.
  const locale = data?.locale ?? fallbackLanguage;
  useChangeLanguage(locale);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body style={accent ? ({ '--town-accent': accent } as React.CSSProperties) : undefined}>
        <a className="usa-skipnav" href="#main-content">{t('root.skipToMainContent')}</a>
        <SiteHeader data={data} />
        {data?.town?.bannerMessage ? (
          <section className="usa-site-alert usa-site-alert--info usa-site-alert--slim" aria-label={t('root.noticeFromName', { name: data.town.name })}>
            <div className="usa-alert">
              <div className="usa-alert__body">
                <p className="usa-alert__text">{data.town.bannerMessage}</p>
              </div>
            </div>
          </section>
        ) : null}
        <main id="main-content" className="cc-main" tabIndex={-1}>
          {children}
        </main>
        <SiteFooter data={data} />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  const error = useRouteError();
  const data = useRootData();
  if (isRouteErrorResponse(error)) {
    const detail = error.data as string | { message?: string; statewideOrigin?: string } | null;
    const statewide = data?.statewideOrigin ?? (typeof detail === 'object' ? detail?.statewideOrigin : undefined) ?? '/';
    const message = typeof detail === 'string' ? detail : (detail?.message ?? error.statusText);
    const title =
      error.status === 404 ? t('errors:boundary.notFound') : error.status === 403 ? t('errors:boundary.forbidden') : t('errors:boundary.status', { status: error.status });
    return (
      <div className="usa-alert usa-alert--warning" role="alert">
        <div className="usa-alert__body">
          <h1 className="usa-alert__heading">{title}</h1>
          <p className="usa-alert__text">{message}</p>
          <p>
            {/* eslint-disable-next-line jsx-a11y/anchor-has-content -- Trans puts the catalogue's link text inside. */}
            <TransText t={t} i18nKey="errors:boundary.statewide" components={{ a: <a href={statewide} /> }} />
          </p>
        </div>
      </div>
    );
  }
  return (
    <div className="usa-alert usa-alert--error" role="alert">
      <div className="usa-alert__body">
        <h1 className="usa-alert__heading">{t('errors:boundary.unexpected')}</h1>
        <p className="usa-alert__text">{t('errors:boundary.unexpectedDetail')}</p>
        <p>
          <a href={data?.statewideOrigin ?? '/'}>{t('errors:boundary.statewideLink')}</a>
        </p>
      </div>
    </div>
  );
}
