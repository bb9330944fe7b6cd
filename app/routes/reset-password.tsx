import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { FormAlert, TextField } from '~/components/form-field';
import { PASSWORD_MIN, passwordResetForm } from '~/modules/accounts/account-forms';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { inspectEmailToken, resetPassword } from '~/modules/accounts/accounts.server';
import { endAllSessions, startSession } from '~/utils/auth.server';
import { searchParamsOf } from '~/utils/control-characters';
import { resolveSite } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('resetPassword.pageTitle') }];

// The HTTP status of each way a link can fail; the words are the catalogue's errors:link.passwordReset.*.
const PROBLEM_STATUS = {
  invalid: 400,
  expired: 410,
  used: 410,
} as const;

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const token = searchParamsOf(request).get('token') ?? '';
  const state = token ? await inspectEmailToken(token, 'reset_password') : 'invalid';
  if (state === 'valid') return json({ token, problem: null });
  return json({ token: '', problem: (await requestT(request))(`errors:link.passwordReset.${state}`) }, { status: PROBLEM_STATUS[state] });
}

type ActionData = { fieldErrors: FieldErrors; formError?: string };

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const parsed = passwordResetForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json<ActionData>({ fieldErrors: wordFieldErrors(await requestT(request), fieldErrorCodesOf(parsed.error.issues)) }, { status: 422 });
  const result = await resetPassword(parsed.data.token, parsed.data.password);
  if (!result.ok) return json<ActionData>({ fieldErrors: {}, formError: (await requestT(request))(`errors:link.passwordReset.${result.reason}`) }, { status: PROBLEM_STATUS[result.reason] });
  await endAllSessions(result.userId);
  return redirect('/account?reset=1', { headers: { 'Set-Cookie': await startSession(result.userId, request) } });
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const { token, problem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (problem) {
    return (
      <>
        <h1>{t('resetPassword.chooseANewPassword')}</h1>
        <FormAlert message={problem} />
        <p>
          <Link to="/forgot-password">{t('resetPassword.askForANewReset')}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t('resetPassword.chooseANewPassword')}</h1>
      <Form method="post" className="usa-form" noValidate>
        <FormAlert message={actionData?.formError ?? actionData?.fieldErrors.token} />
        <input type="hidden" name="token" value={token} />
        <TextField
          label={t('resetPassword.newPassword')}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={t('resetPassword.atLeastPasswordMinCharacters', { PASSWORD_MIN })}
          error={actionData?.fieldErrors.password}
        />
        <button type="submit" className="usa-button">{t('resetPassword.saveNewPassword')}</button>
      </Form>
    </>
  );
}
