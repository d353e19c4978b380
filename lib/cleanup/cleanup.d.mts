import type postgres from "postgres";

export declare const CLEANUP_LOCK_KEY: number;
type Setting = { key: keyof CleanupConfig; fallback: number; min: number; max: number };
export declare const CLEANUP_SETTINGS: Record<"RETENTION_DAYS" | "CLEANUP_BATCH_SIZE" | "CLEANUP_INTERVAL_SECONDS", Setting>;
export type CleanupConfig = { retentionDays: number; batchSize: number; intervalSeconds: number };
export declare function cleanupConfig(env?: Record<string, string | undefined>): CleanupConfig;
export type CleanupResult =
  | { ran: false }
  | {
      ran: true;
      /** Rows deleted by each task (a failed task: by its batches before the failure). */
      deleted: { expired: number; retained: number; idempotencyKeys: number; sessions: number; rateLimitWindows: number };
      /** Tasks that failed (each is logged); the others ran all the same. */
      failed: ("expired" | "retained" | "idempotencyKeys" | "sessions" | "rateLimitWindows")[];
    };
export declare function runCleanup(
  sql: postgres.Sql,
  options?: { retentionDays?: number; batchSize?: number; maxBatches?: number; waitMs?: number },
): Promise<CleanupResult>;
