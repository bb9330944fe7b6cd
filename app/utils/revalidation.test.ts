import { keepOnQueryChange } from './revalidation';

const ORIGIN = 'http://somerville.localhost:3000';
type Args = Parameters<typeof keepOnQueryChange>[0];

/** What Remix asks a route: from `current` to `next`, after a form of `formMethod` if any. */
function revalidates(current: string, next: string, formMethod?: string): boolean {
  const args = {
    currentUrl: new URL(`${ORIGIN}${current}`),
    nextUrl: new URL(`${ORIGIN}${next}`),
    currentParams: {},
    nextParams: {},
    formMethod: formMethod as Args['formMethod'],
    defaultShouldRevalidate: true,
  } as Args;
  return keepOnQueryChange(args);
}

describe('keepOnQueryChange', () => {
  it('keeps the data when a link or a GET form changes only the query', () => {
    expect(revalidates('/staff', '/staff?page=2')).toBe(false);
    expect(revalidates('/staff?status=open', '/staff?status=closed&sort=oldest', 'GET')).toBe(false);
    expect(revalidates('/staff?status=open', '/staff?status=closed', 'get')).toBe(false);
  });

  it('revalidates after an action, on explicit revalidation, on a change of language and elsewhere as Remix would', () => {
    expect(revalidates('/staff?page=2', '/staff?page=2', 'POST')).toBe(true);
    expect(revalidates('/staff?status=open', '/staff?status=closed', 'POST')).toBe(true);
    expect(revalidates('/staff?page=2', '/staff?page=2')).toBe(true);
    expect(revalidates('/staff', '/staff?lng=es')).toBe(true);
    expect(revalidates('/staff', '/staff/requests/SOM-1001?back=')).toBe(true);
  });

  it('never revalidates where Remix would not', () => {
    const args = { currentUrl: new URL(`${ORIGIN}/staff`), nextUrl: new URL(`${ORIGIN}/staff/requests/SOM-1001`), currentParams: {}, nextParams: {}, defaultShouldRevalidate: false } as Args;
    expect(keepOnQueryChange(args)).toBe(false);
  });
});
