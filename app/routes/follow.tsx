import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { FormAlert } from '~/components/form-field';
import { confirmFollow, inspectFollowLink } from '~/modules/requests/following.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTown } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('follow.pageTitle') }];

const PROBLEM_STATUS = { invalid: 400, expired: 410, used: 410 } as const;

/**
 * The link a follow-by-email sends to the address: opening it only asks (a GET changes nothing, so
 * a mail scanner subscribes nobody); the button's POST makes the address a follower.
 */
export async function loader(args: LoaderFunctionArgs) {
  const town = await requireTown(args);
  const token = searchParamsOf(args.request).get('token') ?? '';
  const link = await inspectFollowLink(town.id, token);
  if (link.ok) return json({ token, trackingNumber: link.trackingNumber, email: link.email, problem: null });
  return json({ token: '', trackingNumber: null, email: null, problem: (await requestT(args.request))(`errors:link.follow.${link.reason}`) }, { status: PROBLEM_STATUS[link.reason] });
}

export async function action(args: ActionFunctionArgs) {
  const town = await requireTown(args);
  const token = String((await args.request.formData()).get('token') ?? '');
  const result = await confirmFollow(town.id, token);
  if (result.ok) return redirect(`/requests/${result.trackingNumber}?done=following`);
  return json({ problem: (await requestT(args.request))(`errors:link.follow.${result.reason}`) }, { status: PROBLEM_STATUS[result.reason] });
}

export default function ConfirmFollow() {
  const { t } = useTranslation();
  const { token, trackingNumber, email, problem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const shown = actionData?.problem ?? problem;
  return (
    <>
      <h1>{trackingNumber ? t('follow.followTrackingNumber', { trackingNumber }) : t('follow.linkDoesNotWork')}</h1>
      <FormAlert message={shown} />
      {trackingNumber && !shown ? (
        <Form method="post">
          <input type="hidden" name="token" value={token} />
          <p>{t('follow.pressTheButton', { email, trackingNumber })}</p>
          <button type="submit" className="usa-button">
            {t('follow.confirm')}
          </button>
        </Form>
      ) : null}
    </>
  );
}
