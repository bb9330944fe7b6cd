import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FieldGroup } from '~/components/form-field';
import { groupCategories, searchCategories } from '~/modules/categories/categories.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTown } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: metaT(matches)('reportCategories.pageTitle', { townName: data?.town.name ?? '' }) }];

const QUERY_MAX = 100;
const querySchema = z.object({ q: z.string().trim().max(QUERY_MAX).optional().default('') });

/** The report form's category search without JavaScript: the same matching, done by the server. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const town = await requireTown(args);
  const typed = searchParamsOf(request).get('q') ?? '';
  const parsed = querySchema.safeParse({ q: typed });
  const q = parsed.success ? parsed.data.q : '';
  const { matches, all } = await searchCategories(town.id, q);
  const error = parsed.success ? null : (await requestT(request))('errors:categorySearch.tooLong', { max: QUERY_MAX });
  const summary = (c: (typeof all)[number]) => ({ code: c.code, name: c.name, group: c.group, description: c.description });
  return json(
    {
      town: { name: town.name },
      q: typed,
      searched: q !== '',
      error,
      matches: matches.map(summary),
      groups: groupCategories(all.map(summary)),
    },
    { status: error ? 400 : 200 },
  );
}

export default function ReportCategories() {
  const { t } = useTranslation();
  const { town, q, searched, error, matches, groups } = useLoaderData<typeof loader>();
  const reportLink = (code: string) => `/report?${new URLSearchParams({ category: code })}`;
  return (
    <>
      <h1>{t('reportCategories.findTheCategory')}</h1>
      <p>{t('reportCategories.intro', { name: town.name })}</p>
      <Form method="get" className="usa-form" role="search" aria-label={t('reportCategories.searchCategories')}>
        <FieldGroup id="q" label={t('reportCategories.whatIsTheProblem')} hint={t('reportCategories.forExample')} error={error ?? undefined}>
          <input
            className={`usa-input${error ? ' usa-input--error' : ''}`}
            id="q"
            name="q"
            type="text" inputMode="search" enterKeyHint="search"
            defaultValue={q}
            aria-describedby={error ? 'q-hint q-error' : 'q-hint'}
            aria-invalid={error ? true : undefined}
          />
        </FieldGroup>
        <button className="usa-button" type="submit">{t('reportCategories.search')}</button>
      </Form>
      {searched ? (
        <section aria-labelledby="matches-heading">
          <h2 id="matches-heading">{t('reportCategories.matchingQuery', { query: q.trim() })}</h2>
          {matches.length === 0 ? (
            <p role="status">{t('reportCategories.noMatch', { query: q.trim() })}</p>
          ) : (
            <ul className="usa-list usa-list--unstyled cc-category-results">
              {matches.map((c) => (
                <li key={c.code}>
                  <Link to={reportLink(c.code)}>{t('reportCategories.reportName', { name: c.name })}</Link> <span className="text-base">({c.group})</span>
                  <br />
                  {c.description}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      <h2>{t('reportCategories.allCategories')}</h2>
      {groups.map((group) => (
        <div key={group.group}>
          <h3>{group.group}</h3>
          <ul className="usa-list usa-list--unstyled cc-category-results">
            {group.categories.map((c) => (
              <li key={c.code}>
                <Link to={reportLink(c.code)}>{c.name}</Link>
                <br />
                {c.description}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}
