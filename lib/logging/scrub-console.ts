import "server-only";
import { postgresErrorOf } from "@/lib/db/errors.mjs";
import { describeError } from "./log-error.mjs";

const MAX_CAUSES = 5;

/** An error that is, or was caused by, a database error (drizzle's DrizzleQueryError holds every parameter in its message). */
function fromDatabase(value: unknown): value is Error {
  if (!(value instanceof Error)) return false;
  if (postgresErrorOf(value)) return true;
  let e: unknown = value;
  for (let i = 0; i < MAX_CAUSES && e instanceof Error; i++) {
    if ("params" in e && typeof (e as { query?: unknown }).query === "string") return true;
    e = e.cause;
  }
  return false;
}

/**
 * Next.js logs what a page, layout or server action throws with console.error, the whole object:
 * for a database error that is the query's parameters (in a DrizzleQueryError's message and
 * `params`) and PostgreSQL's message, which often quotes the input. Such an argument is written as
 * logError describes it (code, statement with placeholders, stack frames), whoever logs it; other
 * arguments pass as they are.
 */
export function installConsoleScrub() {
  for (const level of ["error", "warn"] as const) {
    const original = console[level];
    if ((original as { scrubbed?: boolean }).scrubbed) continue;
    const scrubbed = (...args: unknown[]) =>
      original.apply(console, args.map((a) => (fromDatabase(a) ? `${a.name} (database error) ${JSON.stringify(describeError(a))}` : a)));
    scrubbed.scrubbed = true;
    console[level] = scrubbed;
  }
}
