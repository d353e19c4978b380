import "server-only";
import { rawSql } from "@/db";
import { env } from "@/lib/env";
import { logError } from "@/lib/logging/log-error.mjs";
import { runCleanup } from "./cleanup.mjs";

const g = globalThis as unknown as { __heraldCleanup?: NodeJS.Timeout };

/**
 * Runs the cleanup job every CLEANUP_INTERVAL_SECONDS in this process. Every instance schedules
 * it; the advisory lock lets one run at a time and the others skip their turn.
 */
export function startCleanupSchedule() {
  if (g.__heraldCleanup) return; // once per process, dev reloads included
  const { RETENTION_DAYS, CLEANUP_BATCH_SIZE, CLEANUP_INTERVAL_SECONDS } = env();
  const config = { retentionDays: RETENTION_DAYS, batchSize: CLEANUP_BATCH_SIZE, intervalSeconds: CLEANUP_INTERVAL_SECONDS };
  if (config.intervalSeconds === 0) return;
  const tick = async () => {
    try {
      const result = await runCleanup(rawSql(), config);
      if (result.ran && Object.values(result.deleted).some((n) => n > 0)) {
        console.log("[herald] cleanup deleted", result.deleted);
      }
    } catch (err) {
      logError("cleanup failed", err);
    }
  };
  g.__heraldCleanup = setInterval(() => void tick(), config.intervalSeconds * 1000);
  g.__heraldCleanup.unref();
  // Instances started together should not all try at the same second.
  setTimeout(() => void tick(), 15_000 + Math.random() * 15_000).unref();
}
