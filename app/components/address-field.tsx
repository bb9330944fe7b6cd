import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

type Suggestion = { label: string; lat: number; lng: number };

type AddressFieldProps = {
  id: string;
  label: string;
  hint?: string;
  defaultValue: string;
  /** Suggestions come only where a geocoder is configured (MAPBOX_TOKEN); otherwise a plain field. */
  suggest: boolean;
  near: { lat: number; lng: number };
  onPick: (suggestion: Suggestion) => void;
};

/**
 * The address field, with Massachusetts suggestions as the resident types (an ARIA 1.2 combobox):
 * picking one moves the pin, which the resident then confirms or moves. Without JavaScript, or
 * without a geocoder, it is a plain text field.
 */
export function AddressField({ id, label, hint, defaultValue, suggest, near, onPick }: AddressFieldProps) {
  const { t } = useTranslation();
  const [value, setValue] = useState(defaultValue);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [enhanced, setEnhanced] = useState(false);
  const typed = useRef(false);
  useEffect(() => setEnhanced(suggest), [suggest]);

  useEffect(() => {
    if (!enhanced || !typed.current || value.trim().length < 3) {
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const params = new URLSearchParams({ q: value, lat: String(near.lat), lng: String(near.lng) });
      fetch(`/geo/addresses?${params}`, { signal: controller.signal })
        .then((r) => (r.ok ? (r.json() as Promise<{ suggestions: Suggestion[] }>) : { suggestions: [] }))
        .then((body) => {
          setSuggestions(body.suggestions);
          setActive(-1);
        })
        .catch(() => undefined);
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [value, enhanced, near.lat, near.lng]);

  const choose = (suggestion: Suggestion) => {
    typed.current = false;
    setValue(suggestion.label);
    setSuggestions([]);
    onPick(suggestion);
  };
  const open = suggestions.length > 0;
  const listId = `${id}-suggestions`;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="cc-address-field">
      <label className="usa-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <span className="usa-hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      <input
        className="usa-input"
        id={id}
        name="address"
        value={value}
        autoComplete="street-address"
        maxLength={300}
        aria-describedby={hintId}
        {...(enhanced
          ? { role: 'combobox', 'aria-autocomplete': 'list' as const, 'aria-expanded': open, 'aria-controls': listId, 'aria-activedescendant': active >= 0 ? `${listId}-${active}` : undefined }
          : {})}
        onChange={(e) => {
          typed.current = true;
          setValue(e.target.value);
        }}
        onKeyDown={(e) => {
          if (!open) return;
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => (e.key === 'ArrowDown' ? (i + 1) % suggestions.length : (i - 1 + suggestions.length) % suggestions.length));
          } else if (e.key === 'Enter' && active >= 0) {
            e.preventDefault();
            choose(suggestions[active]!);
          } else if (e.key === 'Escape') {
            setSuggestions([]);
          }
        }}
        onBlur={() => setSuggestions([])}
      />
      {enhanced ? (
        <div id={listId} role="listbox" aria-label={t('addressField.suggestions')} className="cc-address-field__list" hidden={!open}>
          {suggestions.map((s, i) => (
            <div
              key={`${s.label}-${i}`}
              id={`${listId}-${i}`}
              role="option"
              // Focus stays in the field (aria-activedescendant); -1 only lets a pointer focus land here.
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? 'is-active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(s);
              }}
            >
              {s.label}
            </div>
          ))}
        </div>
      ) : null}
      {enhanced ? (
        <p className="usa-sr-only" role="status" aria-live="polite">
          {open ? t('addressField.count', { count: suggestions.length }) : ''}
        </p>
      ) : null}
    </div>
  );
}
