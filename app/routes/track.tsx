import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { TextField } from '~/components/form-field';
import { locateTrackingNumber } from '~/modules/requests/find-by-tracking-number.server';
import { searchParamsOf } from '~/utils/control-characters';
import { resolveSite, siteOrigin } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('track.pageTitle') }];

/** Any tracking number, from the statewide site or any town's: redirects to the request's own town. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  const number = searchParamsOf(request).get('number')?.trim() ?? '';
  if (!number) return json({ number, error: null });
  const found = await locateTrackingNumber(number);
  if (found) throw redirect(`${siteOrigin(found.townSlug)}/requests/${found.trackingNumber}`);
  return json(
    { number, error: (await requestT(request))('errors:track.notFound', { number }) },
    { status: 404 },
  );
}

export default function Track() {
  const { t } = useTranslation();
  const { number, error } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('track.trackARequest')}</h1>
      <Form method="get" className="usa-form">
        <TextField label={t('track.trackingNumber')} name="number" defaultValue={number} hint={t('track.forExampleSom1042')} error={error ?? undefined} autoComplete="off" />
        <button className="usa-button" type="submit">{t('track.findIt')}</button>
      </Form>
    </>
  );
}
