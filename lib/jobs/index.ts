import "server-only";
import type PgBoss from "pg-boss";
import { db, rawSql } from "@/db";
import { strandedDeliveries } from "@/db/queries/deliveries";
import { runCleanup } from "@/lib/cleanup/cleanup.mjs";
import { runEmailJob, type EmailJob } from "@/lib/delivery/email-job";
import { runPushJob, type PushJob } from "@/lib/delivery/push-job";
import { env } from "@/lib/env";
import { logError } from "@/lib/logging/log-error.mjs";
import { runWakeJob, type WakeJob } from "@/lib/notifications/snooze";
import { runWebhookJob, type WakeWebhook, type WebhookJob } from "@/lib/webhooks/worker";
import { QUEUES, createBoss, ensureQueues } from "./queues.mjs";
import { log } from "@/lib/logging/logger.mjs";

/**
 * The job queue of this process: pg-boss on the app's database (schema `pgboss`). Every instance
 * runs the same workers; pg-boss hands each job to one of them (SKIP LOCKED), retries a job whose
 * worker died once its expiry passes, and keeps retries and schedules in Postgres, so restarts lose
 * nothing. Jobs for email and push are created by the notifications trigger (db/migrations/0009),
 * whoever wrote the row; the workers here also schedule follow-ups (a delay, a digest, quiet hours,
 * a retry) with `send`. Cleanup is one chain of jobs: each run queues the next.
 */
type Jobs = { boss: PgBoss; state: "starting" | "running" | "failed" | "stopped" };
const g = globalThis as unknown as { __heraldJobs?: Jobs };

// Workers per queue in this process (each polls once a second, webhooks twice, and takes up to BATCH jobs).
const WORKERS = { email: 2, push: 2, webhooks: 2 };
const BATCH = 8;
// A webhook run is queued by the commit itself (herald_webhook_wake) and lasts seconds: the queue is
// looked at as often as pg-boss allows, so a burst starts going out within half a second.
const WEBHOOK_POLL_S = 0.5;

export function jobsState() {
  return g.__heraldJobs?.state ?? "stopped";
}

export function startJobs() {
  if (g.__heraldJobs) return g.__heraldJobs; // once per process, dev reloads included
  const config = env();
  const timeout = config.HERALD_DELIVERY_TIMEOUT_S;
  const boss = createBoss(config.DATABASE_URL, {
    max: 4,
    // Finds jobs whose worker died (active past their expiry) this often.
    maintenanceIntervalSeconds: Math.max(1, Math.min(60, timeout)),
  });
  const jobs: Jobs = { boss, state: "starting" };
  g.__heraldJobs = jobs;
  boss.on("error", (err) => logError("job queue error", err));
  void (async () => {
    try {
      await boss.start();
      await ensureQueues(boss, { retries: config.HERALD_DELIVERY_RETRIES, retryDelaySeconds: config.HERALD_DELIVERY_RETRY_DELAY_S, timeoutSeconds: timeout });
      const later = (queue: string) => async (data: object, at: Date) => {
        await boss.send(queue, data, { startAfter: at });
      };
      const budget = timeout * 1000;
      for (let i = 0; i < WORKERS.email; i++) {
        await work<EmailJob>(boss, QUEUES.email, budget, (job) => runEmailJob(job, later(QUEUES.email)));
      }
      for (let i = 0; i < WORKERS.push; i++) {
        await work<PushJob>(boss, QUEUES.push, budget, (job, signal) => runPushJob(job, later(QUEUES.push), signal));
      }
      await work<WakeJob>(boss, QUEUES.wake, 60_000, (job) => runWakeJob(job));
      const wakeWebhook = webhookWaker(boss);
      for (let i = 0; i < WORKERS.webhooks; i++) {
        await work<WebhookJob>(boss, QUEUES.webhooks, 60_000, (job, signal) => runWebhookJob(job, wakeWebhook, signal), WEBHOOK_POLL_S);
      }
      await startCleanupChain(boss);
      jobs.state = "running";
    } catch (err) {
      jobs.state = "failed";
      logError("job queue did not start", err);
    }
  })();
  return jobs;
}

