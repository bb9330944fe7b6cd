import { Resend } from 'resend';
import { devMailbox } from '#db/schema';
import { withGlobal } from '#db/scope';
import { getEnv } from './env.server';

export type EmailMessage = { to: string; subject: string; text: string; html: string };

export function isDevMailboxEnabled(): boolean {
  return !getEnv().RESEND_API_KEY;
}

/**
 * Sends through Resend when RESEND_API_KEY is set; otherwise files the message in the dev
 * mailbox. The outbox id makes a retried delivery a no-op on both paths.
 */
export async function deliverEmail(message: EmailMessage, outboxMessageId: number): Promise<void> {
  const { RESEND_API_KEY, MAIL_FROM } = getEnv();
  if (!RESEND_API_KEY) {
    await withGlobal((tx) =>
      tx
        .insert(devMailbox)
        .values({ outboxMessageId, ...message })
        .onConflictDoNothing({ target: devMailbox.outboxMessageId }),
    );
    return;
  }
  const resend = new Resend(RESEND_API_KEY);
  const { error } = await resend.emails.send(
    { from: MAIL_FROM, to: message.to, subject: message.subject, text: message.text, html: message.html },
    { idempotencyKey: `outbox-${outboxMessageId}` },
  );
  if (error) throw new Error(`Resend refused the message: ${error.name}: ${error.message}`);
}
