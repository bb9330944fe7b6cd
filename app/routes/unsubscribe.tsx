import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { inspectUnsubscribeLink, unsubscribeByToken } from '~/modules/requests/following.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTown } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('unsubscribe.pageTitle') }];

/**
 * The link in every update email. Opening it only asks (a GET changes nothing, so a mail scanner that
 * follows links unsubscribes nobody); the button's POST unsubscribes, without signing in. Mail apps
 * use the one-click address in the List-Unsubscribe header instead (unsubscribe_.one-click.ts).
 */
export async function loader(args: LoaderFunctionArgs) {
  const town = await requireTown(args);
  const token = searchParamsOf(args.request).get('token') ?? '';
  const link = token ? await inspectUnsubscribeLink(town.id, token) : null;
  if (!link) return json({ token: '', trackingNumber: null }, { status: 404 });
  return json({ token, trackingNumber: link.trackingNumber });
}

export async function action(args: ActionFunctionArgs) {
  const town = await requireTown(args);
  const token = String((await args.request.formData()).get('token') ?? '');
  const result = token ? await unsubscribeByToken(town.id, token) : null;
  if (!result) return json({ unsubscribed: null }, { status: 404 });
  return json({ unsubscribed: result.trackingNumber });
}

export default function Unsubscribe() {
  const { t } = useTranslation();
  const { token, trackingNumber } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.unsubscribed) {
    return (
      <>
        <h1>{t('unsubscribe.youAreUnsubscribed')}</h1>
        <p role="status">
          <TransText t={t} i18nKey="unsubscribe.youWillGetNoMore" values={{ trackingNumber: actionData.unsubscribed }} components={{ a: <Link to={`/requests/${actionData.unsubscribed}`} /> }} />
        </p>
      </>
    );
  }
  if (!trackingNumber || actionData) {
    return (
      <>
        <h1>{t('unsubscribe.nothingToUnsubscribe')}</h1>
        <p>{t('unsubscribe.thisLinkWasAlreadyUsed')}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t('unsubscribe.stopEmailsAbout', { trackingNumber })}</h1>
      <p>{t('unsubscribe.pressTheButton', { trackingNumber })}</p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <button type="submit" className="usa-button">
          {t('unsubscribe.unsubscribe')}
        </button>
      </Form>
    </>
  );
}
