import type { LoaderFunctionArgs } from '@remix-run/node';
import { resolveSite } from '~/utils/town.server';

/** Unknown paths: the root error boundary renders the 404 page with a link to the statewide site. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  throw new Response(`There is no page at ${new URL(request.url).pathname}.`, { status: 404, statusText: 'Not Found' });
}

export default function NotFound() {
  return null;
}
