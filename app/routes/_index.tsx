import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { StatewideMap, statewideMapLinks } from '~/components/statewide-map';
import { StatusTag } from '~/components/status-tag';
import { TownContactDetails, TownIntakeNotice } from '~/components/town-contact';
import { groupCategories } from '~/modules/categories/categories.server';
import { findMunicipality } from '~/modules/geo/municipalities.server';
import { getStatewideMap } from '~/modules/geo/statewide-map.server';
import { loadTownHome } from '~/modules/requests/request-queries.server';
import { intakeOf } from '~/modules/towns/town-lifecycle.server';
import { listTowns } from '~/utils/town-profile.server';
import { resolveSite, siteOrigin } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { sharedWithSignedOutVisitors } from '~/utils/shared-page-cache.server';

// A signed-out visitor sees what every other one does, so a copy can serve the next few seconds' visitors.
export const headers = sharedWithSignedOutVisitors;

export const links: LinksFunction = () => statewideMapLinks();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data?.kind === 'town' ? metaT(matches)('index.pageTitle', { townName: data.town.name }) : metaT(matches)('index.statewideTitle') },
];

export async function loader(args: LoaderFunctionArgs) {
  const site = await resolveSite(args);
  if (site.kind === 'town') {
    const { categories, recent } = await loadTownHome(site.town.id, 5);
    const intake = intakeOf(site.town);
    return json({ kind: 'town' as const, town: site.town, closedBecause: intake.open ? null : intake.reason, categories: groupCategories(categories), recent });
  }
  // The map draws MassGIS shapes under MassGIS slugs; a town added in the app may go by another slug.
  // Towns still onboarding or gone from the program take no reports, so they are not offered here.
  const towns = (await listTowns())
    .filter((t) => intakeOf(t).open)
    .map((t) => ({
      slug: t.slug,
      mapSlug: findMunicipality(t.id)?.slug ?? t.slug,
      name: t.name,
      type: t.type,
      accentColor: t.accentColor,
      href: siteOrigin(t.slug),
    }));
  return json({ kind: 'statewide' as const, towns, map: getStatewideMap() });
}

export default function Home() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  if (data.kind === 'town') {
    const { town } = data;
    return (
      <>
        <h1>{town.name}</h1>
        <p className="usa-intro">{t('index.seeAPotholeABroken', { name: town.name, type: town.type })}</p>
        {data.closedBecause ? (
          <TownIntakeNotice reason={data.closedBecause} town={town} />
        ) : (
          <p>
            <Link to="/report" className="usa-button usa-button--big cc-button-accent">
              {t('index.reportAProblem')}
            </Link>
          </p>
        )}
        {town.welcomeMessage ? (
          // The admin's own line breaks are kept; the text is never parsed as HTML.
          <p style={{ whiteSpace: 'pre-line' }}>{town.welcomeMessage}</p>
        ) : null}
        <p>
          <Link to="/requests">{t('index.seeReportedProblemsInName', { name: town.name })}</Link> · <Link to="/track">{t('index.trackARequest')}</Link>
        </p>
        {data.recent.length > 0 ? (
          <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">{t('index.recentlyReported')}</h2>
            <ul className="cc-request-list">
              {data.recent.map((r) => (
                <li key={r.trackingNumber}>
                  <div>
                    <Link to={`/requests/${r.trackingNumber}`}>
                      {r.trackingNumber}: {r.categoryName}
                    </Link>{' '}
                    <StatusTag status={r.status} />
                    <br />
                    {r.description.slice(0, 140)}
                  </div>
                </li>
              ))}
            </ul>
            <p>
              <Link to="/requests">{t('index.allReportedProblemsWithFilters')}</Link>
            </p>
          </section>
        ) : null}
        <h2>{t('index.whatYouCanReport')}</h2>
        {data.categories.map((group) => (
          <section key={group.group} aria-labelledby={`group-${group.group}`}>
            <h3 id={`group-${group.group}`}>{group.group}</h3>
            <ul className="usa-list">
              {group.categories.map((c) => (
                <li key={c.code}>
                  <strong>{c.name}</strong>: {c.description}
                </li>
              ))}
            </ul>
          </section>
        ))}
        <h2>{t('index.contactName', { name: town.name })}</h2>
        <TownContactDetails contact={town.contact} name={town.name} />
      </>
    );
  }
  const participating = new Map(data.towns.map((town) => [town.mapSlug, { name: town.name, accentColor: town.accentColor }]));
  const hrefBySlug = new Map(data.towns.map((town) => [town.mapSlug, town.href]));
  return (
    <>
      <h1>{t('index.reportAProblemInYour')}</h1>
      <p className="usa-intro">{t('index.commonwealthConnectSendsPotholesBroken')}</p>
      <p>
        <Link to="/report" className="usa-button usa-button--big cc-button-accent">
          {t('index.reportAProblem')}
        </Link>
      </p>
      <form method="get" action="/track" className="cc-track margin-bottom-3" role="search">
        <label className="usa-label" htmlFor="track-number">
          {t('index.trackARequestByIts')}
        </label>
        <div className="cc-track__row">
          <input className="usa-input" id="track-number" name="number" placeholder={t('index.som1042')} />
          <button className="usa-button" type="submit">
            {t('index.track')}
          </button>
        </div>
      </form>
      <h2 id="towns-heading">{t('index.participatingCitiesAndTownsLength', { length: data.towns.length })}</h2>
      <ul className="cc-town-list" aria-labelledby="towns-heading">
        {data.towns.map((town) => (
          <li key={town.slug}>
            <a href={town.href}>{town.name}</a>
          </li>
        ))}
      </ul>
      <h2>{t('index.mapOfParticipatingCommunities')}</h2>
      <StatewideMap map={data.map} participating={participating} hrefForTown={(slug) => hrefBySlug.get(slug) ?? '#'} />
    </>
  );
}
