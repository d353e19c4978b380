// The job queues (pg-boss 10.4, schema `pgboss`), in plain JavaScript so the migration step
// (scripts/lib/setup.mjs, no build) and the server create them alike. The notifications insert
// trigger (db/migrations/0009) enqueues into herald-email and herald-push by these names.
import PgBoss from "pg-boss";

export const JOB_SCHEMA = "pgboss";

export const QUEUES = {
  email: "herald-email",
  push: "herald-push",
  cleanup: "herald-cleanup",
  // A snoozed notification's wake-up, queued by the notifications triggers (db/migrations/0012).
  wake: "herald-wake",
  // An endpoint's sender (lib/webhooks/worker.ts), woken by the webhook triggers (db/migrations/0020).
  webhooks: "herald-webhooks",
};

/**
 * Delivery retry policy. `timeoutSeconds` is how long one send may take before its job counts as
 * lost (a crashed worker) and runs again; the send's row lease lasts as long.
 */
export function deliveryQueueOptions({ retries = 5, retryDelaySeconds = 30, timeoutSeconds = 60 } = {}) {
  return { retryLimit: retries, retryDelay: retryDelaySeconds, retryBackoff: true, expireInSeconds: timeoutSeconds };
}

// A wake-up that fails (the database away) runs again soon; it is idempotent (lib/notifications/snooze.ts).
const WAKE_OPTIONS = { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 };

// One cleanup run queued at a time across every instance (`stately`: one waiting, one running).
const CLEANUP_OPTIONS = { policy: "stately", retryLimit: 2, retryDelay: 60, expireInSeconds: 15 * 60 };

// `short`: at most one job waits per endpoint (its id is the singleton key), however many events
// commit; a failed run (the database away) runs again. A run lasts seconds, so a crashed one is
// found within a minute; its rows' leases end sooner and any other run takes them.
const WEBHOOK_OPTIONS = { policy: "short", retryLimit: 20, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 };

export function queueOptions(delivery) {
  return {
    [QUEUES.email]: deliveryQueueOptions(delivery),
    [QUEUES.push]: deliveryQueueOptions(delivery),
    [QUEUES.cleanup]: CLEANUP_OPTIONS,
    [QUEUES.wake]: WAKE_OPTIONS,
    [QUEUES.webhooks]: WEBHOOK_OPTIONS,
  };
}

export function createBoss(connectionString, options = {}) {
  return new PgBoss({ connectionString, schema: JOB_SCHEMA, application_name: "herald-jobs", ...options });
}

/** Creates the queues that are missing and sets every queue's policy to `options`. */
export async function ensureQueues(boss, delivery) {
  for (const [name, options] of Object.entries(queueOptions(delivery))) {
    if (await boss.getQueue(name)) await boss.updateQueue(name, options);
    else await boss.createQueue(name, options);
  }
}

/**
 * Installs (or upgrades) pg-boss's schema and creates the queues, without starting any worker or
 * maintenance: the migration step runs this before the SQL migrations, whose trigger enqueues jobs.
 */
export async function installJobQueues(connectionString) {
  const boss = createBoss(connectionString, { max: 1, supervise: false, schedule: false, migrate: true });
  boss.on("error", () => {});
  await boss.start();
  try {
    await ensureQueues(boss);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
