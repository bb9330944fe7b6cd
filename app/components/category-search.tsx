import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Type-to-find for the category list, shown once JavaScript runs; the grouped select below it
 * stays the control that is submitted, so the form works the same without it.
 */
export function CategorySearch({ options, onPick }: { options: { code: string; label: string }[]; onPick: (code: string) => void }) {
  const { t } = useTranslation();
  const [enabled, setEnabled] = useState(false);
  const [query, setQuery] = useState('');
  const id = useId();
  useEffect(() => setEnabled(true), []);
  if (!enabled) return null;
  const needle = query.trim().toLowerCase();
  const matches = needle ? options.filter((o) => o.label.toLowerCase().includes(needle)).slice(0, 6) : [];
  return (
    <div className="margin-bottom-1">
      <label className="usa-label" htmlFor={id}>{t('categorySearch.searchCategories')}</label>
      <input className="usa-input" id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      {needle ? (
        <ul className="usa-list usa-list--unstyled" aria-live="polite">
          {matches.length === 0 ? <li>{t('categorySearch.noCategoryMatchesQueryChoose', { query })}</li> : null}
          {matches.map((o) => (
            <li key={o.code}>
              <button
                type="button"
                className="usa-button usa-button--unstyled"
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
