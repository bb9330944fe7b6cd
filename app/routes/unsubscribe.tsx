import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { unsubscribeByToken } from '~/modules/requests/request-updates.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTown } from '~/utils/town.server';

export const meta: MetaFunction = () => [{ title: 'Unsubscribe · Commonwealth Connect' }];

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
  const { trackingNumber } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{trackingNumber ? 'You are unsubscribed' : 'Nothing to unsubscribe'}</h1>
      {trackingNumber ? (
        <p>
          You will get no more emails about <Link to={`/requests/${trackingNumber}`}>{trackingNumber}</Link>.
        </p>
      ) : (
        <p>This link was already used, or it is incomplete. You are not subscribed through it.</p>
      )}
    </>
  );
}
