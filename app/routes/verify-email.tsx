import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { verifyEmail } from '~/modules/accounts/accounts.server';
import { searchParamsOf } from '~/utils/control-characters';
import { resolveSite } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('verifyEmail.pageTitle') }];

// The HTTP status of each way a link can fail; the words are the catalogue's errors:link.verification.*.
const PROBLEM_STATUS = {
  invalid: 400,
  expired: 410,
  used: 410,
} as const;

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const token = searchParamsOf(request).get('token') ?? '';
  const result = token ? await verifyEmail(token) : ({ ok: false, reason: 'invalid' } as const);
  const t = await requestT(request);
  if (result.ok) return json({ ok: true as const, message: t('verifyEmail.confirmed') });
  return json({ ok: false as const, message: t(`errors:link.verification.${result.reason}`) }, { status: PROBLEM_STATUS[result.reason] });
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
