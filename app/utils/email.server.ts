import { Resend } from 'resend';
import { devMailbox } from '#db/schema';
import { withDelivery } from '#db/scope';
import { getEnv } from './env.server';

/** `headers`: extra header fields, e.g. List-Unsubscribe; both transports carry them. */
export type EmailMessage = { to: string; subject: string; text: string; html: string; headers?: Record<string, string> };

/**
 * Where email goes: Resend with a key; the dev mailbox page only in demo mode (it shows sign-in
 * links to anyone); otherwise nowhere yet, and messages wait in the outbox until a key is set.
 */
export function mailTransport(): 'resend' | 'dev-mailbox' | 'none' {
  const { RESEND_API_KEY, DEMO_MODE } = getEnv();
  if (RESEND_API_KEY) return 'resend';
  return DEMO_MODE ? 'dev-mailbox' : 'none';
}

export function isDevMailboxEnabled(): boolean {
  return mailTransport() === 'dev-mailbox';
}

/**
 * Sends through Resend when RESEND_API_KEY is set; otherwise files the message in the dev
 * mailbox. The outbox id makes a retried delivery a no-op on both paths.
 */
export async function deliverEmail(message: EmailMessage, outboxMessageId: number): Promise<void> {
  const { RESEND_API_KEY, MAIL_FROM } = getEnv();
  const transport = mailTransport();
  if (transport === 'none') throw new Error('No mail transport: set RESEND_API_KEY');
  if (transport === 'dev-mailbox') {
    await withDelivery((tx) =>
      tx
        .insert(devMailbox)
        .values({ outboxMessageId, to: message.to, subject: message.subject, text: message.text, html: message.html, headers: message.headers ?? {} })
        .onConflictDoNothing({ target: devMailbox.outboxMessageId }),
    );
    return;
  }
  const resend = new Resend(RESEND_API_KEY);
  const { error } = await resend.emails.send(
    { from: MAIL_FROM, to: message.to, subject: message.subject, text: message.text, html: message.html, headers: message.headers },
    { idempotencyKey: `outbox-${outboxMessageId}` },
  );
  if (error) throw new Error(`Resend refused the message: ${error.name}: ${error.message}`);
}
