import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

/** The ids a control points at with aria-describedby: its hint and its error, when present. */
export function describedBy(id: string, hint: boolean, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

/** Label, hint and error of one USWDS form control; the control itself is the child. */
export function FieldGroup({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className={`usa-form-group${error ? ' usa-form-group--error' : ''}`}>
      <label className={`usa-label${error ? ' usa-label--error' : ''}`} htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="usa-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <span className="usa-error-message" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
      {children}
    </div>
  );
}

type FieldProps = { label: string; name: string; error?: string; hint?: string };

/** A labelled USWDS input whose error is announced with it (aria-describedby, aria-invalid). */
export function TextField({ label, name, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = `field-${name}`;
  return (
    <FieldGroup id={id} label={label} hint={hint} error={error}>
      <input
        className={`usa-input${error ? ' usa-input--error' : ''}`}
        id={id}
        name={name}
        aria-describedby={describedBy(id, Boolean(hint), error)}
        aria-invalid={error ? true : undefined}
        {...input}
      />
    </FieldGroup>
  );
}

export function TextAreaField({ label, name, error, hint, ...props }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = `field-${name}`;
  return (
    <FieldGroup id={id} label={label} hint={hint} error={error}>
      <textarea
        className={`usa-textarea${error ? ' usa-input--error' : ''}`}
        id={id}
        name={name}
        rows={4}
        aria-describedby={describedBy(id, Boolean(hint), error)}
        aria-invalid={error ? true : undefined}
        {...props}
      />
    </FieldGroup>
  );
}

export function SelectField({ label, name, error, hint, options, ...props }: FieldProps & { options: { value: string; label: string }[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = `field-${name}`;
  return (
    <FieldGroup id={id} label={label} hint={hint} error={error}>
      <select className="usa-select" id={id} name={name} aria-describedby={describedBy(id, Boolean(hint), error)} aria-invalid={error ? true : undefined} {...props}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldGroup>
  );
}

export function FormAlert({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div className="usa-alert usa-alert--error usa-alert--slim" role="alert">
      <div className="usa-alert__body">
        <p className="usa-alert__text">{message}</p>
      </div>
    </div>
  );
}

/** A slim status message (not an error): what just happened, or something to know about the page. */
export function StatusAlert({ message, tone }: { message?: string | null; tone: 'success' | 'info' | 'warning' }) {
  if (!message) return null;
  return (
    <div className={`usa-alert usa-alert--${tone} usa-alert--slim`} role="status">
      <div className="usa-alert__body">
        <p className="usa-alert__text">{message}</p>
      </div>
    </div>
  );
}

export function SuccessAlert({ message }: { message?: string | null }) {
  return <StatusAlert message={message} tone="success" />;
}

/** Checkboxes under one legend, the error between the legend and the boxes. */
export function CheckboxGroup({ legend, name, error, options }: { legend: string; name: string; error?: string; options: { value: string; label: string; checked: boolean }[] }) {
  const errorId = `${name}-error`;
  return (
    <fieldset className="usa-fieldset" aria-describedby={error ? errorId : undefined}>
      <legend className="usa-legend">{legend}</legend>
      {error ? (
        <span className="usa-error-message" id={errorId} role="alert">
          {error}
        </span>
      ) : null}
      {options.map((option) => (
        <div className="usa-checkbox" key={option.value}>
          <input className="usa-checkbox__input" id={`${name}-${option.value}`} type="checkbox" name={name} value={option.value} defaultChecked={option.checked} />
          <label className="usa-checkbox__label" htmlFor={`${name}-${option.value}`}>
            {option.label}
          </label>
        </div>
      ))}
    </fieldset>
  );
}
