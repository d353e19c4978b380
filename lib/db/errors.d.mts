import type postgres from "postgres";

export declare const RETRYABLE_SQLSTATES: readonly string[];
export declare function postgresErrorOf(err: unknown): postgres.PostgresError | null;
export declare function sqlStateOf(err: unknown): string | null;
export declare function isRetryable(err: unknown): boolean;
export declare function withRetries<T>(
  fn: () => Promise<T>,
  options?: { attempts?: number; minMs?: number; maxMs?: number; onRetry?: (err: unknown, attempt: number) => void },
): Promise<T>;
