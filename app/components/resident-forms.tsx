import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PHOTO_LIMITS } from '~/modules/requests/report-limits';
import type { ReporterOptions } from '~/modules/requests/statuses';
import { TransText } from '~/i18n/trans-text';
import { describedBy, FieldGroup, TextAreaField } from './form-field';
import { TownTime } from './town-time';

/**
 * The forms a reporter (signed in, or through their manage link) and a follower answering "is it
 * fixed?" use on a request. Each posts on its own, without JavaScript; `token` rides along when the
 * page was opened through an emailed link.
 */
type FormState = { errors?: Partial<Record<string, string>>; values?: Record<string, string>; token?: string };

function TokenField({ token }: { token?: string }) {
  return token ? <input type="hidden" name="token" value={token} /> : null;
}

/** Public or for the town only; for the town only unless the resident chooses otherwise. */
export function VisibilityChoice({ townName, errors, values }: FormState & { townName: string }) {
  const { t } = useTranslation();
  const chosen = values?.visibility ?? 'private';
  return (
    <fieldset className={`usa-fieldset margin-top-2${errors?.visibility ? ' usa-form-group--error' : ''}`}>
      <legend className="usa-legend">{t('residentForms.whoMayReadIt')}</legend>
      {errors?.visibility ? (
        <span className="usa-error-message" role="alert">
          {errors.visibility}
        </span>
      ) : null}
      {(['private', 'public'] as const).map((visibility) => (
        <div className="usa-radio" key={visibility}>
          <input className="usa-radio__input" id={`visibility-${visibility}`} type="radio" name="visibility" value={visibility} defaultChecked={chosen === visibility} />
          <label className="usa-radio__label" htmlFor={`visibility-${visibility}`}>
            {visibility === 'private' ? t('residentForms.onlyTheTown', { townName }) : t('residentForms.everyone')}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** A comment and/or one photo on the reporter's open request. */
export function CommentForm({ townName, errors, values, token }: FormState & { townName: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="comment-heading">
      <h2 id="comment-heading">{t('residentForms.addToYourReport')}</h2>
      <Form method="post" encType="multipart/form-data" className="usa-form" noValidate>
        <input type="hidden" name="intent" value="comment" />
        <TokenField token={token} />
        <TextAreaField label={t('residentForms.comment')} hint={t('residentForms.commentHint')} name="comment" defaultValue={values?.comment} error={errors?.comment} maxLength={4000} />
        <FieldGroup id="comment-photo" label={t('residentForms.photoOptional')} hint={t('residentForms.photoHint', { maxMegabytes: PHOTO_LIMITS.maxBytes / 1024 / 1024 })} error={errors?.photo}>
          <input className="usa-file-input" id="comment-photo" name="photo" type="file" accept="image/*" aria-describedby={describedBy('comment-photo', true, errors?.photo)} />
        </FieldGroup>
        <VisibilityChoice townName={townName} errors={errors} values={values} />
        <button type="submit" className="usa-button">
          {t('residentForms.addIt')}
        </button>
      </Form>
    </section>
  );
}

/** "It is not fixed": back to the town's queue, with what is still wrong. `fields` say which action it is. */
export function ReopenForm({ townName, timeZone, until, errors, values, token, heading, button, fields }: FormState & {
  townName: string;
  timeZone: string;
  until: string | Date;
  heading: string;
  button: string;
  fields: Record<string, string>;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="reopen-heading">
      <h2 id="reopen-heading">{heading}</h2>
      <p>
        <TransText t={t} i18nKey="residentForms.reopenUntil" values={{ townName }} components={{ time: <TownTime value={until} timeZone={timeZone} /> }} />
      </p>
      <Form method="post" className="usa-form" noValidate>
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <TokenField token={token} />
        <TextAreaField label={t('residentForms.whatIsStillWrong')} name="comment" defaultValue={values?.comment} error={errors?.comment} maxLength={4000} />
        <VisibilityChoice townName={townName} errors={errors} values={values} />
        <button type="submit" className="usa-button">
          {button}
        </button>
      </Form>
    </section>
  );
}

/** Opening the withdraw step is a link (a GET), so only this form's button withdraws. */
export function WithdrawLink({ to }: { to: string }) {
  const { t } = useTranslation();
  return (
    <p className="margin-top-3">
      <Link className="usa-button usa-button--secondary" to={to}>
        {t('residentForms.withdrawMyReport')}
      </Link>
    </p>
  );
}

export function WithdrawConfirmation({ trackingNumber, cancelTo, errors, values, token }: FormState & { trackingNumber: string; cancelTo: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="withdraw-heading" className="usa-summary-box margin-y-3">
      <div className="usa-summary-box__body">
        <h2 id="withdraw-heading" className="usa-summary-box__heading">
          {t('residentForms.withdrawHeading', { trackingNumber })}
        </h2>
        <p>{t('residentForms.withdrawExplained')}</p>
        <Form method="post" className="usa-form" noValidate>
          <input type="hidden" name="intent" value="withdraw" />
          <TokenField token={token} />
          <TextAreaField label={t('residentForms.whyOptional')} name="reason" defaultValue={values?.reason} error={errors?.reason} maxLength={1000} />
          <button type="submit" className="usa-button usa-button--secondary">
            {t('residentForms.yesWithdrawIt')}
          </button>{' '}
          <Link className="usa-button usa-button--outline" to={cancelTo}>
            {t('residentForms.keepMyReport')}
          </Link>
        </Form>
      </div>
    </section>
  );
}

type ReporterIntent = 'comment' | 'reopen' | 'withdraw';

/**
 * Everything the reporter can do with their request now (`options`), on the request page when signed
 * in and on the manage page through the emailed link: add to it while open, reopen a close within its
 * window, withdraw before acknowledgement (a link to `withdrawTo`, which shows the confirmation).
 */
export function ReporterForms({
  options,
  town,
  trackingNumber,
  confirmingWithdraw,
  withdrawTo,
  cancelTo,
  formFor,
}: {
  options: Omit<ReporterOptions, 'reopenUntil'> & { reopenUntil: string | Date | null };
  town: { name: string; timezone: string };
  trackingNumber: string;
  confirmingWithdraw: boolean;
  withdrawTo: string;
  cancelTo: string;
  formFor: (intent: ReporterIntent) => FormState;
}) {
  const { t } = useTranslation();
  if (confirmingWithdraw) return <WithdrawConfirmation trackingNumber={trackingNumber} cancelTo={cancelTo} {...formFor('withdraw')} />;
  return (
    <>
      {options.comment ? <CommentForm townName={town.name} {...formFor('comment')} /> : null}
      {options.reopen && options.reopenUntil ? (
        <ReopenForm
          townName={town.name}
          timeZone={town.timezone}
          until={options.reopenUntil}
          heading={t('residentForms.notFixedAfterAll')}
          button={t('residentForms.reopenMyReport')}
          fields={{ intent: 'reopen' }}
          {...formFor('reopen')}
        />
      ) : null}
      {options.withdraw ? <WithdrawLink to={withdrawTo} /> : null}
    </>
  );
}
