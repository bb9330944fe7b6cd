import { setupServer } from 'msw/node';
import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { outboxMessages } from '#db/schema';
import { withIdentity } from '#db/scope';
import { resendHandlers, type SentEmail } from '../../tests/mocks/resend';
import { mailboxFor } from '../../tests/factories';
import { loader as devMailboxLoader } from '~/routes/dev.mailbox';
import { deliverDueOutboxMessages, enqueueAccountEmail, retryDelayMs } from './outbox.server';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  delete process.env.RESEND_API_KEY;
});
afterAll(() => server.close());

const message = (to: string) => ({ to, subject: 'Hello', text: 'Plain body', html: '<p>Plain body</p>' });

async function statusOf(to: string) {
  const rows = await getDatabase().db.select().from(outboxMessages);
  return rows.find((r) => (r.payload as { to: string }).to === to)!;
}

describe('outbox', () => {
  it('without RESEND_API_KEY files the email in the dev mailbox exactly once', async () => {
    await withIdentity((tx) => enqueueAccountEmail(tx, message('dev@example.com')));
    const mailbox = await mailboxFor('dev@example.com');
    expect(mailbox).toHaveLength(1);
    expect(mailbox[0]).toMatchObject({ subject: 'Hello', text: 'Plain body' });
    await deliverDueOutboxMessages();
    expect(await mailboxFor('dev@example.com')).toHaveLength(1);
    expect((await statusOf('dev@example.com')).status).toBe('sent');
  });

  it('outside demo mode and without RESEND_API_KEY keeps mail waiting, unread by anyone, and sends it once a key is set', async () => {
    process.env.DEMO_MODE = 'false';
    try {
      await withIdentity((tx) => enqueueAccountEmail(tx, message('waiting@example.com')));
      expect(await deliverDueOutboxMessages()).toEqual({ sent: 0, failed: 0 });
      expect(await mailboxFor('waiting@example.com')).toHaveLength(0);
      expect(await statusOf('waiting@example.com')).toMatchObject({ status: 'pending', attempts: 0 });
      const devMailboxPage = await devMailboxLoader({ request: new Request('http://localhost:3000/dev/mailbox'), params: {}, context: { clientIp: '1' } }).catch((e: unknown) => e);
      expect((devMailboxPage as Response).status).toBe(404);

      process.env.RESEND_API_KEY = 're_test_key';
      const sent: SentEmail[] = [];
      server.use(...resendHandlers(sent));
      await deliverDueOutboxMessages();
      expect(sent.map((m) => m.body)).toEqual([expect.objectContaining({ to: 'waiting@example.com' })]);
    } finally {
      process.env.DEMO_MODE = 'true';
    }
  });

  it('with RESEND_API_KEY sends through the Resend SDK with an idempotency key', async () => {
    process.env.RESEND_API_KEY = 're_test_key';
    const sent: SentEmail[] = [];
    server.use(...resendHandlers(sent));
    await withIdentity((tx) => enqueueAccountEmail(tx, message('real@example.com')));
    await deliverDueOutboxMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ to: 'real@example.com', subject: 'Hello', text: 'Plain body' });
    const row = await statusOf('real@example.com');
    expect(sent[0]!.idempotencyKey).toBe(`outbox-${row.id}`);
    expect(row.status).toBe('sent');
  });

  it('keeps a failed email and retries it after a backoff, without sending it twice', async () => {
    process.env.RESEND_API_KEY = 're_test_key';
    const sent: SentEmail[] = [];
    server.use(...resendHandlers(sent, { failTimes: 1 }));
    await withIdentity((tx) => enqueueAccountEmail(tx, message('retry@example.com')));
    const now = new Date();
    expect(await deliverDueOutboxMessages({ now })).toEqual({ sent: 0, failed: 1 });
    const failed = await statusOf('retry@example.com');
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.lastError).toMatch(/bad day/);
    expect(failed.runAt.getTime()).toBe(now.getTime() + retryDelayMs(1));

    expect(await deliverDueOutboxMessages({ now })).toEqual({ sent: 0, failed: 0 });
    await deliverDueOutboxMessages({ now: new Date(now.getTime() + retryDelayMs(1) + 1) });
    expect(sent).toHaveLength(1);
    expect((await statusOf('retry@example.com')).status).toBe('sent');
  });

  it('delivers a message at once to a worker whose clock reads the moment it was written', async () => {
    const written = new Date('2026-03-02T09:00:00.000Z');
    vi.useFakeTimers({ toFake: ['Date'], now: written });
    try {
      await withIdentity((tx) => enqueueAccountEmail(tx, message('prompt@example.com')));
      expect((await statusOf('prompt@example.com')).runAt).toEqual(written);
      expect(await deliverDueOutboxMessages({ now: written })).toEqual({ sent: 1, failed: 0 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives up after the last attempt and records why', async () => {
    process.env.RESEND_API_KEY = 're_test_key';
    server.use(...resendHandlers([], { failTimes: 100 }));
    await withIdentity((tx) => enqueueAccountEmail(tx, message('doomed@example.com')));
    const row = await statusOf('doomed@example.com');
    await getDatabase().db.update(outboxMessages).set({ attempts: 7 }).where(eq(outboxMessages.id, row.id));
    await deliverDueOutboxMessages();
    expect(await statusOf('doomed@example.com')).toMatchObject({ status: 'failed', attempts: 8 });
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });
});
