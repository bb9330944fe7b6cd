import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { unsubscribeByToken } from '~/modules/requests/following.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTown } from '~/utils/town.server';

/**
 * RFC 8058 one-click unsubscribe: the address in every update email's List-Unsubscribe header.
 * The recipient's mail provider POSTs `List-Unsubscribe=One-Click` here from its own servers (no
 * Origin of ours, no cookie), so the edge lets it through (edge-policy.server.ts) and the token in
 * the URL is the only credential; it can only unsubscribe its own follower. A GET, which a link
 * scanner might send, changes nothing: it shows the page that asks.
 */
export async function loader(args: LoaderFunctionArgs) {
  await requireTown(args);
  const token = searchParamsOf(args.request).get('token') ?? '';
  return redirect(`/unsubscribe?${new URLSearchParams({ token })}`);
}

export async function action(args: ActionFunctionArgs) {
  const town = await requireTown(args);
  const token = searchParamsOf(args.request).get('token') ?? '';
  const body = await args.request.formData();
  if (body.get('List-Unsubscribe') !== 'One-Click') return text(400, 'Send List-Unsubscribe=One-Click.');
  const result = token ? await unsubscribeByToken(town.id, token) : null;
  return result ? text(200, `Unsubscribed from ${result.trackingNumber}.`) : text(404, 'Nothing to unsubscribe.');
}

const text = (status: number, body: string) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
