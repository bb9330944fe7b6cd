/** Documented in README.md; created only in demo mode. */
export const DEMO_PASSWORD = 'demo-connect-2026';

export const DEMO_ACCOUNTS: { email: string; displayName: string; stateStaff?: boolean; roles?: [slug: string, role: 'staff' | 'admin'][] }[] = [
  { email: 'resident@demo.test', displayName: 'Riley Resident' },
  { email: 'state@demo.test', displayName: 'Sam State', stateStaff: true },
  { email: 'admin.somerville@demo.test', displayName: 'Alex Admin (Somerville)', roles: [['somerville', 'admin']] },
  { email: 'staff.somerville@demo.test', displayName: 'Casey Staff (Somerville)', roles: [['somerville', 'staff']] },
  { email: 'admin.malden@demo.test', displayName: 'Morgan Admin (Malden)', roles: [['malden', 'admin']] },
  { email: 'staff.malden@demo.test', displayName: 'Jordan Staff (Malden)', roles: [['malden', 'staff']] },
  { email: 'staff.newton@demo.test', displayName: 'Taylor Staff (Newton)', roles: [['newton', 'staff']] },
  // The towns in grace and lapsed (seed-demo.server.ts), to see their banners and subscribe.
  { email: 'admin.lexington@demo.test', displayName: 'Lee Admin (Lexington)', roles: [['lexington', 'admin']] },
  { email: 'admin.chelsea@demo.test', displayName: 'Chris Admin (Chelsea)', roles: [['chelsea', 'admin']] },
];

/** The demo accounts' password is in the README, so they may only be used in demo mode. */
export function isDemoAccountEmail(email: string): boolean {
  const lower = email.toLowerCase();
  return DEMO_ACCOUNTS.some((a) => a.email === lower);
}
