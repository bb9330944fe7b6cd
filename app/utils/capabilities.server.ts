import type { TownRole } from '#db/vocabulary';
import type { SessionUser } from './auth.server';
import type { TownProfile } from './town-profile.server';

/**
 * The brand a capability carries: set only by the guards in permissions.server.ts (and the
 * test-only factories in tests/capabilities.ts), which eslint enforces. A plain object with the
 * same fields lacks it, so the type checker refuses it wherever a capability is required.
 */
export const CAPABILITY: unique symbol = Symbol('capability');

/** Someone with a role in `town`, checked against its memberships for this request. */
export type TownStaff = {
  readonly [CAPABILITY]: 'town_staff' | 'town_admin';
  readonly town: TownProfile;
  readonly user: SessionUser;
  readonly role: TownRole;
};

/** A town's administrator: usable wherever `TownStaff` is required, never the other way round. */
export type TownAdmin = TownStaff & { readonly [CAPABILITY]: 'town_admin'; readonly role: 'admin' };

/** State program staff: read-only oversight across towns. */
export type StateStaff = { readonly [CAPABILITY]: 'state_staff'; readonly user: SessionUser };

/** A signed-in person acting for themselves (reporting, following, withdrawing their own report). */
export type Resident = { readonly [CAPABILITY]: 'resident'; readonly user: SessionUser };
