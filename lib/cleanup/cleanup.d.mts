import type postgres from "postgres";

export declare const CLEANUP_LOCK_KEY: number;
export type CleanupConfig = { retentionDays: number; batchSize: number; intervalSeconds: number };
export declare function cleanupConfig(env?: Record<string, string | undefined>): CleanupConfig;
export type CleanupResult =
  | { ran: false }
  | { ran: true; deleted: { expired: number; retained: number; idempotencyKeys: number; sessions: number; rateLimitWindows: number } };
export declare function runCleanup(
  sql: postgres.Sql,
  options?: { retentionDays?: number; batchSize?: number; maxBatches?: number; waitMs?: number },
): Promise<CleanupResult>;
