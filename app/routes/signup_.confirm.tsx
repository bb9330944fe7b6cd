import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert } from '~/components/form-field';
import { finishSignUp, inspectSignUpToken } from '~/modules/accounts/accounts.server';
import { startSession } from '~/utils/auth.server';
import { searchParamsOf } from '~/utils/control-characters';
import { resolveSite } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('signupConfirm.pageTitle') }];

const PROBLEM = {
  invalid: { status: 400, text: 'This sign-up link is not valid. Check that you copied the whole link from the email.' },
  expired: { status: 410, text: 'This sign-up link has expired. Create your account again to get a new one.' },
  used: { status: 410, text: 'This sign-up link has already been used. Sign in with the email and password you chose.' },
  account_exists: { status: 409, text: 'An account with this email already exists. Sign in, or reset your password if you forgot it.' },
} as const;

// Opening the link only shows a button: a GET changes nothing, so mail scanners that follow links create no account.
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const token = searchParamsOf(request).get('token') ?? '';
  const state = token ? await inspectSignUpToken(token) : 'invalid';
  if (state === 'valid') return json({ token, problem: null });
  return json({ token: '', problem: PROBLEM[state].text }, { status: PROBLEM[state].status });
}

const confirmForm = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const parsed = confirmForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ problem: PROBLEM.invalid.text }, { status: PROBLEM.invalid.status });
  const result = await finishSignUp(parsed.data.token);
  if (!result.ok) return json({ problem: PROBLEM[result.reason].text }, { status: PROBLEM[result.reason].status });
  return redirect('/account?welcome=1', { headers: { 'Set-Cookie': await startSession(result.userId, request) } });
}

export default function ConfirmSignUp() {
  const { t } = useTranslation();
  const { token, problem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const shown = actionData?.problem ?? problem;
  return (
    <>
      <h1>{t('signupConfirm.finishCreatingYourAccount')}</h1>
      <FormAlert message={shown} />
      {shown ? (
        <p>
          <Link to="/login">{t('signupConfirm.signIn')}</Link> · <Link to="/signup">{t('signupConfirm.createAnAccount')}</Link>
        </p>
      ) : (
        <Form method="post">
          <input type="hidden" name="token" value={token} />
          <p>{t('signupConfirm.yourEmailAddressIsConfirmed')}</p>
          <button type="submit" className="usa-button">{t('signupConfirm.createMyAccount')}</button>
        </Form>
      )}
    </>
  );
}
