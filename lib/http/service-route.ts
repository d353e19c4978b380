import "server-only";
import { requireToken, type TokenPrincipal } from "@/lib/auth/token";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import { guarded, type Handler } from "./respond";

type ServiceHandler<C> = (request: Request, context: C, token: TokenPrincipal) => Promise<Response>;

/**
 * A token-authenticated route handler (/api/v1/*): bearer token, then the owner's rate limit, then
 * the handler. No Origin check: there is no ambient credential to abuse, since cookies are ignored.
 */
export function serviceRoute<C = unknown>(handler: ServiceHandler<C>): Handler<C> {
  return guarded(async (request, context) => {
    const token = await requireToken(request);
    // Per owner, across all their tokens: more tokens must not mean more requests. An app's
    // tokens share the app's budget.
    await enforceRateLimit(rules.serviceApi(), token.appId ?? token.userId);
    return handler(request, context, token);
  });
}
