import "server-only";
import type { z } from "zod";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { logError } from "@/lib/logging/log-error.mjs";
import { parseWith } from "./respond";

/** What every server action of the app returns: it never throws at the client. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string };

/** An AppError's message is for the user; anything else is logged and answered in general terms. */
export function failure(err: unknown, what: string): { ok: false; error: string } {
  if (err instanceof AppError) return { ok: false, error: err.message };
  logError(`${what} failed`, err);
  return { ok: false, error: "Something went wrong; please try again." };
}

/**
 * A server action for the signed-in user, as `userRoute` is for route handlers: the session (an
 * action is reachable by POST whatever page shows it), then the input validated by the schema with
 * the REST API's messages, then `run`; every AppError becomes `{ok: false, error}`.
 *   export const archiveAction = userAction("archive", idSchema, (id, user) => archive(user.id, id));
 */
export function userAction<S extends z.ZodType, T>(what: string, schema: S, run: (input: z.infer<S>, user: SessionUser) => Promise<T>) {
  return async (input: z.input<S>): Promise<ActionResult<T>> => {
    try {
      const user = await requireUser();
      return { ok: true, data: await run(parseWith(schema, input), user) };
    } catch (err) {
      return failure(err, what);
    }
  };
}
