#!/usr/bin/env node
// `npm run cleanup`: runs the cleanup job once, now (the server also runs it on an interval).
// Deletes expired notifications, read-and-archived ones older than RETENTION_DAYS (90), stale
// Idempotency-Keys, ended sessions and rate-limit windows, in batches of CLEANUP_BATCH_SIZE (500).
import { cleanupConfig, runCleanup } from "../lib/cleanup/cleanup.mjs";
import { logError } from "../lib/logging/log-error.mjs";
import { loadEnvFiles, withDatabase } from "./lib/database.mjs";

loadEnvFiles();
let config;
try {
  config = cleanupConfig();
} catch (err) {
  console.error(`[herald] ${err.message}`);
  process.exit(2);
}

try {
  // A server may be running its own pass right now: wait for its lock rather than skip.
  const result = await withDatabase((sql) => runCleanup(sql, { ...config, waitMs: 60_000 }));
  if (!result.ran) {
    console.error("[herald] another cleanup held the lock for over a minute; nothing done");
    process.exit(1);
  }
  const d = result.deleted;
  console.log(
    `[herald] cleanup: ${d.expired} expired and ${d.retained} read-and-archived notifications older than ` +
      `${config.retentionDays} days deleted; ${d.idempotencyKeys} idempotency keys, ${d.sessions} ended sessions and ` +
      `${d.rateLimitWindows} rate-limit windows removed.`,
  );
  console.log(JSON.stringify({ retentionDays: config.retentionDays, deleted: d, failed: result.failed }));
  // Each failed task was logged; the others ran. Exit non-zero so a cron job notices.
  if (result.failed.length) process.exit(1);
} catch (err) {
  logError("cleanup failed", err);
  process.exit(1);
}
