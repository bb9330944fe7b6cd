import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { SuccessAlert } from '~/components/form-field';
import { resendVerification, signOutEverywhere } from '~/modules/accounts/accounts.server';
import { endSession } from '~/utils/auth.server';
import { dailyDigestChoice, setDailyDigest } from '~/modules/staff/due-digests.server';
import type { SessionUser } from '~/utils/auth.server';
import { requireResident, requireTownRole, townRoleOf } from '~/utils/permissions.server';
import { accountLinks, resolveSite, type Site } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('account.pageTitle') }];

/** On a town's site, a member of its team chooses there whether to get its daily digest (docs/decisions/0026). */
async function digestOf(args: LoaderFunctionArgs, site: Site, user: SessionUser) {
  if (site.kind !== 'town' || !(await townRoleOf(args, site.town, user))) return null;
  return { townName: site.town.name, on: await dailyDigestChoice(await requireTownRole(args, 'staff')) };
}

export async function loader(args: LoaderFunctionArgs) {
  const site = await resolveSite(args);
  const { user } = await requireResident(args);
  return json({ email: user.email, displayName: user.displayName, emailVerified: user.emailVerified, isStateStaff: user.isStateStaff, digest: await digestOf(args, site, user) });
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const { user } = await requireResident(args);
  const form = await request.formData();
  if (form.get('intent') === 'daily-digest') {
    await setDailyDigest(await requireTownRole(args, 'staff'), form.get('dailyDigest') === 'on');
    return json({ resent: false, digestSaved: true });
  }
  if (form.get('intent') === 'sign-out-everywhere') {
    await signOutEverywhere(user.id);
    return redirect('/login', { headers: { 'Set-Cookie': await endSession(request) } });
  }
  await resendVerification(user.id, (await accountLinks(args)).verifyEmail);
  return json({ resent: true, digestSaved: false });
}

// The search parameters that bring a notice; the words are the catalogue's account.notice.*.
const NOTICES = ['welcome', 'reset'];

export default function Account() {
  const { t } = useTranslation();
  const account = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = NOTICES.find((key) => params.has(key));
  return (
    <>
      <h1>{t('account.yourAccount')}</h1>
      <SuccessAlert message={notice ? t(`account.notice.${notice}`) : null} />
      <SuccessAlert message={actionData?.resent ? t('account.weSentANewConfirmation', { email: account.email }) : null} />
      <dl>
        <dt>{t('account.email')}</dt>
        <dd>
          {account.email} {account.emailVerified ? t('account.confirmed') : t('account.notConfirmedYet')}
        </dd>
        {account.displayName ? (
          <>
            <dt>{t('account.name')}</dt>
            <dd>{account.displayName}</dd>
          </>
        ) : null}
        {account.isStateStaff ? (
          <>
            <dt>{t('account.role')}</dt>
            <dd>{t('account.stateProgramStaff')}</dd>
          </>
        ) : null}
      </dl>
      <p>{t('account.thisAccountWorksOnThe')}</p>
      {account.emailVerified ? null : (
        <Form method="post">
          <button type="submit" className="usa-button usa-button--outline">{t('account.sendTheConfirmationEmailAgain')}</button>
        </Form>
      )}
      {account.digest ? (
        <>
          <h2 id="daily-digest">{t('account.dailyDigest.heading', { townName: account.digest.townName })}</h2>
          <SuccessAlert message={actionData?.digestSaved ? t('account.dailyDigest.saved') : null} />
          <Form method="post" className="usa-form" aria-labelledby="daily-digest">
            <input type="hidden" name="intent" value="daily-digest" />
            <div className="usa-checkbox">
              <input className="usa-checkbox__input" id="field-dailyDigest" type="checkbox" name="dailyDigest" defaultChecked={account.digest.on} />
              <label className="usa-checkbox__label" htmlFor="field-dailyDigest">
                {t('account.dailyDigest.label')}
                <span className="usa-checkbox__label-description">{t('account.dailyDigest.hint', { townName: account.digest.townName })}</span>
              </label>
            </div>
            <button type="submit" className="usa-button usa-button--outline">{t('account.dailyDigest.save')}</button>
          </Form>
        </>
      ) : null}
      <h2>{t('account.signedInSomewhereElse')}</h2>
      <p>{t('account.signingOutEverywhereEndsThe')}</p>
      <Form method="post">
        <input type="hidden" name="intent" value="sign-out-everywhere" />
        <button type="submit" className="usa-button usa-button--secondary">{t('account.signOutEverywhere')}</button>
      </Form>
    </>
  );
}
