import { deleteExpiredSessions } from './auth.server';
import { getEnv } from './env.server';
import { deliverDueOutboxMessages } from './outbox.server';
import { deleteExpiredRateLimits } from './rate-limit.server';

/**
 * In-process workers. PGlite admits one process, so the embedded set-up must run them here;
 * with PostgreSQL they are safe to run in every app process (SKIP LOCKED claims).
 */
export function startBackgroundWorkers(): void {
  let delivering = false;
  setInterval(() => {
    if (delivering) return;
    delivering = true;
    deliverDueOutboxMessages()
      .catch((error) => console.error('outbox delivery failed', error))
      .finally(() => {
        delivering = false;
      });
  }, getEnv().OUTBOX_POLL_MS).unref();

  setInterval(() => {
    Promise.all([deleteExpiredSessions(), deleteExpiredRateLimits(new Date(Date.now() - 24 * 3_600_000))]).catch((error) =>
      console.error('cleanup failed', error),
    );
  }, 3_600_000).unref();
}
