import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation } from '@remix-run/react';
import { FormAlert, TextField } from '~/components/form-field';
import { fieldErrorsOf, PASSWORD_MIN, signUpForm, type FieldErrors } from '~/modules/accounts/account-forms';
import { signUp } from '~/modules/accounts/accounts.server';
import { startSession } from '~/utils/auth.server';
import { getOptionalUser } from '~/utils/permissions.server';
import { clientIpOf, minutesText } from '~/utils/request.server';
import { resolveSite } from '~/utils/town.server';

export const meta: MetaFunction = () => [{ title: 'Create an account · Commonwealth Connect' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await resolveSite(request);
  if (await getOptionalUser(request)) throw redirect('/account');
  return null;
}

type ActionData = { fieldErrors: FieldErrors; formError?: string; values: { email: string; displayName: string } };

export async function action({ request, context }: ActionFunctionArgs) {
  await resolveSite(request);
  const form = Object.fromEntries(await request.formData());
  const values = { email: String(form.email ?? ''), displayName: String(form.displayName ?? '') };
  const parsed = signUpForm.safeParse(form);
  if (!parsed.success) return json<ActionData>({ fieldErrors: fieldErrorsOf(parsed.error), values }, { status: 422 });

  const origin = new URL(request.url).origin;
  const result = await signUp({ ...parsed.data, ip: clientIpOf(context), verifyUrl: (token) => `${origin}/verify-email?token=${token}` });
  if (!result.ok && result.reason === 'duplicate_email') {
    return json<ActionData>(
      { fieldErrors: { email: 'An account with this email already exists. Sign in, or reset your password if you forgot it.' }, values },
      { status: 409 },
    );
  }
  if (!result.ok) {
    return json<ActionData>(
      { fieldErrors: {}, formError: `Too many sign-ups from here. Try again in ${minutesText(result.retryAfterSeconds)}.`, values },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    );
  }
  return redirect('/account?welcome=1', { headers: { 'Set-Cookie': await startSession(result.userId, request) } });
}

export default function SignUp() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.fieldErrors ?? {};
  return (
    <>
      <h1>Create an account</h1>
      <p>One account works in every participating city and town. You can also report a problem without one.</p>
      <Form method="post" className="usa-form" noValidate>
        <FormAlert message={actionData?.formError} />
        <TextField label="Email address" name="email" type="email" autoComplete="email" required defaultValue={actionData?.values.email} error={errors.email} />
        <TextField label="Your name (optional)" name="displayName" autoComplete="name" defaultValue={actionData?.values.displayName} error={errors.displayName} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${PASSWORD_MIN} characters. A short phrase is easy to remember.`}
          error={errors.password}
        />
        <button type="submit" className="usa-button" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </Form>
      <p>
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </>
  );
}
