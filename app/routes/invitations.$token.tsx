import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react';
import { FormAlert, TextField } from '~/components/form-field';
import { PASSWORD_MIN, signUpForm } from '~/modules/accounts/account-forms';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { signUp } from '~/modules/accounts/accounts.server';
import { acceptInvitation, inspectInvitation, type AcceptResult } from '~/modules/admin/invitations.server';
import { startSession } from '~/utils/auth.server';
import { getOptionalUser, requireResident, requireResidentOfNewSession } from '~/utils/permissions.server';
import { clientIpOf } from '~/utils/request.server';
import { accountLinks, requireTown } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';
import type { TFunction } from 'i18next';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('invitationsToken.pageTitle') }];

type Closed = { status: 'invalid' | 'expired' | 'used'; message: string };

function closedInvitation(status: Closed['status'], townName: string, t: TFunction) {
  const message = t(`errors:invitation.${status}`, { townName });
  // 410 Gone: the link existed and will never work again; an unknown one is 404.
  return json<Closed>({ status, message }, { status: status === 'invalid' ? 404 : 410 });
}

export async function loader(args: LoaderFunctionArgs) {
  const { params } = args;
  const town = await requireTown(args);
  const invitation = await inspectInvitation(town.id, params.token ?? '');
  if (invitation.status !== 'valid') return closedInvitation(invitation.status, town.name, await requestT(args.request));
  const user = await getOptionalUser(args);
  return json({
    status: 'valid' as const,
    townName: town.name,
    email: invitation.email,
    role: invitation.role,
    signedInAs: user?.email ?? null,
    emailMatches: user ? user.email.toLowerCase() === invitation.email.toLowerCase() : false,
  });
}

type ActionData = { fieldErrors?: FieldErrors; formError?: string; displayName?: string };

function refusedAcceptance(result: Exclude<AcceptResult, { ok: true }>, townName: string, signedInAs: string, t: TFunction) {
  if (result.reason !== 'email_mismatch') return closedInvitation(result.reason, townName, t);
  return json<ActionData>(
    {
      formError: t('errors:invitation.emailMismatch', { invitedEmail: result.invitedEmail, signedInAs }),
    },
    { status: 403 },
  );
}

const consoleFor = (role: 'staff' | 'admin') => (role === 'admin' ? '/admin' : '/staff');

/**
 * `accept`: the signed-in account takes the invitation. `signup`: a newcomer creates an account
 * with the invited address and takes it in one step (accounts are shared by every town, so an
 * existing one is reused through sign-in instead).
 */
export async function action(args: ActionFunctionArgs) {
  const { request, params, context } = args;
  const town = await requireTown(args);
  const token = params.token ?? '';
  const t = await requestT(request);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  if (form.intent === 'accept') {
    const resident = await requireResident(args);
    const result = await acceptInvitation(resident, town.id, token);
    if (!result.ok) return refusedAcceptance(result, town.name, resident.user.email, t);
    return redirect(consoleFor(result.role));
  }
  if (form.intent !== 'signup') throw new Response(t('errors:unknownAction'), { status: 400 });
  const invitation = await inspectInvitation(town.id, token);
  if (invitation.status !== 'valid') return closedInvitation(invitation.status, town.name, t);
  // The address is the invited one, never one typed into the form.
  const parsed = signUpForm.safeParse({ ...form, email: invitation.email });
  if (!parsed.success) return json<ActionData>({ fieldErrors: wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)), displayName: form.displayName }, { status: 422 });
  const links = await accountLinks(args);
  const created = await signUp({ ...parsed.data, ip: clientIpOf(context), verifyUrl: links.verifyEmail });
  if (!created.ok && created.reason === 'duplicate_email') {
    return json<ActionData>({ formError: t('errors:invitation.accountExists', { email: invitation.email }), displayName: form.displayName }, { status: 409 });
  }
  if (!created.ok) {
    return json<ActionData>(
      { formError: t('errors:rateLimit.signUp', { count: Math.max(1, Math.ceil(created.retryAfterSeconds / 60)) }), displayName: form.displayName },
      { status: 429, headers: { 'Retry-After': String(created.retryAfterSeconds) } },
    );
  }
  const headers = { 'Set-Cookie': await startSession(created.userId, request) };
  const result = await acceptInvitation(await requireResidentOfNewSession(headers['Set-Cookie'], request), town.id, token);
  if (!result.ok) {
    const refused = refusedAcceptance(result, town.name, parsed.data.email, t);
    refused.headers.set('Set-Cookie', headers['Set-Cookie']);
    return refused;
  }
  return redirect(consoleFor(result.role), { headers });
}

