import "server-only";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { looksLikeJwt, verifySubscriberToken } from "@/lib/auth/subscriber-token";
import { AppError } from "@/lib/errors";
import { corsForAnyApp, crossOrigin, withCors } from "./cors";
import { errorResponse, route, type Handler } from "./respond";

type UserHandler<C> = (request: Request, context: C, user: SessionUser) => Promise<Response>;

const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

/**
 * A route handler for a person: the signed-in user (cookie session: the same-origin check, then the
 * session, 401 without one), then the handler with the user; every thrown AppError becomes its JSON
 * answer. With `{subscribers: true}` an app's subscriber may call it too, with
 * `Authorization: Bearer <subscriber token>` from its own server or from a page on one of the app's
 * origins (CORS); that request's cookies are not looked at. Token-authenticated service handlers
 * use `serviceRoute`.
 */
export function userRoute<C = unknown>(handler: UserHandler<C>, options: { subscribers?: boolean } = {}): Handler<C> {
  const asUser = route<C>(async (request, context) => handler(request, context, await requireUser()));
  if (!options.subscribers) return asUser;
  return async (request, context) => {
    const token = BEARER.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!token || !looksLikeJwt(token)) return asUser(request, context);
    const origin = crossOrigin(request);
    try {
      const subscriber = await verifySubscriberToken(token);
      if (origin && !subscriber.allowedOrigins.includes(origin)) {
        // No CORS headers: the page learns nothing but that it was refused.
        return errorResponse(new AppError("origin_not_allowed", "This page's origin is not among the app's allowed origins"));
      }
      // The host vouches for its users' addresses; a subscriber is never an admin (lib/auth/roles.ts).
      const user: SessionUser = { id: subscriber.userId, name: subscriber.name, email: subscriber.email ?? "", emailVerified: true, appId: subscriber.appId };
      const response = await handler(request, context, user);
      return origin ? withCors(response, origin) : response;
    } catch (err) {
      return corsForAnyApp(request, errorResponse(err));
    }
  };
}

/** A route of what a person uses (inbox, preferences, push): accounts and subscribers alike. */
export const personRoute = <C = unknown>(handler: UserHandler<C>) => userRoute(handler, { subscribers: true });
