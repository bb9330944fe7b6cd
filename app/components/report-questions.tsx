import { useTranslation } from 'react-i18next';
import type { CategoryQuestion } from '#db/vocabulary';

/** A category's extra questions (Open311 attributes), named `q.<code>` for the server. */
export function ReportQuestions({
  questions,
  values,
  errors,
}: {
  questions: CategoryQuestion[];
  values: Record<string, string | string[]>;
  errors: Partial<Record<string, string>>;
}) {
  const { t } = useTranslation();
  if (questions.length === 0) return null;
  return (
    <fieldset className="usa-fieldset">
      <legend className="usa-legend">{t('reportQuestions.aFewQuestions')}</legend>
      {questions.map((q) => {
        const name = t('reportQuestions.qCode', { code: q.code });
        const id = t('reportQuestions.questionCode', { code: q.code });
        const error = errors[name];
        const current = values[name];
        const list = Array.isArray(current) ? current : current ? [current] : [];
        const label = `${q.label}${q.required ? ' *' : ''}`;
        const errorId = t('reportQuestions.idError', { id });
        const errorLine = error ? (
          <span className="usa-error-message" id={errorId} role="alert">
            {error}
          </span>
        ) : null;
        if (q.type === 'single' || q.type === 'multi') {
          return (
            <fieldset key={q.code} className={`usa-fieldset usa-form-group${error ? ' usa-form-group--error' : ''}`}>
              <legend className="usa-legend">{label}</legend>
              {errorLine}
              {(q.choices ?? []).map((choice) => (
                <div className={q.type === 'single' ? 'usa-radio' : 'usa-checkbox'} key={choice.value}>
                  <input
                    className={q.type === 'single' ? 'usa-radio__input' : 'usa-checkbox__input'}
                    type={q.type === 'single' ? 'radio' : 'checkbox'}
                    id={`${id}-${choice.value}`}
                    name={name}
                    value={choice.value}
                    defaultChecked={list.includes(choice.value)}
                  />
                  <label className={q.type === 'single' ? 'usa-radio__label' : 'usa-checkbox__label'} htmlFor={`${id}-${choice.value}`}>
                    {choice.label}
                  </label>
                </div>
              ))}
            </fieldset>
          );
        }
        return (
          <div key={q.code} className={`usa-form-group${error ? ' usa-form-group--error' : ''}`}>
            <label className="usa-label" htmlFor={id}>
              {label}
            </label>
            {errorLine}
            <input
              className="usa-input"
              id={id}
              name={name}
              type={q.type === 'number' ? 'number' : q.type === 'datetime' ? 'datetime-local' : 'text'}
              defaultValue={list[0] ?? ''}
              aria-describedby={error ? errorId : undefined}
              aria-invalid={error ? true : undefined}
            />
          </div>
        );
      })}
    </fieldset>
  );
}
