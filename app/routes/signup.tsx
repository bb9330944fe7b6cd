import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation } from '@remix-run/react';
import { FormAlert, TextField } from '~/components/form-field';
import { PASSWORD_MIN, signUpForm } from '~/modules/accounts/account-forms';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestSignUp } from '~/modules/accounts/accounts.server';
import { getOptionalUser } from '~/utils/permissions.server';
import { clientIpOf } from '~/utils/request.server';
import { accountLinks, resolveSite } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('signup.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  await resolveSite(args);
  if (await getOptionalUser(args)) throw redirect('/account');
  return null;
}

type ActionData = { fieldErrors: FieldErrors; formError?: string; values: { email: string; displayName: string }; sentTo?: string };

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args;
  await resolveSite(args);
  const form = Object.fromEntries(await request.formData());
  const values = { email: String(form.email ?? ''), displayName: String(form.displayName ?? '') };
  const parsed = signUpForm.safeParse(form);
  if (!parsed.success) return json<ActionData>({ fieldErrors: wordFieldErrors(await requestT(request), fieldErrorCodesOf(parsed.error.issues)), values }, { status: 422 });

  const links = await accountLinks(args);
  const result = await requestSignUp({ ...parsed.data, ip: clientIpOf(context), links: { finishSignUp: links.finishSignUp, signIn: links.signIn, resetPassword: links.forgotPassword } });
  if (!result.ok) {
    return json<ActionData>(
      { fieldErrors: {}, formError: (await requestT(request))('errors:rateLimit.signUp', { count: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) }), values },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    );
  }
  // The same answer whether or not the address already has an account; the email says which.
  return json<ActionData>({ fieldErrors: {}, values: { email: '', displayName: '' }, sentTo: parsed.data.email });
}

export default function SignUp() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.fieldErrors ?? {};
  if (actionData?.sentTo) {
    return (
      <>
        <h1>{t('signup.checkYourEmail')}</h1>
        <div className="usa-alert usa-alert--success" role="status">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{t('signup.weSentAMessageTo', { sentTo: actionData.sentTo })}</p>
          </div>
        </div>
        <p><TransText t={t} i18nKey="signup.noEmailAfterAFew" components={{ a: <Link to="/signup" /> }} /></p>
      </>
    );
  }
  return (
    <>
      <h1>{t('signup.createAnAccount')}</h1>
      <p>{t('signup.oneAccountWorksInEvery')}</p>
      <Form method="post" className="usa-form" noValidate>
        <FormAlert message={actionData?.formError} />
        <TextField label={t('signup.emailAddress')} name="email" type="email" autoComplete="email" required defaultValue={actionData?.values.email} error={errors.email} />
        <TextField label={t('signup.yourNameOptional')} name="displayName" autoComplete="name" defaultValue={actionData?.values.displayName} error={errors.displayName} />
        <TextField
          label={t('signup.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={t('signup.atLeastPasswordMinCharacters', { PASSWORD_MIN })}
          error={errors.password}
        />
        <button type="submit" className="usa-button" disabled={busy}>
          {busy ? t('signup.creatingYourAccount') : t('signup.createAccount')}
        </button>
      </Form>
      <p><TransText t={t} i18nKey="signup.alreadyHaveAnAccountSign" components={{ a: <Link to="/login" /> }} /></p>
    </>
  );
}
