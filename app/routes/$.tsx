import type { LoaderFunctionArgs } from '@remix-run/node';
import { resolveSite } from '~/utils/town.server';
import { requestT } from '~/i18n/i18n.server';

/** Unknown paths: the root error boundary renders the 404 page with a link to the statewide site. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  throw new Response((await requestT(request))('errors:page.notFound', { path: new URL(request.url).pathname }), { status: 404, statusText: 'Not Found' });
}

export default function NotFound() {
  return null;
}
