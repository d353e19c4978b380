import "server-only";
import { AppError } from "@/lib/errors";
import { logError } from "@/lib/logging/log-error.mjs";

/** What every server action of the app returns: it never throws at the client. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string };

export function failure(err: unknown, what: string): { ok: false; error: string } {
  if (err instanceof AppError) return { ok: false, error: err.message };
  logError(`${what} failed`, err);
  return { ok: false, error: "Something went wrong; please try again." };
}
