import "server-only";
import type { IncomingHttpHeaders } from "node:http";
import { getToken } from "next-auth/jwt";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

const SECURE_COOKIE = "__Secure-authjs.session-token";
export type StreamSession = { userId: string; expiresAt: number };

async function tokenExpiry(headers: Headers | IncomingHttpHeaders) {
  const cookie = headers instanceof Headers ? headers.get("cookie") : headers.cookie;
  const secureCookie = cookie?.includes(SECURE_COOKIE) ?? false;
  return getToken({ req: { headers: headers as Record<string, string> }, secret: env().AUTH_SECRET, secureCookie });
}

/**
 * A stream must not outlive the session it was opened with: it ends when the session token expires
 * (Auth.js JWT sessions cannot be revoked server-side, so the stream's maximum lifetime also bounds
 * how long a signed-out browser keeps receiving). Auth.js still accepts a token for 15 s past its
 * expiry (clock tolerance); a stream does not, or a client would reconnect into a stream that ends
 * at once, over and over.
 */
function live(userId: string, exp: unknown): StreamSession | null {
  const expiresAt = typeof exp === "number" ? exp * 1000 : Number.POSITIVE_INFINITY;
  return expiresAt > Date.now() ? { userId, expiresAt } : null;
}

/** For the route handler: the app's own auth() for the user, the token for its expiry. */
export async function streamSession(request: Request): Promise<StreamSession | null> {
  const user = await getSessionUser();
  if (!user) return null;
  return live(user.id, (await tokenExpiry(request.headers))?.exp);
}

/**
 * For the Node fast path, which runs outside Next's request context (no auth()): the Auth.js
 * session token decoded and verified directly. Its `sub` is the user id (lib/auth's jwt callback),
 * so this must change with lib/auth if sessions ever stop being JWTs.
 */
export async function tokenSession(headers: IncomingHttpHeaders): Promise<StreamSession | null> {
  const token = await tokenExpiry(headers);
  return typeof token?.sub === "string" ? live(token.sub, token.exp) : null;
}
