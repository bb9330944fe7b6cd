import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { StatewideMap, statewideMapLinks } from '~/components/statewide-map';
import { StatusTag } from '~/components/status-tag';
import { groupCategories } from '~/modules/categories/categories.server';
import { getStatewideMap } from '~/modules/geo/statewide-map.server';
import { loadTownHome } from '~/modules/requests/request-queries.server';
import { listTowns } from '~/modules/towns/towns.server';
import { resolveSite, siteOrigin } from '~/utils/town.server';

export const links: LinksFunction = () => statewideMapLinks();

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.kind === 'town' ? `${data.town.name}: report a problem · Commonwealth Connect` : 'Commonwealth Connect · Massachusetts' },
];

export async function loader(args: LoaderFunctionArgs) {
  const site = await resolveSite(args);
  if (site.kind === 'town') {
    const { categories, recent } = await loadTownHome(site.town.id, 5);
    return json({ kind: 'town' as const, town: site.town, categories: groupCategories(categories), recent });
  }
  const towns = (await listTowns()).map((t) => ({ slug: t.slug, name: t.name, type: t.type, accentColor: t.accentColor, href: siteOrigin(t.slug) }));
  return json({ kind: 'statewide' as const, towns, map: getStatewideMap() });
}

function ContactDetails({ contact, name }: { contact: { phone: string | null; email: string | null; website: string | null }; name: string }) {
  if (!contact.phone && !contact.email && !contact.website) {
    return <p>{name} has not published its contact details here yet. For emergencies call 911.</p>;
  }
  return (
    <ul className="usa-list usa-list--unstyled">
      {contact.phone ? (
        <li>
          Phone: <a href={`tel:${contact.phone}`}>{contact.phone}</a>
        </li>
      ) : null}
      {contact.email ? (
        <li>
          Email: <a href={`mailto:${contact.email}`}>{contact.email}</a>
        </li>
      ) : null}
      {contact.website ? (
        <li>
          Website: <a href={contact.website}>{contact.website}</a>
        </li>
      ) : null}
    </ul>
  );
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  if (data.kind === 'town') {
    const { town } = data;
    return (
      <>
        <h1>{town.name}</h1>
        <p className="usa-intro">
          See a pothole, a broken streetlight or graffiti in {town.name}? Tell the {town.type} and follow it until it is fixed.
        </p>
        {town.welcomeMessage ? (
          // The admin's own line breaks are kept; the text is never parsed as HTML.
          <p style={{ whiteSpace: 'pre-line' }}>{town.welcomeMessage}</p>
        ) : null}
        <p>
          <Link to="/report" className="usa-button usa-button--big cc-button-accent">
            Report a problem
          </Link>
        </p>
        <p>
          <Link to="/requests">See reported problems in {town.name}</Link> · <Link to="/track">Track a request</Link>
        </p>
        {data.recent.length > 0 ? (
          <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">Recently reported</h2>
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
              <Link to="/requests">All reported problems, with filters and a map</Link>
            </p>
          </section>
        ) : null}
        <h2>What you can report</h2>
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
        <h2>Contact {town.name}</h2>
        <ContactDetails contact={town.contact} name={town.name} />
      </>
    );
  }
  const participating = new Map(data.towns.map((t) => [t.slug, { name: t.name, accentColor: t.accentColor }]));
  const hrefBySlug = new Map(data.towns.map((t) => [t.slug, t.href]));
  return (
    <>
      <h1>Report a problem in your Massachusetts city or town</h1>
      <p className="usa-intro">
        Commonwealth Connect sends potholes, broken streetlights, graffiti and other local problems straight to the city or town
        that fixes them. Choose your community to start.
      </p>
      <form method="get" action="/track" className="usa-search usa-search--small margin-bottom-3" role="search">
        <label className="usa-label" htmlFor="track-number">
          Track a request by its number
        </label>
        <input className="usa-input" id="track-number" name="number" placeholder="SOM-1042" />
        <button className="usa-button" type="submit">
          Track
        </button>
      </form>
      <h2 id="towns-heading">Participating cities and towns ({data.towns.length})</h2>
      <ul className="cc-town-list" aria-labelledby="towns-heading">
        {data.towns.map((t) => (
          <li key={t.slug}>
            <a href={t.href}>{t.name}</a>
          </li>
        ))}
      </ul>
      <h2>Map of participating communities</h2>
      <StatewideMap map={data.map} participating={participating} hrefForTown={(slug) => hrefBySlug.get(slug) ?? '#'} />
    </>
  );
}
