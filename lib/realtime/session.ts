import "server-only";
import type { IncomingHttpHeaders } from "node:http";
import { getToken } from "next-auth/jwt";
import { validSession } from "@/lib/auth/session-store";
import { env } from "@/lib/env";

const SECURE_COOKIE = "__Secure-authjs.session-token";
export type StreamSession = { userId: string; sessionId: string; expiresAt: number };

/**
 * Who opens a stream: the Auth.js session token decoded and verified directly (the Node fast path
 * runs outside Next's request context, where auth() is not available; the route handler uses the
 * same code so both paths agree), and then its `sessions` row, which must be valid as for any
 * request (lib/auth's jwt callback). The stream remembers the session id, so a revocation ends it.
 *
 * It ends when the session expires, by the token or by the row, whichever is first. Auth.js still
 * accepts a token for 15 s past its expiry (clock tolerance); a stream does not, or a client would
 * reconnect into a stream that ends at once, over and over.
 */
export async function streamSession(headers: Headers | IncomingHttpHeaders): Promise<StreamSession | null> {
  const cookie = headers instanceof Headers ? headers.get("cookie") : headers.cookie;
  const secureCookie = cookie?.includes(SECURE_COOKIE) ?? false;
  const token = await getToken({ req: { headers: headers as Record<string, string> }, secret: env().AUTH_SECRET, secureCookie });
  if (typeof token?.sub !== "string") return null;
  const session = await validSession(token.sid);
  if (!session || session.userId !== token.sub) return null;
  const tokenExpiry = typeof token.exp === "number" ? token.exp * 1000 : Number.POSITIVE_INFINITY;
  const expiresAt = Math.min(tokenExpiry, session.expiresAt);
  return expiresAt > Date.now() ? { userId: session.userId, sessionId: session.id, expiresAt } : null;
}
