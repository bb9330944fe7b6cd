import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { SuccessAlert } from '~/components/form-field';
import { resendVerification, signOutEverywhere } from '~/modules/accounts/accounts.server';
import { endSession } from '~/utils/auth.server';
import { requireResident } from '~/utils/permissions.server';
import { accountLinks, resolveSite } from '~/utils/town.server';

export const meta: MetaFunction = () => [{ title: 'Your account · Commonwealth Connect' }];

export async function loader(args: LoaderFunctionArgs) {
  await resolveSite(args);
  const { user } = await requireResident(args);
  return json({ email: user.email, displayName: user.displayName, emailVerified: user.emailVerified, isStateStaff: user.isStateStaff });
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const { user } = await requireResident(args);
  const form = await request.formData();
  if (form.get('intent') === 'sign-out-everywhere') {
    await signOutEverywhere(user.id);
    return redirect('/login', { headers: { 'Set-Cookie': await endSession(request) } });
  }
  await resendVerification(user.id, (await accountLinks(args)).verifyEmail);
  return json({ resent: true });
}

const NOTICES: Record<string, string> = {
  welcome: 'Your account is ready, and your email address is confirmed.',
  reset: 'Your password has been changed. Other devices have been signed out.',
};

export default function Account() {
  const account = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = Object.keys(NOTICES).find((key) => params.has(key));
  return (
    <>
      <h1>Your account</h1>
      <SuccessAlert message={notice ? NOTICES[notice] : null} />
      <SuccessAlert message={actionData?.resent ? `We sent a new confirmation link to ${account.email}.` : null} />
      <dl>
        <dt>Email</dt>
        <dd>
          {account.email} {account.emailVerified ? '(confirmed)' : '(not confirmed yet)'}
        </dd>
        {account.displayName ? (
          <>
            <dt>Name</dt>
            <dd>{account.displayName}</dd>
          </>
        ) : null}
        {account.isStateStaff ? (
          <>
            <dt>Role</dt>
            <dd>State program staff</dd>
          </>
        ) : null}
      </dl>
      <p>This account works on the Commonwealth Connect site of every participating city and town.</p>
      {account.emailVerified ? null : (
        <Form method="post">
          <button type="submit" className="usa-button usa-button--outline">
            Send the confirmation email again
          </button>
        </Form>
      )}
      <h2>Signed in somewhere else?</h2>
      <p>Signing out everywhere ends the sessions on every device and cancels every confirmation or password reset link still in your mailbox.</p>
      <Form method="post">
        <input type="hidden" name="intent" value="sign-out-everywhere" />
        <button type="submit" className="usa-button usa-button--secondary">
          Sign out everywhere
        </button>
      </Form>
    </>
  );
}
