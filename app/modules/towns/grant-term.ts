export type GrantTermStatus = 'not_started' | 'active' | 'ending_soon' | 'ended';

const DAY_MS = 86_400_000;
export const ENDING_SOON_DAYS = 90;

/** Where a town stands in its state-funded term; dates are whole days (YYYY-MM-DD). */
export function grantTermStatus(start: string, end: string, today: Date = new Date()): { status: GrantTermStatus; daysLeft: number } {
  const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const daysLeft = Math.round((Date.parse(end) - day) / DAY_MS);
  if (day < Date.parse(start)) return { status: 'not_started', daysLeft };
  if (daysLeft <= 0) return { status: 'ended', daysLeft: 0 };
  return { status: daysLeft <= ENDING_SOON_DAYS ? 'ending_soon' : 'active', daysLeft };
}
