import { startSession } from '~/utils/auth.server';
import { cookieFrom, createUser, townBySlug } from './factories';

/** The people of a permission matrix: Somerville is town A, Malden town B. */
export type MatrixPerson = 'anonymous' | 'resident' | 'staffA' | 'adminA' | 'staffB' | 'state';

/**
 * One of each (a resident, Somerville's staff and admin, Malden's staff, state staff), signed in
 * from `origin`: their accounts and the cookie each sends (none for anonymous).
 */
export async function signInEveryone(origin: string) {
  const somerville = await townBySlug('somerville');
  const malden = await townBySlug('malden');
  const people = {
    resident: await createUser(),
    staffA: await createUser({ roles: [[somerville, 'staff']] }),
    adminA: await createUser({ roles: [[somerville, 'admin']] }),
    staffB: await createUser({ roles: [[malden, 'staff']] }),
    state: await createUser({ stateStaff: true }),
  };
  const cookies: Record<MatrixPerson, string | null> = { anonymous: null, resident: null, staffA: null, adminA: null, staffB: null, state: null };
  for (const [name, user] of Object.entries(people)) cookies[name as MatrixPerson] = cookieFrom(await startSession(user.id, new Request(origin)));
  return { people, cookies };
}

/** Who may open a town admin page (on Somerville's site): only its admins. */
export const TOWN_ADMIN_PAGE_MATRIX: [MatrixPerson, number][] = [
  ['anonymous', 302],
  ['resident', 403],
  ['staffA', 403],
  ['adminA', 200],
  ['staffB', 403],
  ['state', 403],
];

/** Who may open a state console page: only state staff; everyone else is sent to sign in (302) or refused (403). */
export const STATE_PAGE_MATRIX: [MatrixPerson, number][] = [
  ['anonymous', 302],
  ['resident', 403],
  ['staffA', 403],
  ['adminA', 403],
  ['staffB', 403],
  ['state', 200],
];
