import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation } from '@remix-run/react';
import { FormAlert, TextField } from '~/components/form-field';
import { fieldErrorsOf, PASSWORD_MIN, signUpForm, type FieldErrors } from '~/modules/accounts/account-forms';
import { requestSignUp } from '~/modules/accounts/accounts.server';
import { getOptionalUser } from '~/utils/permissions.server';
import { clientIpOf, minutesText } from '~/utils/request.server';
import { accountLinks, resolveSite } from '~/utils/town.server';

export const meta: MetaFunction = () => [{ title: 'Create an account · Commonwealth Connect' }];

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
  if (!parsed.success) return json<ActionData>({ fieldErrors: fieldErrorsOf(parsed.error), values }, { status: 422 });

  const links = await accountLinks(args);
  const result = await requestSignUp({ ...parsed.data, ip: clientIpOf(context), links: { finishSignUp: links.finishSignUp, signIn: links.signIn, resetPassword: links.forgotPassword } });
  if (!result.ok) {
    return json<ActionData>(
      { fieldErrors: {}, formError: `Too many sign-ups from here. Try again in ${minutesText(result.retryAfterSeconds)}.`, values },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    );
  }
  // The same answer whether or not the address already has an account; the email says which.
  return json<ActionData>({ fieldErrors: {}, values: { email: '', displayName: '' }, sentTo: parsed.data.email });
}

export default function SignUp() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.fieldErrors ?? {};
  if (actionData?.sentTo) {
    return (
      <>
        <h1>Check your email</h1>
        <div className="usa-alert usa-alert--success" role="status">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              We sent a message to {actionData.sentTo}. Use the link in it to finish creating your account; it works for 48 hours. If the address already has an
              account, the message says how to sign in instead.
            </p>
          </div>
        </div>
        <p>
          No email after a few minutes? Check your spam folder, or <Link to="/signup">try again</Link>.
        </p>
      </>
    );
  }
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