/**
 * A run now is keyed by the endpoint (the queue's `short` policy keeps one waiting), as the triggers
 * queue theirs (herald_webhook_wake); a later one by the endpoint and its second, so a retry timer
 * never stands in for a run now.
 */
function webhookWaker(boss: PgBoss): WakeWebhook {
  return async (endpointId, at) => {
    const options = at ? { startAfter: at, singletonKey: `${endpointId}:${Math.ceil(at.getTime() / 1000)}` } : { singletonKey: endpointId };
    await boss.send(QUEUES.webhooks, { endpointId }, options);
  };
}

/**
 * Shutting down: takes no new jobs and waits up to `timeoutMs` for those running to finish. A job
 * still running then is picked up again by another instance once its expiry passes.
 */
export async function stopJobs(timeoutMs: number) {
  const jobs = g.__heraldJobs;
  if (!jobs || jobs.state === "stopped") return;
  jobs.state = "stopped";
  await jobs.boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
}

/**
 * A worker that runs each fetched job on its own: one failing job is retried alone, the others
 * complete. No job holds its worker past `budgetMs`: its signal asks it to wrap up (sends end as
 * timed out and are recorded) at three quarters of it, and at the budget it counts as failed (pg-boss
 * retries it) and the worker moves on, whatever the job is still doing.
 */
async function work<T extends object>(boss: PgBoss, queue: string, budgetMs: number, run: (data: T, signal: AbortSignal) => Promise<unknown>, pollSeconds = 1) {
  await boss.work<T>(queue, { batchSize: BATCH, pollingIntervalSeconds: pollSeconds }, async (batch) => {
    await Promise.all(
      batch.map(async (job) => {
        const wrapUp = new AbortController();
        const timers: NodeJS.Timeout[] = [];
        const overtime = new Promise<never>((_, reject) => {
          timers.push(setTimeout(() => wrapUp.abort(new Error("the job's time budget ran out")), Math.floor(budgetMs * 0.75)));
          timers.push(setTimeout(() => reject(new Error(`${queue} job ran past its ${Math.round(budgetMs / 1000)} s budget`)), budgetMs));
        });
        try {
          await Promise.race([run(job.data, wrapUp.signal), overtime]);
        } catch (err) {
          logError(`${queue} job failed`, err);
          await boss.fail(queue, job.id, { message: (err as Error).message }).catch(() => {});
        } finally {
          for (const t of timers) clearTimeout(t);
        }
      }),
    );
  });
}

/**
 * Cleanup every CLEANUP_INTERVAL_SECONDS: the queue is `stately`, so however many instances queue
 * the next run, one waits at a time. Each instance queues one at start (a chain broken by a crash
 * mends on the next start); each run queues the next. It also re-queues deliveries whose job was
 * lost (`strandedDeliveries`).
 */
async function startCleanupChain(boss: PgBoss) {
  const { RETENTION_DAYS, CLEANUP_BATCH_SIZE, CLEANUP_INTERVAL_SECONDS, HERALD_DELIVERY_TIMEOUT_S } = env();
  if (CLEANUP_INTERVAL_SECONDS === 0) return;
  const config = { retentionDays: RETENTION_DAYS, batchSize: CLEANUP_BATCH_SIZE, intervalSeconds: CLEANUP_INTERVAL_SECONDS };
  const next = (seconds: number) => boss.send(QUEUES.cleanup, {}, { startAfter: seconds });
  await boss.work(QUEUES.cleanup, { pollingIntervalSeconds: 5 }, async () => {
    try {
      const result = await runCleanup(rawSql(), config);
      if (result.ran && Object.values(result.deleted).some((n) => n > 0)) log().info({ deleted: result.deleted }, "cleanup deleted");
      for (const s of await strandedDeliveries(db, Math.max(300, HERALD_DELIVERY_TIMEOUT_S * 2))) {
        const queue = s.channel === "email" ? QUEUES.email : QUEUES.push;
        await boss.send(queue, { userId: s.userId, notificationId: s.notificationId });
      }
    } finally {
      await next(CLEANUP_INTERVAL_SECONDS);
    }
  });
  // Instances started together should not all run it at the same second.
  await next(15 + Math.floor(Math.random() * 15));
}
