import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { unsubscribeByToken } from '~/modules/requests/request-updates.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTown } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('unsubscribe.pageTitle') }];

/** The link in every update email; works without signing in and only ever unsubscribes. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const town = await requireTown(args);
  const token = searchParamsOf(request).get('token') ?? '';
  const result = token ? await unsubscribeByToken(town.id, token) : null;
  if (!result) return json({ trackingNumber: null }, { status: 404 });
  return json({ trackingNumber: result.trackingNumber });
}

export default function Unsubscribe() {
  const { t } = useTranslation();
  const { trackingNumber } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{trackingNumber ? t('unsubscribe.youAreUnsubscribed') : t('unsubscribe.nothingToUnsubscribe')}</h1>
      {trackingNumber ? (
        <p><TransText t={t} i18nKey="unsubscribe.youWillGetNoMore" values={{ trackingNumber }} components={{ a: <Link to={`/requests/${trackingNumber}`} /> }} /></p>
      ) : (
        <p>{t('unsubscribe.thisLinkWasAlreadyUsed')}</p>
      )}
    </>
  );
}
