import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { outboxMessages } from '#db/schema';
import { withDelivery, type Tx } from '#db/scope';
import { deliverEmail, mailTransport, type EmailMessage } from './email.server';

const MAX_ATTEMPTS = 8;
// Long enough for a slow provider call; a crashed worker's claim expires and another retries it.
const CLAIM_LEASE_MS = 60_000;

/**
 * Written in the caller's transaction, so the message exists exactly when the change does. Town
 * mail is filed under its town (RLS keeps it from every other town); call inside `withTown`.
 */
export async function enqueueTownEmail(tx: Tx, townId: number, message: EmailMessage): Promise<void> {
  await enqueueTownEmails(tx, townId, [message]);
}

/** Several of one town's messages in one statement (a new request tells the reporter and the department). */
export async function enqueueTownEmails(tx: Tx, townId: number, messages: readonly EmailMessage[]): Promise<void> {
  if (messages.length === 0) return;
  // From the application's clock, which delivery compares it with: the database's now() carries
  // microseconds and read as later than a Date taken in the same millisecond.
  const runAt = new Date();
  await tx.insert(outboxMessages).values(messages.map((payload) => ({ townId, kind: 'email', payload, runAt })));
}

/** Account mail (verification, password reset) belongs to no town; call inside `withIdentity`. */
export async function enqueueAccountEmail(tx: Tx, message: EmailMessage): Promise<void> {
  // run_at from the application's clock, as above.
  await tx.insert(outboxMessages).values({ townId: null, kind: 'email', payload: message, runAt: new Date() });
}

/** 30 s, 1 min, 2 min ... capped at 1 h. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
}

type Claimed = { id: number; kind: string; payload: unknown; attempts: number };

async function claimDueMessages(limit: number, now: Date): Promise<Claimed[]> {
  return withDelivery(async (tx) => {
    const due = await tx
      .select({ id: outboxMessages.id })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.status, 'pending'), lte(outboxMessages.runAt, now)))
      .orderBy(asc(outboxMessages.runAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(outboxMessages)
      .set({ attempts: sql`${outboxMessages.attempts} + 1`, runAt: new Date(now.getTime() + CLAIM_LEASE_MS) })
      .where(inArray(outboxMessages.id, due.map((d) => d.id)))
      .returning({ id: outboxMessages.id, kind: outboxMessages.kind, payload: outboxMessages.payload, attempts: outboxMessages.attempts });
  });
}

async function deliver(message: Claimed): Promise<void> {
  if (message.kind === 'email') return deliverEmail(message.payload as EmailMessage, message.id);
  throw new Error(`No handler for outbox messages of kind "${message.kind}"`);
}

/** Delivers what is due; failures are retried with backoff and given up after MAX_ATTEMPTS. */
export async function deliverDueOutboxMessages({ limit = 20, now = new Date() } = {}): Promise<{ sent: number; failed: number }> {
  // Without a mail transport nothing is claimed, so no attempt is spent: mail goes out once one is configured.
  if (mailTransport() === 'none') return { sent: 0, failed: 0 };
  const claimed = await claimDueMessages(limit, now);
  let sent = 0;
  let failed = 0;
  for (const message of claimed) {
    try {
      await deliver(message);
      await withDelivery((tx) =>
        tx.update(outboxMessages).set({ status: 'sent', sentAt: new Date(), lastError: null }).where(eq(outboxMessages.id, message.id)),
      );
      sent++;
    } catch (error) {
      failed++;
      const gaveUp = message.attempts >= MAX_ATTEMPTS;
      await withDelivery((tx) =>
        tx
          .update(outboxMessages)
          .set({
            status: gaveUp ? 'failed' : 'pending',
            runAt: new Date(now.getTime() + retryDelayMs(message.attempts)),
            lastError: error instanceof Error ? error.message : String(error),
          })
          .where(eq(outboxMessages.id, message.id)),
      );
    }
  }
  return { sent, failed };
}
