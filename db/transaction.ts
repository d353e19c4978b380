import "server-only";
import { sqlStateOf, withRetries } from "@/lib/db/errors.mjs";
import { log } from "@/lib/logging/logger.mjs";
import { db, type Transaction } from "./index";

/**
 * Every transaction of the app. Writers take row locks in one global order (users by id, rows by
 * id), so deadlocks should not happen; should one (40P01) or a serialization failure (40001)
 * still come, the whole transaction runs again, a few times at most, after a jittered pause.
 * `fn` may therefore run more than once: keep side effects outside the database out of it.
 */
export function withTransaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return withRetries(() => db.transaction(fn), {
    onRetry: (err, attempt) => log().warn({ sqlState: sqlStateOf(err), attempt }, "transaction retried"),
  });
}
