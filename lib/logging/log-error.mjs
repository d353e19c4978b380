// The one way the app logs an error (route handlers, server actions, the realtime layer, the
// cleanup job and its script). A database error is logged by what identifies it, never by what
// it carried: no parameters, no `detail` ("Key (email)=(…) already exists"), no `where`, no
// message (Postgres puts input values in some, e.g. `invalid input syntax for type uuid: "…"`),
// and never the raw object (drizzle's DrizzleQueryError has every parameter in its message).
import { postgresErrorOf } from "../db/errors.mjs";
import { log } from "./logger.mjs";

const STATEMENT_MAX = 500;
const MAX_CAUSES = 3;

const truncate = (s) => (s.length > STATEMENT_MAX ? `${s.slice(0, STATEMENT_MAX)}…` : s);
/** Only the `at …` lines: the first lines of a stack repeat the message. */
const frames = (stack) =>
  typeof stack === "string"
    ? stack
        .split("\n")
        .filter((l) => /^\s+at /.test(l))
        .join("\n") || undefined
    : undefined;
const compact = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ""));
/** drizzle's DrizzleQueryError (statement in `query`, values in `params` and in its message). */
const isQueryError = (e) => e instanceof Error && "params" in e && typeof e.query === "string";

/** Auth.js keeps the original error as `cause.err`. */
const causeOf = (err) => (err.cause && !(err.cause instanceof Error) && err.cause.err instanceof Error ? err.cause.err : err.cause);

/** A loggable, value-free description of `err`. */
export function describeError(err, depth = 0) {
  const pg = postgresErrorOf(err);
  if (pg) {
    const statement = typeof pg.query === "string" ? pg.query : isQueryError(err) ? err.query : undefined;
    return compact({
      error: "PostgresError",
      code: pg.code,
      severity: pg.severity,
      routine: pg.routine,
      schema: pg.schema_name,
      table: pg.table_name,
      column: pg.column_name,
      constraint: pg.constraint_name,
      statement: statement && truncate(statement),
      // The wrapper's stack has the app's frames; a bare PostgresError's has only the socket's.
      stack: frames(err !== pg && err instanceof Error ? err.stack : pg.stack),
    });
  }
  if (isQueryError(err)) {
    // Not a Postgres answer (a lost connection, a timeout): its cause says which, without values.
    const cause = err.cause instanceof Error ? err.cause : null;
    return compact({
      error: cause?.name ?? "DrizzleQueryError",
      code: typeof cause?.code === "string" ? cause.code : undefined,
      message: cause?.message,
      statement: truncate(err.query),
      stack: frames(err.stack),
    });
  }
  if (err instanceof Error) {
    return compact({
      error: err.name,
      code: typeof err.code === "string" ? err.code : undefined,
      message: err.message,
      stack: err.stack,
      cause: err.cause !== undefined && depth < MAX_CAUSES ? describeError(causeOf(err), depth + 1) : undefined,
    });
  }
  return { error: `thrown ${err === null ? "null" : typeof err}` };
}

/** One error line: `{"level":"error","context":…,"err":{"code":…},"msg":…}` (lib/logging/logger.mjs). */
export function logError(context, err) {
  log().error({ context, err: describeError(err) }, context);
}
