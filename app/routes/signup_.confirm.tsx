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
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('signupConfirm.pageTitle') }];

// The HTTP status of each way a link can fail; the words are the catalogue's errors:link.signUp.*.
const PROBLEM_STATUS = {
  invalid: 400,
  expired: 410,
  used: 410,
  account_exists: 409,
} as const;

// Opening the link only shows a button: a GET changes nothing, so mail scanners that follow links create no account.
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const token = searchParamsOf(request).get('token') ?? '';
  const state = token ? await inspectSignUpToken(token) : 'invalid';
  if (state === 'valid') return json({ token, problem: null });
  return json({ token: '', problem: (await requestT(request))(`errors:link.signUp.${state}`) }, { status: PROBLEM_STATUS[state] });
}

const confirmForm = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const parsed = confirmForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ problem: (await requestT(request))('errors:link.signUp.invalid') }, { status: PROBLEM_STATUS.invalid });
  const result = await finishSignUp(parsed.data.token);
  if (!result.ok) return json({ problem: (await requestT(request))(`errors:link.signUp.${result.reason}`) }, { status: PROBLEM_STATUS[result.reason] });
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
