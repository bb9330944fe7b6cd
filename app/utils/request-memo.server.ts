import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';

/** What the guards need from a loader's or action's arguments: the request, and its HTTP request's load context. */
export type RequestArgs = Pick<LoaderFunctionArgs, 'request' | 'context'>;

const memos = new WeakMap<AppLoadContext, Map<string, Promise<unknown>>>();

/**
 * `lookup` once per HTTP request and key. Remix gives every loader of one HTTP request (the root's
 * and each route's, run in parallel) the same load context, while each gets its own `Request`,
 * so the context is what the memo hangs on. Only GET and HEAD: an action may change what it read
 * (a role, the session, the town profile), and the loaders Remix runs after it must see that.
 * Keys name the input (host, cookie, town and user), so a context reused across requests in tests
 * never hands one request another's answer.
 */
export function oncePerRequest<T>({ request, context }: RequestArgs, key: string, lookup: () => Promise<T>): Promise<T> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return lookup();
  let memo = memos.get(context);
  if (!memo) memos.set(context, (memo = new Map()));
  let value = memo.get(key) as Promise<T> | undefined;
  if (!value) memo.set(key, (value = lookup()));
  return value;
}
