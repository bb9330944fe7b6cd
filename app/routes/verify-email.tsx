import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { inspectEmailToken, verifyEmail } from '~/modules/accounts/accounts.server';
import { searchParamsOf } from '~/utils/control-characters';
import { resolveSite } from '~/utils/town.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('verifyEmail.pageTitle') }];

// The HTTP status of each way a link can fail; the words are the catalogue's errors:link.verification.*.
const PROBLEM_STATUS = {
  invalid: 400,
  expired: 410,
  used: 410,
} as const;

// Opening the link only shows a button: a GET changes nothing, so a mail scanner that follows links confirms nothing.
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const token = searchParamsOf(request).get('token') ?? '';
  const state = token ? await inspectEmailToken(token, 'verify_email') : 'invalid';
  if (state === 'valid') return json({ token, problem: null });
  const t = await requestT(request);
  return json({ token: '', problem: t(`errors:link.verification.${state}`) }, { status: PROBLEM_STATUS[state] });
}

const confirmForm = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const t = await requestT(request);
  const parsed = confirmForm.safeParse(Object.fromEntries(await request.formData()));
  const result = parsed.success ? await verifyEmail(parsed.data.token) : ({ ok: false, reason: 'invalid' } as const);
  if (result.ok) return json({ confirmed: true as const, message: t('verifyEmail.confirmed') });
  return json({ confirmed: false as const, message: t(`errors:link.verification.${result.reason}`) }, { status: PROBLEM_STATUS[result.reason] });
}

export default function VerifyEmail() {
  const { t } = useTranslation();
  const { token, problem } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  if (outcome?.confirmed || outcome?.message || problem) {
    const confirmed = outcome?.confirmed === true;
    return (
      <>
        <h1>{confirmed ? t('verifyEmail.emailConfirmed') : t('verifyEmail.weCouldNotConfirmYour')}</h1>
        <div className={`usa-alert ${confirmed ? 'usa-alert--success' : 'usa-alert--warning'}`} role={confirmed ? 'status' : 'alert'}>
          <div className="usa-alert__body">
            <p className="usa-alert__text">{outcome?.message ?? problem}</p>
          </div>
        </div>
        <p>
          <Link to="/account">{t('verifyEmail.goToYourAccount')}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t('verifyEmail.confirmYourEmail')}</h1>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <p>{t('verifyEmail.pressTheButton')}</p>
        <button type="submit" className="usa-button">
          {t('verifyEmail.confirmMyEmail')}
        </button>
      </Form>
    </>
  );
}
