import { redirect } from '@remix-run/node';
import type { TownRole } from '#db/vocabulary';
import { getSessionUser, type SessionUser } from './auth.server';
import { CAPABILITY, type Resident, type StateStaff, type TownAdmin, type TownStaff } from './capabilities.server';
import { hasControlCharacters } from './control-characters';
import { getTownRole } from './memberships.server';
import { oncePerRequest, type RequestArgs } from './request-memo.server';
import { requireTown } from './town.server';
import type { TownProfile } from './town-profile.server';

/**
 * The session's user, validated once per HTTP request. When lucia extends the session, the new
 * cookie goes out with whatever this HTTP request answers: a queue page's data, an action's
 * redirect or a CSV export may be what a browser asks first after the session's half-life.
 */
export function getOptionalUser(args: RequestArgs): Promise<SessionUser | null> {
  return oncePerRequest(args, `session:${args.request.headers.get('Cookie') ?? ''}`, async () => {
    const session = await getSessionUser(args.request);
    if (session?.setCookie) args.context.sendCookie?.(session.setCookie);
    return session?.user ?? null;
  });
}

/** Anonymous visitors are sent to sign in and brought back afterwards. */
export async function requireResident(args: RequestArgs): Promise<Resident> {
  const user = await getOptionalUser(args);
  if (user) return { [CAPABILITY]: 'resident', user };
  const url = new URL(args.request.url);
  throw redirect(`/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
}

/**
 * The person a session just started for (sign-up in the same request as what it was for): the
 * new session's cookie is validated like any other, so the capability still comes from a session.
 */
export async function requireResidentOfNewSession(setCookie: string, request: Request): Promise<Resident> {
  const cookie = setCookie.split(';', 1)[0]!;
  const session = await getSessionUser(new Request(request.url, { headers: { Cookie: cookie } }));
  if (!session) throw new Error('A session that was just started does not validate');
  return { [CAPABILITY]: 'resident', user: session.user };
}

/** The user's role in the town (for the header's console links), read once per HTTP request. */
export function townRoleOf(args: RequestArgs, town: TownProfile, user: SessionUser): Promise<TownRole | null> {
  return oncePerRequest(args, `role:${town.id}:${user.id}`, () => getTownRole(town.id, user.id));
}

const RANK: Record<TownRole, number> = { staff: 1, admin: 2 };

function townCapability(town: TownProfile, user: SessionUser, role: TownRole | null, minimum: TownRole): TownStaff | null {
  if (!role || RANK[role] < RANK[minimum]) return null;
  return { [CAPABILITY]: role === 'admin' ? 'town_admin' : 'town_staff', town, user, role };
}

/**
 * The membership check behind requireTownRole, for a user the caller already trusts. Only
 * tests/capabilities.ts may import it (eslint): in the app, the session says who the user is.
 */
export async function checkTownRole(town: TownProfile, user: SessionUser, minimum: 'admin'): Promise<TownAdmin | null>;
export async function checkTownRole(town: TownProfile, user: SessionUser, minimum: TownRole): Promise<TownStaff | null>;
export async function checkTownRole(town: TownProfile, user: SessionUser, minimum: TownRole): Promise<TownStaff | null> {
  return townCapability(town, user, await getTownRole(town.id, user.id), minimum);
}

/** Staff pages of a town: only on its site, and a role in *this* town (admin includes staff); anyone else gets 403. */
export async function requireTownRole(args: RequestArgs, minimum: 'admin'): Promise<TownAdmin>;
export async function requireTownRole(args: RequestArgs, minimum: TownRole): Promise<TownStaff>;
export async function requireTownRole(args: RequestArgs, minimum: TownRole): Promise<TownStaff> {
  const town = await requireTown(args);
  const { user } = await requireResident(args);
  const staff = townCapability(town, user, await townRoleOf(args, town, user), minimum);
  if (!staff) throw new Response(`You do not have ${minimum} access to ${town.name}.`, { status: 403, statusText: 'Forbidden' });
  return staff;
}

export async function requireStateStaff(args: RequestArgs): Promise<StateStaff> {
  const { user } = await requireResident(args);
  if (!user.isStateStaff) throw new Response('This page is for state program staff.', { status: 403, statusText: 'Forbidden' });
  return { [CAPABILITY]: 'state_staff', user };
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
