import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { closureDayForm } from '~/modules/admin/admin-forms';
import { addClosureDay, listClosureDays, removeClosureDay } from '~/modules/requests/closure-days.server';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requireTownRole } from '~/utils/permissions.server';
import { dateTimeFormat } from '~/utils/date-format';
import { useIntlLocale } from '~/i18n/intl';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminClosures.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  return json({ townName: admin.town.name, ...(await listClosureDays(admin)) });
}

type ActionData = { errors?: FieldErrors; values?: Record<string, string>; message?: string };

const closureRef = z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const t = await requestT(request);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  if (form.intent === 'add') {
    const parsed = closureDayForm.safeParse(form);
    if (!parsed.success) return json<ActionData>({ errors: wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)), values: form }, { status: 422 });
    const added = await addClosureDay(admin, parsed.data);
    if (!added.ok) return json<ActionData>({ errors: wordFieldErrors(t, added.errors), values: form }, { status: 422 });
    return json<ActionData>({ message: t('adminClosures.done.added', { name: parsed.data.name }) });
  }
  if (form.intent === 'remove') {
    const ref = closureRef.safeParse(form);
    if (!ref.success || !(await removeClosureDay(admin, ref.data.day))) throw new Response(t('errors:closureDay.notFound'), { status: 404 });
    return json<ActionData>({ message: t('adminClosures.done.removed') });
  }
  throw new Response(t('errors:unknownAction'), { status: 400 });
}

export default function AdminClosures() {
  const { t } = useTranslation();
  const locale = useIntlLocale();
  const { townName, closures, holidays, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  const values = actionData?.errors ? actionData.values : null;
  // Calendar days, not instants: formatted at noon UTC so no zone moves them.
  const longDay = (day: string) => dateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(`${day}T12:00:00Z`));
  return (
    <>
      <h1>{t('adminClosures.heading')}</h1>
      <p>{t('adminClosures.intro', { townName })}</p>
      <SuccessAlert message={actionData?.message} />

      <h2 id="closures-heading">{t('adminClosures.closuresHeading', { townName })}</h2>
      {closures.length === 0 ? (
        <p>{t('adminClosures.none')}</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full" aria-labelledby="closures-heading">
          <thead>
            <tr>
              <th scope="col">{t('adminClosures.day')}</th>
              <th scope="col">{t('adminClosures.reason')}</th>
              <th scope="col">{t('adminClosures.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {closures.map((c) => (
              <tr key={c.day}>
                <th scope="row" data-label={t('adminClosures.day')}>
                  <time dateTime={c.day}>{longDay(c.day)}</time>
                  {c.day < today ? <span className="text-base"> {t('adminClosures.past')}</span> : null}
                </th>
                <td data-label={t('adminClosures.reason')}>{c.name}</td>
                <td data-label={t('adminClosures.actions')}>
                  <Form method="post" className="cc-inline-form">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="day" value={c.day} />
                    <button type="submit" className="usa-button usa-button--unstyled" disabled={busy}>
                      {t('adminClosures.remove')}
                      <span className="usa-sr-only"> {longDay(c.day)}</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="closure-form">{t('adminClosures.addHeading')}</h2>
      <Form method="post" className="usa-form" noValidate aria-labelledby="closure-form" key={closures.length}>
        <FormAlert message={Object.keys(errors).length > 0 ? t('adminClosures.pleaseCorrect') : null} />
        <input type="hidden" name="intent" value="add" />
        <TextField label={t('adminClosures.day')} name="day" type="date" required hint={t('adminClosures.dayHint')} defaultValue={values?.day ?? ''} error={errors.day} />
        <TextField label={t('adminClosures.reason')} name="name" required maxLength={80} hint={t('adminClosures.reasonHint')} defaultValue={values?.name ?? ''} error={errors.name} />
        <button type="submit" className="usa-button" disabled={busy}>{t('adminClosures.add')}</button>
      </Form>

      <h2 id="holidays-heading">{t('adminClosures.holidaysHeading')}</h2>
      <p>{t('adminClosures.holidaysIntro')}</p>
      <ul className="usa-list" aria-labelledby="holidays-heading">
        {holidays.map((h) => (
          <li key={h.day}>
            <time dateTime={h.day}>{longDay(h.day)}</time>: {t(`adminClosures.holiday.${h.name}`)}
            {h.observed ? ` ${t('adminClosures.observed')}` : null}
          </li>
        ))}
      </ul>
    </>
  );
}
