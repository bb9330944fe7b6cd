import { eq, lt } from 'drizzle-orm';
import { memberships, serviceRequests, staffDigests } from '#db/schema';
import { withTown } from '#db/scope';
import { dueDigestEmail, type DigestSection } from '~/modules/notifications/service-level-emails.server';
import { townCalendar } from '~/modules/requests/closure-days.server';
import { businessDayAfter, instantAt, isBusinessDay } from '~/modules/requests/service-levels';
import { fallbackLanguage, intlLocaleFor } from '~/i18n/config';
import { addDays, dayIn } from '~/utils/calendar-day';
import { dateTimeFormat } from '~/utils/date-format';
import { enqueueTownEmails } from '~/utils/outbox.server';
import { listTowns, type TownProfile } from '~/utils/town-profile.server';
import { siteOrigin } from '~/utils/town.server';
import { recordAuditBy } from '~/modules/audit/audit.server';
import type { TownStaff } from '~/utils/capabilities.server';
import { answeringFor, queueLink, selectRequestFacts, selectTeam, staffRef, type TeamMember } from './service-level-recipients.server';

/**
 * The daily digest (docs/decisions/0026): on each of the town's business days, in its morning, every
 * team member who has not turned it off gets one email listing what is overdue, due today and due
 * the next business day among the requests they answer for (`answeringFor`). A member with nothing
 * due gets none that day.
 */

/** The digest goes out from this hour of the town's morning… */
export const DIGEST_FROM_HOUR = 7;
/** …and not at all once the morning is over (the job was down): the day's list is stale by then. */
export const DIGEST_UNTIL_HOUR = 12;
/** Requests named per section; the rest are counted and linked to the queue. */
export const DIGEST_LIST_MAX = 20;
/** Open requests read per town and morning: an overdue backlog larger than this is summarised from the first ones. */
const READ_MAX = 5000;

const hourIn = (now: Date, timeZone: string) => Number(dateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(now));
const dayName = (day: string) => dateTimeFormat(intlLocaleFor(fallbackLanguage), { timeZone: 'UTC', weekday: 'long', month: 'short', day: 'numeric' }).format(new Date(`${day}T12:00:00Z`));

type Due = Parameters<typeof answeringFor>[0] & Parameters<typeof staffRef>[0];
type Bounds = { now: Date; endOfToday: Date; today: string; next: string };

/** The member's three lists, from the requests due by the end of the next business day. */
function sectionsFor(member: TeamMember, team: readonly TeamMember[], due: readonly Due[], town: TownProfile, bounds: Bounds): DigestSection[] {
  const email = member.email.toLowerCase();
  const mine = due.filter((d) => answeringFor(d, team).includes(email));
  const section = (kind: DigestSection['kind'], day: string, rows: Due[]): DigestSection => ({
    kind,
    day: dayName(day),
    requests: rows.slice(0, DIGEST_LIST_MAX).map((d) => staffRef(d, town)),
    more: Math.max(0, rows.length - DIGEST_LIST_MAX),
  });
  return [
    section('overdue', bounds.today, mine.filter((d) => d.dueAt <= bounds.now)),
    section('dueToday', bounds.today, mine.filter((d) => d.dueAt > bounds.now && d.dueAt < bounds.endOfToday)),
    section('dueNext', bounds.next, mine.filter((d) => d.dueAt >= bounds.endOfToday)),
  ];
}

const listed = (sections: DigestSection[]) => sections.reduce((n, s) => n + s.requests.length + s.more, 0);

/**
 * One town's digests for today, in one transaction: a row per member and day is inserted first (a
 * second process, or a later hour, inserts nothing), and only the transaction whose insert created
 * a member's row queues that member's email.
 */
async function digestTown(town: TownProfile, now: Date): Promise<number> {
  const hour = hourIn(now, town.timezone);
  if (hour < DIGEST_FROM_HOUR || hour >= DIGEST_UNTIL_HOUR) return 0;
  const today = dayIn(now, town.timezone);
  return withTown(town.id, async (tx) => {
    const calendar = await townCalendar(tx, town, now);
    if (!isBusinessDay(today, calendar)) return 0;
    const team = await selectTeam(tx);
    const readers = team.filter((m) => m.dailyDigest);
    if (readers.length === 0) return 0;
    const next = businessDayAfter(today, 1, calendar);
    const bounds: Bounds = { now, endOfToday: instantAt(addDays(today, 1), 0, town.timezone), today, next };
    const rows = await selectRequestFacts(tx, lt(serviceRequests.dueAt, instantAt(addDays(next, 1), 0, town.timezone))).limit(READ_MAX);
    const due = rows.map((d) => ({ ...d, dueAt: d.dueAt! }));
    const digests = readers.map((member) => ({ member, sections: sectionsFor(member, team, due, town, bounds) }));
    const claimed = await tx
      .insert(staffDigests)
      .values(digests.map((d) => ({ townId: town.id, userId: d.member.userId, day: today, requests: listed(d.sections) })))
      .onConflictDoNothing()
      .returning({ userId: staffDigests.userId });
    const mine = new Set(claimed.map((c) => c.userId));
    const links = { queue: queueLink(town.slug, { assignee: 'me', sort: 'due' }), settings: `${siteOrigin(town.slug)}/account#daily-digest` };
    const messages = digests
      .filter((d) => mine.has(d.member.userId) && listed(d.sections) > 0)
      .map((d) => dueDigestEmail(d.member.email, { name: town.name, day: dayName(today) }, d.sections, links));
    await enqueueTownEmails(tx, town.id, messages);
    return messages.length;
  });
}

/** The hourly job (app/background-workers.server.ts): each town's digests once its morning comes, once per member and day. */
export async function sendDueDigests(now = new Date()): Promise<{ emails: number }> {
  let emails = 0;
  for (const town of await listTowns()) emails += await digestTown(town, now);
  return { emails };
}

/** The member's own choice, on their account page (one town at a time: the town whose site they are on). */
export async function dailyDigestChoice(staff: TownStaff): Promise<boolean> {
  const [row] = await withTown(staff.town.id, (tx) => tx.select({ on: memberships.dailyDigest }).from(memberships).where(eq(memberships.userId, staff.user.id)));
  return row?.on ?? false;
}

export async function setDailyDigest(staff: TownStaff, on: boolean): Promise<void> {
  await withTown(staff.town.id, async (tx) => {
    const [before] = await tx.select({ on: memberships.dailyDigest }).from(memberships).where(eq(memberships.userId, staff.user.id));
    if (!before || before.on === on) return;
    await tx.update(memberships).set({ dailyDigest: on }).where(eq(memberships.userId, staff.user.id));
    await recordAuditBy(tx, staff, { action: 'membership.daily_digest', entityType: 'membership', entityId: staff.user.id, before: { dailyDigest: before.on }, after: { dailyDigest: on } });
  });
}
