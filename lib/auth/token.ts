import "server-only";
import { db } from "@/db";
import { getTokenByHash, touchTokenLastUsed } from "@/db/queries/tokens";
import type { NotificationCategory } from "@/db/schema";
import { isAdmin } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { setRequestUser } from "@/lib/logging/logger.mjs";
import { hashSecret, looksLikeToken } from "@/lib/tokens/secret";

/**
 * Who is calling the service API: a token, and the user who created (and may revoke) it.
 * `reachesOthers`: a `users` or `app` token whose owner is an admin now, so demoting the owner also
 * narrows the tokens they already made. Otherwise the token may notify, and name as actor, only its
 * owner (an `app` token then nobody: lib/subscribers refuses it).
 */
export type TokenPrincipal = {
  tokenId: string;
  userId: string;
  ownerEmail: string;
  reachesOthers: boolean;
  /** null: every category. */
  categories: NotificationCategory[] | null;
  /** An `app` token: it reaches that app's subscribers, by their external ids, and nobody else. */
  appId: string | null;
};

const LAST_USED_RESOLUTION_MS = 60_000;

const invalid = (message: string) =>
  new AppError("invalid_token", message, { headers: { "WWW-Authenticate": 'Bearer realm="herald", error="invalid_token"' } });

/**
 * Authenticates `Authorization: Bearer <token>`. Cookies are never looked at: a service call is the
 * token's, whoever's browser it might come from. Malformed tokens are refused before any query.
 */
export async function requireToken(request: Request): Promise<TokenPrincipal> {
  const header = request.headers.get("authorization");
  if (!header) {
    throw new AppError("unauthorized", "Send a service token as `Authorization: Bearer <token>`", {
      headers: { "WWW-Authenticate": 'Bearer realm="herald"' },
    });
  }
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!match) throw invalid("The Authorization header must be `Bearer <token>`");
  if (!looksLikeToken(match[1])) throw invalid("This is not a Herald service token");
  const token = await getTokenByHash(db, hashSecret(match[1]));
  if (!token) throw invalid("Unknown service token");
  if (token.revokedAt) throw invalid("This service token has been revoked");
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await touchTokenLastUsed(db, token.id);
  }
  setRequestUser(token.userId);
  return {
    tokenId: token.id,
    userId: token.userId,
    ownerEmail: token.ownerEmail.toLowerCase(),
    reachesOthers: token.scope !== "self" && isAdmin({ email: token.ownerEmail, emailVerified: token.ownerVerified }),
    categories: token.categories,
    appId: token.scope === "app" ? token.appId : null,
  };
}
