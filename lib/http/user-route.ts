import "server-only";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { route, type Handler } from "./respond";

type UserHandler<C> = (request: Request, context: C, user: SessionUser) => Promise<Response>;

/**
 * A route handler for the signed-in user (cookie session): the same-origin check, then the session
 * (401 without one), then the handler with the user; every thrown AppError becomes its JSON answer.
 * Token-authenticated handlers use `serviceRoute`.
 */
export function userRoute<C = unknown>(handler: UserHandler<C>): Handler<C> {
  return route(async (request, context) => handler(request, context, await requireUser()));
}
