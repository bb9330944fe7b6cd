import { sendDueLifecycleNotices } from '~/modules/billing/lifecycle-notices.server';
import { sweepOrphanedUploads } from '~/modules/photos/orphaned-uploads.server';
import { askWhetherFixed } from '~/modules/requests/fixed-checks.server';
import { sendDueDigests } from '~/modules/staff/due-digests.server';
import { sendOverdueNotices } from '~/modules/staff/overdue-notices.server';
import { deliverDueWebhooks } from '~/modules/webhooks/webhook-deliveries.server';
import { deleteExpiredSessions } from '~/utils/auth.server';
import { getEnv } from '~/utils/env.server';
import { deliverDueOutboxMessages } from '~/utils/outbox.server';
import { deleteExpiredRateLimits } from '~/utils/rate-limit.server';

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

  // Webhooks have their own queue (webhook_deliveries) and go out whether or not mail can.
  let sendingWebhooks = false;
  setInterval(() => {
    if (sendingWebhooks) return;
    sendingWebhooks = true;
    deliverDueWebhooks()
      .catch((error) => console.error('webhook delivery failed', error))
      .finally(() => {
        sendingWebhooks = false;
      });
  }, getEnv().OUTBOX_POLL_MS).unref();

  // At start-up too: what a crash mid-upload left behind goes as soon as it is past its grace period.
  const sweepUploads = () => {
    sweepOrphanedUploads()
      .then(({ deletedObjects, deletedTempFiles }) => {
        if (deletedObjects.length + deletedTempFiles > 0) console.log(`upload sweep: deleted ${deletedObjects.length} unreferenced files and ${deletedTempFiles} temp files`);
      })
      .catch((error) => console.error('upload sweep failed', error));
  };
  sweepUploads();
  setInterval(sweepUploads, 3_600_000).unref();

  // Grant reminders and grace/lapse notices: at start-up (catching up whatever came due while no
  // process ran) and every hour after, so each goes out within an hour of its day in the town.
  const sendNotices = () => {
    sendDueLifecycleNotices().catch((error) => console.error('lifecycle notices failed', error));
  };
  sendNotices();
  setInterval(sendNotices, 3_600_000).unref();

  // "Is it fixed?" a few days after each close as fixed: hourly, each close asked about once across processes.
  const askFixed = () => {
    askWhetherFixed().catch((error) => console.error('"is it fixed?" job failed', error));
  };
  askFixed();
  setInterval(askFixed, 3_600_000).unref();

  // Service levels (docs/decisions/0026): each request's "overdue" email once, and every member's
  // daily digest once in their town's morning; hourly, so each goes out within the hour.
  const serviceLevels = () => {
    sendOverdueNotices()
      .then(() => sendDueDigests())
      .catch((error) => console.error('service-level emails failed', error));
  };
  serviceLevels();
  setInterval(serviceLevels, 3_600_000).unref();

  setInterval(() => {
    Promise.all([deleteExpiredSessions(), deleteExpiredRateLimits(new Date(Date.now() - 24 * 3_600_000))]).catch((error) =>
      console.error('cleanup failed', error),
    );
  }, 3_600_000).unref();
}
