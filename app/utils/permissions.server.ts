import { redirect } from '@remix-run/node';
import { getTownRole, type TownRole } from '~/modules/accounts/memberships.server';
import type { TownProfile } from '~/modules/towns/towns.server';
import { getSessionUser, type SessionUser } from './auth.server';
import { hasControlCharacters } from './control-characters';

export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  return (await getSessionUser(request))?.user ?? null;
}

/** Anonymous visitors are sent to sign in and brought back afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
}

const RANK: Record<TownRole, number> = { staff: 1, admin: 2 };

/** Staff pages of a town: a role in *this* town (admin includes staff); anyone else gets 403. */
export async function requireTownRole(request: Request, town: TownProfile, minimum: TownRole): Promise<{ user: SessionUser; role: TownRole }> {
  const user = await requireUser(request);
  const role = await getTownRole(town.id, user.id);
  if (!role || RANK[role] < RANK[minimum]) {
    throw new Response(`You do not have ${minimum} access to ${town.name}.`, { status: 403, statusText: 'Forbidden' });
  }
  return { user, role };
}

export async function requireStateStaff(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!user.isStateStaff) throw new Response('This page is for state program staff.', { status: 403, statusText: 'Forbidden' });
  return user;
}

// Browsers drop tabs and line breaks inside a URL and read a backslash as a slash, so a path
// holding any of them can turn into another host once the Location header is followed.
const SAME_SITE = 'http://same-site.invalid';

/**
 * Only same-site paths, so a crafted link cannot bounce a signed-in user elsewhere. The path is
 * normalised by the URL parser (which also percent-encodes text a header cannot carry).
 */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target.includes('\\') || hasControlCharacters(target)) return fallback;
  let url: URL;
  try {
    url = new URL(target, SAME_SITE);
  } catch {
    return fallback;
  }
  if (url.origin !== SAME_SITE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('//') ? fallback : path;
}
