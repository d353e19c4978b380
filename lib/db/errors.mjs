// What the app needs to know about a database error, in plain JavaScript so that the server and
// the scripts (`npm run cleanup`, no build step) share it. drizzle wraps a query's error in a
// DrizzleQueryError whose message holds every parameter; the PostgresError is its `cause`.

/** Deadlock and serialization failure: the transaction lost a race and may simply run again. */
export const RETRYABLE_SQLSTATES = ["40P01", "40001"];

const MAX_CAUSES = 5;

/** The postgres.js PostgresError in `err` or its cause chain, or null. */
export function postgresErrorOf(err) {
  let e = err;
  for (let i = 0; i < MAX_CAUSES && e && typeof e === "object"; i++) {
    if (e.name === "PostgresError" && typeof e.code === "string") return e;
    e = e.cause;
  }
  return null;
}

/** The SQLSTATE of a database error (e.g. "23505"), or null for anything else. */
export const sqlStateOf = (err) => postgresErrorOf(err)?.code ?? null;

export const isRetryable = (err) => RETRYABLE_SQLSTATES.includes(sqlStateOf(err));

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` (one whole transaction) again when it fails with a deadlock or a serialization
 * failure, up to `attempts` times in all, after a short full-jitter backoff. Anything else, and the
 * last failure, is thrown as is. `fn` must be safe to repeat: its transaction was rolled back.
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withRetries(fn, { attempts = 4, minMs = 5, maxMs = 200, onRetry } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      onRetry?.(err, attempt);
      await pause(Math.random() * Math.min(maxMs, minMs * 2 ** attempt));
    }
  }
}
