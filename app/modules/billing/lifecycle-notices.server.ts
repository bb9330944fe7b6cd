import { eq } from 'drizzle-orm';
import { lifecycleNotices, users } from '#db/schema';
import { enterTown, withBilling } from '#db/scope';
import type { LifecycleNoticeKind } from '#db/vocabulary';
import { townAdminEmails } from '~/modules/admin/town-admins.server';
import { recordAudit } from '~/modules/audit/audit.server';
import { lifecycleNoticeEmail } from '~/modules/notifications/lifecycle-emails.server';
import { ENDING_REMINDER_DAYS, type TownLifecycle } from '~/modules/towns/lifecycle';
import { lifecycleOf } from '~/modules/towns/town-lifecycle.server';
import { addDays, dayIn, daysBetween } from '~/utils/calendar-day';
import { getEnv } from '~/utils/env.server';
import { enqueueTownEmails } from '~/utils/outbox.server';
import { listTowns, type TownProfile } from '~/utils/town-profile.server';
import { siteOrigin } from '~/utils/town.server';

/**
 * A notice whose day passed longer ago than this is recorded without an email: the job catches up
 * a missed day or a restart, but a town that lapsed years before the job first ran is not news.
 */
export const CATCH_UP_DAYS = 14;

type DueNotice = { kind: LifecycleNoticeKind; serviceEnd: string; day: string };

/**
 * The notices due by now for the town's lifecycle: the grant-end reminders whose day has come, or
 * grace and lapse once entered. Each is about one end date, so an extended term or a second lapse
 * after a cancelled subscription gets notices of its own.
 */
export function dueLifecycleNotices(lifecycle: TownLifecycle, grantEnd: string): DueNotice[] {
  switch (lifecycle.state) {
    case 'in_grant':
    case 'grant_ending':
      return ENDING_REMINDER_DAYS.filter((days) => lifecycle.daysLeft! <= days).map((days) => ({ kind: `ending_${days}` as const, serviceEnd: grantEnd, day: addDays(grantEnd, -days) }));
    case 'grace':
      return [{ kind: 'grace', serviceEnd: lifecycle.serviceEnded!, day: lifecycle.serviceEnded! }];
    case 'lapsed':
      return [
        { kind: 'grace', serviceEnd: lifecycle.serviceEnded!, day: lifecycle.serviceEnded! },
        { kind: 'lapsed', serviceEnd: lifecycle.serviceEnded!, day: lifecycle.until! },
      ];
    default:
      return [];
  }
}

/** Of the notices due, the one to email: the latest whose day is recent; the others are only recorded. */
function noticeToEmail(due: DueNotice[], today: string): DueNotice | undefined {
  const latest = due.reduce<DueNotice | undefined>((a, b) => (!a || b.day >= a.day ? b : a), undefined);
  return latest && daysBetween(latest.day, today) <= CATCH_UP_DAYS ? latest : undefined;
}

const money = (cents: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
const longDay = (day: string) => new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${day}T00:00:00Z`));

/**
 * One town's due notices, in one transaction under the billing role: the rows are inserted first
 * (the primary key makes a second process, or a second run, insert nothing), and only the process
 * whose insert created the row emails it (outbox, same transaction) and audits it.
 */
async function sendTownNotices(town: TownProfile, now: Date): Promise<number> {
  const lifecycle = lifecycleOf(town, now);
  const due = dueLifecycleNotices(lifecycle, town.grantEnd);
  if (due.length === 0) return 0;
  const today = dayIn(now, town.timezone);
  const email = noticeToEmail(due, today);
  return withBilling(async (tx) => {
    const inserted = await tx
      .insert(lifecycleNotices)
      .values(due.map((n) => ({ townId: town.id, kind: n.kind, serviceEnd: n.serviceEnd, emailed: n === email })))
      .onConflictDoNothing()
      .returning({ kind: lifecycleNotices.kind, serviceEnd: lifecycleNotices.serviceEnd, emailed: lifecycleNotices.emailed });
    if (inserted.length === 0) return 0;
    const sending = inserted.find((n) => n.emailed);
    const stateStaff = sending ? await tx.select({ email: users.email }).from(users).where(eq(users.isStateStaff, true)) : [];
    await enterTown(tx, town.id);
    for (const notice of inserted) {
      await recordAudit(tx, town.id, { actorUserId: null, action: 'town.lifecycle_notice', entityType: 'town', entityId: String(town.id), after: { ...notice, state: lifecycle.state } });
    }
    if (!sending) return 0;
    const admins = await townAdminEmails(tx, town.id);
    const facts = {
      townName: town.name,
      end: longDay(sending.serviceEnd),
      stops: longDay(addDays(sending.serviceEnd, getEnv().BILLING_GRACE_DAYS)),
      price: money(getEnv().PROGRAM_YEARLY_PRICE_CENTS),
      count: Math.max(0, daysBetween(today, sending.serviceEnd)),
    };
    const messages = [
      ...admins.map((email) => lifecycleNoticeEmail(email, sending.kind, { ...facts, link: `${siteOrigin(town.slug)}/admin/billing`, forState: false })),
      ...stateStaff.map((s) => lifecycleNoticeEmail(s.email, sending.kind, { ...facts, link: `${siteOrigin(null)}/state/towns/${town.slug}/billing`, forState: true })),
    ];
    await enqueueTownEmails(tx, town.id, messages);
    return messages.length;
  });
}

/**
 * The scheduled job (app/background-workers.server.ts): every town's due reminders and lifecycle
 * notices, each sent once however many processes run it and however late it runs.
 */
export async function sendDueLifecycleNotices(now = new Date()): Promise<{ emails: number }> {
  let emails = 0;
  for (const town of await listTowns()) emails += await sendTownNotices(town, now);
  return { emails };
}
