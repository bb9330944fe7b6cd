import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useNavigation } from '@remix-run/react';
import { FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { passwordResetRequestForm } from '~/modules/accounts/account-forms';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestPasswordReset } from '~/modules/accounts/accounts.server';
import { clientIpOf } from '~/utils/request.server';
import { accountLinks, resolveSite } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('forgotPassword.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  await resolveSite(args);
  return null;
}

type ActionData = { fieldErrors: FieldErrors; formError?: string; sent?: boolean; email: string };

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args;
  await resolveSite(args);
  const form = Object.fromEntries(await request.formData());
  const email = String(form.email ?? '');
  const parsed = passwordResetRequestForm.safeParse(form);
  if (!parsed.success) return json<ActionData>({ fieldErrors: wordFieldErrors(await requestT(request), fieldErrorCodesOf(parsed.error.issues)), email }, { status: 422 });
  const links = await accountLinks(args);
  const result = await requestPasswordReset({ email: parsed.data.email, ip: clientIpOf(context), resetUrl: links.resetPassword });
  if (!result.ok) {
    return json<ActionData>(
      { fieldErrors: {}, formError: (await requestT(request))('errors:rateLimit.passwordReset', { count: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) }), email },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    );
  }
  return json<ActionData>({ fieldErrors: {}, sent: true, email });
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <h1>{t('forgotPassword.resetYourPassword')}</h1>
      <SuccessAlert
        message={actionData?.sent ? t('forgotPassword.ifAnAccountExistsFor', { email: actionData.email }) : null}
      />
      <Form method="post" className="usa-form" noValidate>
        <FormAlert message={actionData?.formError} />
        <TextField label={t('forgotPassword.emailAddress')} name="email" type="email" autoComplete="email" required defaultValue={actionData?.email} error={actionData?.fieldErrors.email} />
        <button type="submit" className="usa-button" disabled={busy}>{t('forgotPassword.emailMeAResetLink')}</button>
      </Form>
    </>
  );
}
