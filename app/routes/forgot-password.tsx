import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useNavigation } from '@remix-run/react';
import { FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { fieldErrorsOf, passwordResetRequestForm, type FieldErrors } from '~/modules/accounts/account-forms';
import { requestPasswordReset } from '~/modules/accounts/accounts.server';
import { clientIpOf, minutesText } from '~/utils/request.server';
import { accountLinks, resolveSite } from '~/utils/town.server';

export const meta: MetaFunction = () => [{ title: 'Reset your password · Commonwealth Connect' }];

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
  if (!parsed.success) return json<ActionData>({ fieldErrors: fieldErrorsOf(parsed.error), email }, { status: 422 });
  const links = await accountLinks(args);
  const result = await requestPasswordReset({ email: parsed.data.email, ip: clientIpOf(context), resetUrl: links.resetPassword });
  if (!result.ok) {
    return json<ActionData>(
      { fieldErrors: {}, formError: `Too many reset requests. Try again in ${minutesText(result.retryAfterSeconds)}.`, email },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    );
  }
  return json<ActionData>({ fieldErrors: {}, sent: true, email });
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <h1>Reset your password</h1>
      <SuccessAlert
        message={actionData?.sent ? `If an account exists for ${actionData.email}, we have emailed it a link to choose a new password.` : null}
      />
      <Form method="post" className="usa-form" noValidate>
        <FormAlert message={actionData?.formError} />
        <TextField label="Email address" name="email" type="email" autoComplete="email" required defaultValue={actionData?.email} error={actionData?.fieldErrors.email} />
        <button type="submit" className="usa-button" disabled={busy}>
          Email me a reset link
        </button>
      </Form>
    </>
  );
}
