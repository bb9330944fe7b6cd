import { Link } from '@remix-run/react';
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { matchCategories } from '~/modules/categories/category-match';

export type CategoryOption = { code: string; label: string; keywords?: readonly string[] };

const SHOWN_MATCHES = 6;

/**
 * Type-to-find for the category list, shown once JavaScript runs; the grouped select below it
 * stays the control that is submitted, so the form works the same without it. Without JavaScript
 * it is a link to the same search done by the server (/report/categories).
 */
export function CategorySearch({ options, onPick }: { options: CategoryOption[]; onPick: (code: string) => void }) {
  const { t } = useTranslation();
  const [enabled, setEnabled] = useState(false);
  const [query, setQuery] = useState('');
  const id = useId();
  useEffect(() => setEnabled(true), []);
  const searchable = useMemo(() => options.map((o) => ({ ...o, name: o.label, keywords: o.keywords ?? [] })), [options]);
  if (!enabled) {
    return (
      <p className="margin-y-1">
        <Link to="/report/categories">{t('categorySearch.notSureFindItBy')}</Link>
      </p>
    );
  }
  const matches = query.trim() ? matchCategories(query, searchable).slice(0, SHOWN_MATCHES) : [];
  return (
    <div className="margin-bottom-1">
      <label className="usa-label" htmlFor={id}>{t('categorySearch.searchCategories')}</label>
      <input className="usa-input" id={id} type="text" inputMode="search" enterKeyHint="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      {query.trim() ? (
        <ul className="usa-list usa-list--unstyled" aria-live="polite">
          {matches.length === 0 ? <li>{t('categorySearch.noCategoryMatchesQueryChoose', { query })}</li> : null}
          {matches.map((o) => (
            <li key={o.code}>
              <button
                type="button"
                className="usa-button usa-button--unstyled cc-category-match"
                onClick={() => {
                  onPick(o.code);
                  setQuery('');
                }}
              >
                {o.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
