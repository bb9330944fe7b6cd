import { towns } from '#db/schema';

/** The `towns` columns a lifecycle is derived from (lifecycle.ts), for selects that show or filter by it. */
export const lifecycleColumns = { timezone: towns.timezone, grantStart: towns.grantStart, grantEnd: towns.grantEnd, liveSince: towns.liveSince, leftProgramAt: towns.leftProgramAt };
