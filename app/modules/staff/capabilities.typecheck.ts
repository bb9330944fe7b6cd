/**
 * Checked by `tsc --noEmit`, never run: a staff action needs a TownStaff from the guard. Each
 * `@ts-expect-error` fails the type check if its line ever starts compiling.
 */
import type { TownRole } from '#db/vocabulary';
import type { TownProfile } from '~/utils/town-profile.server';
import type { SessionUser } from '~/utils/auth.server';
import type { Resident, StateStaff, TownAdmin, TownStaff } from '~/utils/capabilities.server';
import { changeMemberRole } from '../admin/members.server';
import { addInternalNote } from './request-work.server';

declare const town: TownProfile;
declare const user: SessionUser;
declare const role: TownRole;
declare const resident: Resident;
declare const stateStaff: StateStaff;
declare const staff: TownStaff;
declare const admin: TownAdmin;
const seen = { trackingNumber: 'SOM-1001', expectedVersion: 1 };

export function staffActionsTakeOnlyTheGuardsCapability() {
  // @ts-expect-error the same fields without the guard's brand
  void addInternalNote({ town, user, role }, seen, 'note');
  // @ts-expect-error a signed-in resident is not staff
  void addInternalNote(resident, seen, 'note');
  // @ts-expect-error nor is state staff, in any town
  void addInternalNote(stateStaff, seen, 'note');
  // @ts-expect-error the old (town id, user id) pair
  void addInternalNote(town.id, user.id, seen, 'note');
  void addInternalNote(staff, seen, 'note');
  // An admin is staff too.
  void addInternalNote(admin, seen, 'note');
}

export function adminActionsRefuseStaff() {
  // @ts-expect-error staff of the right town, but not its admin
  void changeMemberRole(staff, user.id, 'admin');
  void changeMemberRole(admin, user.id, 'admin');
}
