import { and, eq, gt, lte, notExists, sql } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { requestEvents, requestOverdueNotices, serviceRequests } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import { overdueEmail } from '~/modules/notifications/service-level-emails.server';
import { enqueueRequestWebhooks } from '~/modules/webhooks/webhook-endpoints.server';
import { enqueueTownEmails } from '~/utils/outbox.server';
import { listTowns, type TownProfile } from '~/utils/town-profile.server';
import { answeringFor, queueLink, selectRequestFacts, selectTeam, staffRef } from './service-level-recipients.server';

/**
 * A request whose target passed longer ago than this when the job first sees it is recorded without
 * an email: the job catches up a restart or a missed hour, but a backlog that was overdue before it
 * ever ran is not news (the daily digest lists it).
 */
export const OVERDUE_CATCH_UP_DAYS = 7;
/** Requests announced per town and run; the rest wait for the next hour. */
const BATCH = 200;

const r = serviceRequests;

function newlyOverdue(tx: Tx, now: Date) {
  return selectRequestFacts(
    tx,
    and(
      lte(r.dueAt, now),
      gt(r.dueAt, new Date(now.getTime() - OVERDUE_CATCH_UP_DAYS * 86_400_000)),
      notExists(
        tx
          .select({ one: sql`1` })
          .from(requestOverdueNotices)
          .where(and(eq(requestOverdueNotices.townId, r.townId), eq(requestOverdueNotices.requestId, r.id), eq(requestOverdueNotices.dueAt, r.dueAt))),
      ),
    ),
  ).limit(BATCH);
}

/** What else happens, once, when a request becomes overdue: a line on its staff timeline and the town's `request.overdue` webhooks. */
async function recordOverdue(tx: Tx, townId: number, requestId: string, dueAt: Date): Promise<void> {
  await tx.insert(requestEvents).values({ townId, id: uuidv7(), requestId, kind: 'overdue', public: false });
  await enqueueRequestWebhooks(tx, townId, 'request.overdue', requestId, { due_at: dueAt.toISOString() });
}

/**
 * One town's newly overdue requests, in one transaction: for each, the notice row is inserted first
 * (keyed by the request and its due time, so a second process, or a second run, inserts nothing and
 * sends nothing), and only the transaction whose insert created it records the event and queues the
 * emails.
 */
async function noticeTown(town: TownProfile, now: Date): Promise<number> {
  return withTown(town.id, async (tx) => {
    const due = await newlyOverdue(tx, now);
    if (due.length === 0) return 0;
    const team = await selectTeam(tx);
    const queue = queueLink(town.slug, { overdue: true, sort: 'due' });
    let sent = 0;
    for (const request of due) {
      const to = answeringFor(request, team);
      const [claimed] = await tx
        .insert(requestOverdueNotices)
        .values({ townId: town.id, requestId: request.id, dueAt: request.dueAt!, recipients: to.length })
        .onConflictDoNothing()
        .returning({ requestId: requestOverdueNotices.requestId });
      if (!claimed) continue;
      await recordOverdue(tx, town.id, request.id, request.dueAt!);
      const ref = staffRef({ ...request, dueAt: request.dueAt! }, town);
      await enqueueTownEmails(tx, town.id, to.map((email) => overdueEmail(email, ref, queue)));
      sent += to.length;
    }
    return sent;
  });
}

/**
 * The hourly job (app/background-workers.server.ts): tells whoever answers for each request that
 * its resolution target passed while it is open, once per request and due time however many
 * processes run it.
 */
export async function sendOverdueNotices(now = new Date()): Promise<{ emails: number }> {
  let emails = 0;
  for (const town of await listTowns()) emails += await noticeTown(town, now);
  return { emails };
}
