import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { categories, oversightReads, serviceRequests, townClosureDays } from '#db/schema';
import { withTown } from '#db/scope';
import { LONG_OVERDUE_BUSINESS_DAYS, longOverdueCutoff } from '~/modules/oversight/long-overdue.server';
import { businessCalendar, businessDaysBetween, instantAt, isBusinessDay } from '~/modules/requests/service-levels';
import { loader as consoleLoader } from '~/routes/state._index';
import { loader as townLoader } from '~/routes/state.towns.$slug';
import { startSession } from '~/utils/auth.server';
import { addDays, dayIn } from '~/utils/calendar-day';
import type { TownProfile } from '~/utils/town-profile.server';
import { browserRequest, cookieFrom, createUser, requestRow, townBySlug } from '../factories';
import { settle } from '../requests';

const STATE = 'http://localhost:3000';
type Loader = (args: never) => Promise<Response>;
const open = (loader: Loader, url: string, cookie: string, params: Record<string, string> = {}) => settle(loader({ request: browserRequest(url, { cookie }), params, context: { clientIp: '10.6.6.6' } } as never));

describe('the long-overdue cutoff', () => {
  it('is exactly where the business days since the due day reach the threshold, holidays and closures skipped', () => {
    const calendar = businessCalendar({ timezone: 'America/New_York', county: 'Middlesex' }, ['2026-11-27']);
    // Every hour of December 2026's first week, against every due day of the two months before.
    for (let t = Date.parse('2026-12-01T05:00:00Z'); t < Date.parse('2026-12-08T05:00:00Z'); t += 3_600_000) {
      const now = new Date(t);
      const today = dayIn(now, calendar.timeZone);
      const cutoff = longOverdueCutoff(now, calendar);
      for (let day = '2026-10-01'; day <= today; day = addDays(day, 1)) {
        const dueAt = instantAt(day, 12 * 3_600_000, calendar.timeZone);
        expect(dueAt < cutoff, `${day} at ${now.toISOString()}`).toBe(businessDaysBetween(day, today, calendar) >= LONG_OVERDUE_BUSINESS_DAYS);
      }
    }
  });
});

describe('long-overdue requests in the state console', () => {
  let newton: TownProfile;
  let cookie: string;
  let stateUser: { id: string };
  const numbers: Record<string, string> = {};

  /** The latest day `n` of Newton's business days before today (no closures). */
  const dayBack = (n: number) => {
    const calendar = businessCalendar(newton, []);
    const today = dayIn(new Date(), newton.timezone);
    let day = addDays(today, -1);
    while (businessDaysBetween(day, today, calendar) < n) day = addDays(day, -1);
    return day;
  };

  beforeAll(async () => {
    newton = await townBySlug('newton');
    stateUser = await createUser({ stateStaff: true });
    cookie = cookieFrom(await startSession(stateUser.id, new Request(STATE)));
    const [category] = await withTown(newton.id, (tx) => tx.select({ id: categories.id }).from(categories).where(eq(categories.code, 'pothole')));
    const file = async (key: string, dueDay: string, fields: Partial<typeof serviceRequests.$inferInsert> = {}) => {
      const dueAt = instantAt(dueDay, 12 * 3_600_000, newton.timezone);
      const row = requestRow(newton, category!.id, { createdAt: new Date(dueAt.getTime() - 30 * 86_400_000), dueAt, ...fields });
      await withTown(newton.id, (tx) => tx.insert(serviceRequests).values(row));
      numbers[key] = row.trackingNumber;
    };
    await file('tenBack', dayBack(LONG_OVERDUE_BUSINESS_DAYS));
    await file('twentyBack', dayBack(20), { status: 'in_progress', acknowledgedAt: new Date() });
    await file('nineBack', dayBack(LONG_OVERDUE_BUSINESS_DAYS - 1));
    await file('closedLongAgo', dayBack(30), { status: 'fixed', closedAt: new Date() });
    // Exactly at the threshold, until the town closed one of the business days since.
    await file('shiftedByClosure', dayBack(LONG_OVERDUE_BUSINESS_DAYS));
  });

  const newtonRow = async () => {
    const data = await (await open(consoleLoader as Loader, `${STATE}/state?sort=long_overdue&dir=desc`, cookie)).json();
    return { rows: data.view.rows as { slug: string; longOverdue: number }[], newton: (data.view.rows as { slug: string; longOverdue: number }[]).find((r) => r.slug === 'newton')! };
  };

  it('counts each town’s open requests overdue by the threshold or more, and sorts by it', async () => {
    const { rows, newton: row } = await newtonRow();
    expect(row.longOverdue).toBe(3);
    expect(rows[0]!.longOverdue).toBeGreaterThanOrEqual(3);
  });

  it('lists them on the town’s drill-down, longest overdue first, and records the read', async () => {
    const before = (await getDatabase().db.select().from(oversightReads).where(eq(oversightReads.stateStaffUserId, stateUser.id))).length;
    const data = await (await open(townLoader as Loader, `${STATE}/state/towns/newton`, cookie, { slug: 'newton' })).json();
    expect(data.longOverdueDays).toBe(LONG_OVERDUE_BUSINESS_DAYS);
    expect(data.overview.longOverdue.total).toBe(3);
    const listed = data.overview.longOverdue.requests as { trackingNumber: string; businessDaysOverdue: number; assigned: boolean; status: string }[];
    expect(listed[0]!.trackingNumber).toBe(numbers.twentyBack);
    expect(new Set(listed.slice(1).map((r) => r.trackingNumber))).toEqual(new Set([numbers.tenBack, numbers.shiftedByClosure]));
    expect(listed[0]).toMatchObject({ businessDaysOverdue: 20, status: 'in_progress', assigned: false });
    expect(listed.map((r) => r.trackingNumber)).not.toContain(numbers.nineBack);
    expect(listed.map((r) => r.trackingNumber)).not.toContain(numbers.closedLongAgo);
    expect(JSON.stringify(data.overview.longOverdue)).not.toMatch(/fixture|reporter|@/);
    const after = await getDatabase().db.select().from(oversightReads).where(eq(oversightReads.stateStaffUserId, stateUser.id));
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.what).toContain('long-overdue requests');
  });

  it('no longer counts a request once a closure day brings it under the threshold', async () => {
    const today = dayIn(new Date(), newton.timezone);
    let closed = addDays(today, -1);
    while (!isBusinessDay(closed, businessCalendar(newton, []))) closed = addDays(closed, -1);
    await withTown(newton.id, (tx) => tx.insert(townClosureDays).values({ townId: newton.id, day: closed, name: 'Storm' }));
    expect((await newtonRow()).newton.longOverdue).toBe(1);
    await withTown(newton.id, (tx) => tx.delete(townClosureDays).where(eq(townClosureDays.day, closed)));
  });
});
