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
import { getSession, townRoleOf } from '~/utils/permissions.server';
import { resolveSite, siteOrigin } from '~/utils/town.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: '/uswds/css/uswds.min.css' },
  { rel: 'stylesheet', href: appStyles },
  { rel: 'manifest', href: '/manifest.webmanifest' },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export const meta: MetaFunction = () => [{ title: 'Commonwealth Connect' }];

// The guards in the route loaders below make the same three lookups; they share these (see request-memo.server.ts).
export async function loader(args: LoaderFunctionArgs) {
  const site = await resolveSite(args);
  const session = await getSession(args);
  const user = session?.user ?? null;
  const townRole = user && site.kind === 'town' ? await townRoleOf(args, site.town, user) : null;
  const headers = session?.setCookie ? { 'Set-Cookie': session.setCookie } : undefined;
  return json(
    {
      town: site.kind === 'town' ? site.town : null,
      user: user && { email: user.email, displayName: user.displayName, emailVerified: user.emailVerified, isStateStaff: user.isStateStaff },
      townRole,
      statewideOrigin: siteOrigin(null),
    },
    { headers },
  );
}

export type RootData = ReturnType<typeof useLoaderData<typeof loader>>;

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<typeof loader>('root');
}

function SiteHeader({ data }: { data: RootData | undefined }) {
  const town = data?.town;
  const user = data?.user;
  return (
    <header className="cc-header">
      <div className="cc-header__inner">
        <p className="cc-header__title">
          <Link to="/" className="display-flex flex-align-center">
            {/* Decorative: the link text already names the town. */}
            {town?.logoUrl ? <img src={town.logoUrl} alt="" height={48} className="margin-right-1" style={{ maxHeight: '3rem', width: 'auto' }} /> : null}
            {town ? `${town.name} · Commonwealth Connect` : 'Commonwealth Connect'}
          </Link>
        </p>
        <nav aria-label="Main">
          <ul>
            {town ? (
              <li>
                <Link to="/report">Report a problem</Link>
              </li>
            ) : null}
            {town && data?.townRole ? (
              <li>
                <Link to="/staff">Staff console</Link>
              </li>
            ) : null}
            {town && data?.townRole === 'admin' ? (
              <li>
                <Link to="/admin">Town admin</Link>
              </li>
            ) : null}
            {!town && user?.isStateStaff ? (
              <li>
                <Link to="/state">State console</Link>
              </li>
            ) : null}
            {user ? (
              <>
                <li>
                  <Link to="/account/requests">My requests</Link>
                </li>
                <li>
                  <Link to="/account">
                    <span className="usa-sr-only">Signed in as </span>
                    {user.displayName ?? user.email}
                  </Link>
                </li>
                <li>
                  <Form method="post" action="/logout" className="cc-inline-form">
                    <button type="submit" className="usa-button usa-button--unstyled">
                      Sign out
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <>
                <li>
                  <Link to="/login">Sign in</Link>
                </li>
                <li>
                  <Link to="/signup">Create account</Link>
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
  return (
    <footer className="cc-footer">
      <div>
        {data?.town ? (
          <p>
            {data.town.name} is one of the Massachusetts communities on Commonwealth Connect.{' '}
            <a href={data.statewideOrigin}>All participating cities and towns</a>
          </p>
        ) : null}
        <p>Town boundaries: Office of Geographic Information (MassGIS), Commonwealth of Massachusetts.</p>
      </div>
    </footer>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRootData();
  const nonce = useNonce();
  const accent = data?.town?.accentColor;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body style={accent ? ({ '--town-accent': accent } as React.CSSProperties) : undefined}>
        <a className="usa-skipnav" href="#main-content">
          Skip to main content
        </a>
        <SiteHeader data={data} />
        {data?.town?.bannerMessage ? (
          <section className="usa-site-alert usa-site-alert--info usa-site-alert--slim" aria-label={`Notice from ${data.town.name}`}>
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
  const error = useRouteError();
  const data = useRootData();
  if (isRouteErrorResponse(error)) {
    const detail = error.data as string | { message?: string; statewideOrigin?: string } | null;
    const statewide = data?.statewideOrigin ?? (typeof detail === 'object' ? detail?.statewideOrigin : undefined) ?? '/';
    const message = typeof detail === 'string' ? detail : (detail?.message ?? error.statusText);
    const title =
      error.status === 404 ? 'Page not found' : error.status === 403 ? 'You do not have access to this page' : `Error ${error.status}`;
    return (
      <div className="usa-alert usa-alert--warning" role="alert">
        <div className="usa-alert__body">
          <h1 className="usa-alert__heading">{title}</h1>
          <p className="usa-alert__text">{message}</p>
          <p>
            <a href={statewide}>Go to the Commonwealth Connect statewide site</a> to find your city or town.
          </p>
        </div>
      </div>
    );
  }
  return (
    <div className="usa-alert usa-alert--error" role="alert">
      <div className="usa-alert__body">
        <h1 className="usa-alert__heading">Something went wrong</h1>
        <p className="usa-alert__text">Please try again in a moment. Nothing you sent was half-saved.</p>
        <p>
          <a href={data?.statewideOrigin ?? '/'}>Statewide site</a>
        </p>
      </div>
    </div>
  );
}
