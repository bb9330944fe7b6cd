import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { verifyEmail } from '~/modules/accounts/accounts.server';
import { searchParamsOf } from '~/utils/control-characters';
import { resolveSite } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('verifyEmail.pageTitle') }];

const PROBLEM = {
  invalid: { status: 400, text: 'This confirmation link is not valid. Check that you copied the whole link from the email.' },
  expired: { status: 410, text: 'This confirmation link has expired. Sign in and ask for a new one from your account page.' },
  used: { status: 410, text: 'This confirmation link has already been used. Your email is confirmed if you used it yourself.' },
} as const;

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const token = searchParamsOf(request).get('token') ?? '';
  const result = token ? await verifyEmail(token) : ({ ok: false, reason: 'invalid' } as const);
  if (result.ok) return json({ ok: true as const, message: 'Thank you: your email address is confirmed.' });
  const problem = PROBLEM[result.reason];
  return json({ ok: false as const, message: problem.text }, { status: problem.status });
}

export default function VerifyEmail() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{data.ok ? t('verifyEmail.emailConfirmed') : t('verifyEmail.weCouldNotConfirmYour')}</h1>
      <div className={`usa-alert ${data.ok ? 'usa-alert--success' : 'usa-alert--warning'}`} role={data.ok ? 'status' : 'alert'}>
        <div className="usa-alert__body">
          <p className="usa-alert__text">{data.message}</p>
        </div>
      </div>
      <p>
        <Link to="/account">{t('verifyEmail.goToYourAccount')}</Link>
      </p>
    </>
  );
}
