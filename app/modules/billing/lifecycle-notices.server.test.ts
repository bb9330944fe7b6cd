import { and, count, eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { auditLog, lifecycleNotices, outboxMessages, towns } from '#db/schema';
import { withBilling } from '#db/scope';
import { addDays } from '~/utils/calendar-day';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import { createUser, mailboxFor, townBySlug } from '../../../tests/factories';
import { CATCH_UP_DAYS, sendDueLifecycleNotices } from './lifecycle-notices.server';

/*
 * The clock is injected: each case puts Lexington's grant end relative to a fixed "now" (noon in
 * Massachusetts) and runs the job, as the hourly worker would.
 */
const NOW = new Date('2027-06-15T16:00:00Z');
const TODAY = '2027-06-15';
let admin: { email: string };
let state: { email: string };
let lexington: number;

async function setGrantEnd(end: string) {
  await getDatabase().db.update(towns).set({ grantStart: addDays(end, -3 * 365), grantEnd: end }).where(eq(towns.id, lexington));
  invalidateTownCaches();
}

const noticesOf = () => withBilling((tx) => tx.select().from(lifecycleNotices).where(eq(lifecycleNotices.townId, lexington)));
const subjectsFor = async (to: string) => (await mailboxFor(to)).map((m) => m.subject);

beforeAll(async () => {
  const town = await townBySlug('lexington');
  lexington = town.id;
  admin = await createUser({ roles: [[town, 'admin']] });
  state = await createUser({ stateStaff: true });
  // Every other town's term ends far away, so only Lexington has notices due.
  await getDatabase().db.update(towns).set({ grantEnd: '2035-01-01' });
});

describe('lifecycle notices', () => {
  it('reminds the town admins and state staff once at 180, 90, 30 and 7 days, on the day in the town', async () => {
    await setGrantEnd(addDays(TODAY, 181));
    expect(await sendDueLifecycleNotices(NOW)).toEqual({ emails: 0 });
    for (const days of [180, 90, 30, 7]) {
      await setGrantEnd(addDays(TODAY, days));
      const { emails } = await sendDueLifecycleNotices(NOW);
      expect(emails, `${days} days`).toBeGreaterThanOrEqual(2);
      // Run again (another process, the next hour): nothing more.
      expect(await sendDueLifecycleNotices(NOW)).toEqual({ emails: 0 });
      expect(await subjectsFor(admin.email)).toContain(`Lexington: the state grant for Commonwealth Connect ends in ${days} days`);
    }
    expect((await subjectsFor(state.email)).filter((s) => s.startsWith('Lexington'))).toHaveLength(4);
  });

  it('counts the day in the town’s time zone: at 23:30 in Boston the 30-day reminder is not due yet', async () => {
    await setGrantEnd('2027-07-16');
    // 03:30 UTC on 16 June is still 15 June in Massachusetts: 31 days before the end.
    expect(await sendDueLifecycleNotices(new Date('2027-06-16T03:30:00Z'))).toEqual({ emails: 0 });
    expect((await sendDueLifecycleNotices(new Date('2027-06-16T04:30:00Z'))).emails).toBeGreaterThan(0);
  });

  it('catches up a missed day with the latest reminder only, and records the ones it skipped', async () => {
    // The job did not run between 40 and 25 days before the end: the 30-day reminder goes out late, once.
    await setGrantEnd(addDays(TODAY, 25));
    const before = (await mailboxFor(admin.email)).length;
    await sendDueLifecycleNotices(NOW);
    const sent = (await mailboxFor(admin.email)).slice(before).map((m) => m.subject);
    // It says how many days are really left.
    expect(sent).toEqual(['Lexington: the state grant for Commonwealth Connect ends in 25 days']);
    const end = addDays(TODAY, 25);
    const recorded = (await noticesOf()).filter((n) => n.serviceEnd === end);
    expect(recorded.map((n) => [n.kind, n.emailed]).sort()).toEqual([
      ['ending_180', false],
      ['ending_30', true],
      ['ending_90', false],
    ]);
  });

  it('announces grace on the end day and lapse after the grace days, through the outbox, each once', async () => {
    await setGrantEnd(TODAY);
    await sendDueLifecycleNotices(NOW);
    expect(await subjectsFor(admin.email)).toContain(`Lexington: Commonwealth Connect is in its grace period until August 14, 2027`);
    const lapseDay = new Date(Date.parse(`${addDays(TODAY, 60)}T16:00:00Z`));
    await Promise.all([sendDueLifecycleNotices(lapseDay), sendDueLifecycleNotices(lapseDay)]);
    const lapsed = (await subjectsFor(admin.email)).filter((s) => s === 'Lexington: Commonwealth Connect has stopped taking new reports');
    expect(lapsed).toHaveLength(1);
    const audits = await getDatabase().db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.townId, lexington), eq(auditLog.action, 'town.lifecycle_notice')));
    expect(audits[0]!.n).toBeGreaterThan(0);
  });

  it('records, without emailing, a lapse older than the catch-up window', async () => {
    const end = addDays(TODAY, -400);
    await setGrantEnd(end);
    const before = await getDatabase().db.select({ n: count() }).from(outboxMessages).where(eq(outboxMessages.townId, lexington));
    expect(await sendDueLifecycleNotices(NOW)).toEqual({ emails: 0 });
    const after = await getDatabase().db.select({ n: count() }).from(outboxMessages).where(eq(outboxMessages.townId, lexington));
    expect(after[0]!.n).toBe(before[0]!.n);
    expect((await noticesOf()).filter((n) => n.serviceEnd === end).map((n) => [n.kind, n.emailed]).sort()).toEqual([
      ['grace', false],
      ['lapsed', false],
    ]);
    expect(CATCH_UP_DAYS).toBeLessThan(60);
  });
});
