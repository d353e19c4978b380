// The cleanup job, in plain JavaScript so that the server (a pg-boss job, lib/jobs) and
// `npm run cleanup` (scripts/cleanup.mjs, no build step) run the very same statements.
//
// It deletes, in small batches so no statement holds many row locks or runs long:
//   - expired notifications (already hidden everywhere by `expires_at <= now()` filters);
//   - notifications both read and archived, created more than RETENTION_DAYS ago;
//   - Idempotency-Keys past their 24 h window, and rate-limit windows that have ended;
//   - sessions expired or revoked over a day ago, and lapsed tab presence.
// One run at a time across every instance: a session advisory lock on a reserved connection.
// Each batch is one statement, so its own transaction (locks never outlive it): a deadlock or
// serialization failure reruns that batch a few times, and a task that still fails is logged and
// reported while the other tasks go on.
import { withRetries } from "../db/errors.mjs";
import { logError } from "../logging/log-error.mjs";

export const CLEANUP_LOCK_KEY = 7242002; // 7242001 is the migration lock (scripts/lib/setup.mjs)

/** The cleanup job's settings: defaults and bounds, shared with lib/env.ts (which validates them for the server). */
export const CLEANUP_SETTINGS = {
  RETENTION_DAYS: { key: "retentionDays", fallback: 90, min: 1, max: 36_500 },
  CLEANUP_BATCH_SIZE: { key: "batchSize", fallback: 500, min: 1, max: 10_000 },
  CLEANUP_INTERVAL_SECONDS: { key: "intervalSeconds", fallback: 600, min: 0, max: 86_400 },
};

/** The settings from an environment, for `npm run cleanup` (the server reads them through env()). */
export function cleanupConfig(env = process.env) {
  const config = {};
  for (const [name, { key, fallback, min, max }] of Object.entries(CLEANUP_SETTINGS)) {
    const raw = env[name];
    const n = raw === undefined || raw === "" ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}`);
    config[key] = n;
  }
  return config;
}

const TASKS = {
  expired: (sql, batch) => sql`
    with doomed as (
      select id from notifications
       where expires_at <= now()
       order by expires_at
       limit ${batch}
       for update skip locked)
    delete from notifications n using doomed where n.id = doomed.id`,
  retained: (sql, batch, days) => sql`
    with doomed as (
      select id from notifications
       where read_at is not null and archived_at is not null
         and created_at < now() - make_interval(days => ${days})
       limit ${batch}
       for update skip locked)
    delete from notifications n using doomed where n.id = doomed.id`,
  idempotencyKeys: (sql, batch) => sql`
    delete from idempotency_keys where ctid = any(array(
      select ctid from idempotency_keys where created_at < now() - interval '24 hours' limit ${batch}))`,
  // A day of grace, so a revoked or expired session's row outlives every cache and stream of it.
  sessions: (sql, batch) => sql`
    delete from sessions where ctid = any(array(
      select ctid from sessions
       where expires_at < now() - interval '1 day' or revoked_at < now() - interval '1 day'
       limit ${batch}))`,
  emailVerifications: (sql, batch) => sql`
    delete from email_verifications where ctid = any(array(
      select ctid from email_verifications where expires_at < now() limit ${batch}))`,
  // A tab's presence lapses when it stops renewing it (closed without saying so).
  tabPresence: (sql, batch) => sql`
    delete from tab_presence where ctid = any(array(
      select ctid from tab_presence where visible_until < now() - interval '1 minute' limit ${batch}))`,
  // Webhook events (with their attempts) a month old, once no endpoint still has them pending.
  webhookEvents: (sql, batch) => sql`
    delete from webhook_events where id = any(array(
      select e.id from webhook_events e
       where e.created_at < now() - interval '30 days'
         and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
       order by e.created_at
       limit ${batch}))`,
  // Windows are at most an hour long, except the daily budgets (rules named `daily-…`, lib/rate-limit).
  rateLimitWindows: (sql, batch) => sql`
    delete from rate_limits where ctid = any(array(
      select ctid from rate_limits
       where window_start < now() - interval '1 hour'
         and (window_start < now() - interval '1 day' or bucket not like 'daily-%')
       limit ${batch}))`,
};

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function acquire(conn, waitMs) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const [{ locked }] = await conn`select pg_try_advisory_lock(${CLEANUP_LOCK_KEY}) as locked`;
    if (locked || Date.now() >= deadline) return locked;
    await pause(250);
  }
}

/**
 * Runs every task until it finds less than a full batch (or `maxBatches` per task, to bound one
 * run). Returns `{ran: false}` when another instance holds the lock (after waiting `waitMs`);
 * otherwise what each task deleted and the tasks that failed (each logged; the rest still ran).
 * @param {import("postgres").Sql} sql
 */
export async function runCleanup(sql, { retentionDays = 90, batchSize = 500, maxBatches = 1000, waitMs = 0 } = {}) {
  const conn = await sql.reserve();
  try {
    if (!(await acquire(conn, waitMs))) return { ran: false };
    try {
      const deleted = {};
      const failed = [];
      for (const [name, task] of Object.entries(TASKS)) {
        deleted[name] = 0;
        try {
          for (let i = 0; i < maxBatches; i++) {
            const { count } = await withRetries(() => task(conn, batchSize, retentionDays));
            deleted[name] += count;
            if (count < batchSize) break;
            await pause(5); // let other work in between batches
          }
        } catch (err) {
          failed.push(name);
          logError(`cleanup task ${name} failed`, err);
        }
      }
      return { ran: true, deleted, failed };
    } finally {
      await conn`select pg_advisory_unlock(${CLEANUP_LOCK_KEY})`;
    }
  } finally {
    conn.release();
  }
}
