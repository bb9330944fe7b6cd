import type { ShouldRevalidateFunction } from '@remix-run/react';

/**
 * For loaders whose data follows who is signed in and where, not the query string (the root and the
 * consoles' frames): a link or GET form that changes only the query (a queue's filters, its next
 * page) leaves them as they were, so the browser asks for the page's own data alone. Actions,
 * explicit revalidation, a change of language (?lng=) and any other navigation revalidate as Remix
 * would.
 */
export const keepOnQueryChange: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) => {
  const onlyTheQueryChanged =
    (formMethod === undefined || formMethod.toUpperCase() === 'GET') &&
    currentUrl.pathname === nextUrl.pathname &&
    currentUrl.search !== nextUrl.search &&
    currentUrl.searchParams.get('lng') === nextUrl.searchParams.get('lng');
  return onlyTheQueryChanged ? false : defaultShouldRevalidate;
};
