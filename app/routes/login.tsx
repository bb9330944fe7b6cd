import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { FormAlert, TextField } from '~/components/form-field';
import { signInForm } from '~/modules/accounts/account-forms';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { signIn } from '~/modules/accounts/accounts.server';
import { startSession } from '~/utils/auth.server';
import { getOptionalUser, safeRedirectPath } from '~/utils/permissions.server';
import { clientIpOf } from '~/utils/request.server';
import { resolveSite } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('login.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  if (await getOptionalUser(args)) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get('redirectTo')));
  return null;
}

type ActionData = { fieldErrors: FieldErrors; formError?: string; email: string };

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args;
  await resolveSite(args);
  const t = await requestT(request);
  const form = Object.fromEntries(await request.formData());
  const email = String(form.email ?? '');
  const parsed = signInForm.safeParse(form);
  if (!parsed.success) return json<ActionData>({ fieldErrors: wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)), email }, { status: 422 });

  const result = await signIn({ ...parsed.data, ip: clientIpOf(context) });
  if (!result.ok && result.reason === 'rate_limited') {
    return json<ActionData>(
      { fieldErrors: {}, formError: t('errors:rateLimit.signIn', { count: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) }), email },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    );
  }
  if (!result.ok) return json<ActionData>({ fieldErrors: {}, formError: t('errors:signIn.mismatch'), email }, { status: 401 });
  return redirect(safeRedirectPath(form.redirectTo), { headers: { 'Set-Cookie': await startSession(result.userId, request) } });
}

export default function SignIn() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.fieldErrors ?? {};
  return (
    <>
      <h1>{t('login.signIn')}</h1>
      <Form method="post" className="usa-form" noValidate>
        <FormAlert message={actionData?.formError} />
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
        <TextField label={t('login.emailAddress')} name="email" type="email" autoComplete="email" required defaultValue={actionData?.email} error={errors.email} />
        <TextField label={t('login.password')} name="password" type="password" autoComplete="current-password" required error={errors.password} />
        <button type="submit" className="usa-button" disabled={busy}>
          {busy ? t('login.signingIn') : t('login.signIn')}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t('login.forgotYourPassword')}</Link> · <Link to="/signup">{t('login.createAnAccount')}</Link>
      </p>
    </>
  );
}