export default function Invitation() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const { pathname } = useLocation();
  if (data.status !== 'valid' || (actionData && 'status' in actionData)) {
    const closed = actionData && 'status' in actionData ? actionData : (data as Closed);
    return (
      <>
        <h1>{t('invitationsToken.staffInvitation')}</h1>
        <div className="usa-alert usa-alert--warning" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{closed.message}</p>
          </div>
        </div>
        <p>
          <Link to="/">{t('invitationsToken.goToTheHomePage')}</Link>
        </p>
      </>
    );
  }
  const fieldErrors = actionData && 'fieldErrors' in actionData ? (actionData.fieldErrors ?? {}) : {};
  const formError = actionData && 'formError' in actionData ? actionData.formError : null;
  return (
    <>
      <h1>{t('invitationsToken.heading', { townName: data.townName })}</h1>
      <p className="usa-intro"><TransText t={t} i18nKey="invitationsToken.invitedAs" values={{ roleText: t(`invitationsToken.roleText.${data.role}`), townName: data.townName, email: data.email }} components={{ strong: <strong /> }} /></p>
      <FormAlert message={formError} />
      {data.signedInAs && data.emailMatches ? (
        <Form method="post">
          <input type="hidden" name="intent" value="accept" />
          <p>{t('invitationsToken.youAreSignedInAs', { signedInAs: data.signedInAs })}</p>
          <button type="submit" className="usa-button" disabled={busy}>{t('invitationsToken.acceptAndOpenTheConsole')}</button>
        </Form>
      ) : data.signedInAs ? (
        <div className="usa-alert usa-alert--warning" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{t('invitationsToken.wrongAccount', { signedInAs: data.signedInAs, email: data.email })}</p>
          </div>
        </div>
      ) : (
        <>
          <h2>{t('invitationsToken.alreadyHaveAnAccountWith', { email: data.email })}</h2>
          <p>{t('invitationsToken.oneAccountWorksInEvery')}</p>
          <p>
            <Link className="usa-button usa-button--outline" to={`/login?${new URLSearchParams({ redirectTo: pathname })}`}>{t('invitationsToken.signInToAccept')}</Link>
          </p>
          <h2 id="signup-heading">{t('invitationsToken.newToCommonwealthConnect')}</h2>
          <Form method="post" className="usa-form" noValidate aria-labelledby="signup-heading">
            <input type="hidden" name="intent" value="signup" />
            <p><TransText t={t} i18nKey="invitationsToken.yourAccountWillUseEmail" values={{ email: data.email }} components={{ strong: <strong /> }} /></p>
            <TextField label={t('invitationsToken.yourNameOptional')} name="displayName" autoComplete="name" defaultValue={actionData?.displayName} error={fieldErrors.displayName} />
            <TextField
              label={t('invitationsToken.password')}
              name="password"
              type="password"
              autoComplete="new-password"
              required
              hint={t('invitationsToken.atLeastPasswordMinCharacters', { PASSWORD_MIN })}
              error={fieldErrors.password}
            />
            <button type="submit" className="usa-button" disabled={busy}>{t('invitationsToken.createAccountAndAccept')}</button>
          </Form>
        </>
      )}
    </>
  );
}
