import "server-only";
import type { IncomingHttpHeaders } from "node:http";
import { getToken } from "next-auth/jwt";
import { env } from "@/lib/env";
import { setRequestUser } from "@/lib/logging/logger.mjs";
import { validSession } from "./session-store";

const SECURE_COOKIE = "__Secure-authjs.session-token";
export type TokenSession = { userId: string; sessionId: string; expiresAt: number };

/**
 * The session of a request, from its Auth.js session token decoded and verified directly (usable
 * outside Next's request context, where auth() is not), and then its `sessions` row, which must be
 * valid as for any request (lib/auth's jwt callback). `expiresAt` is the earlier of the token's and
 * the row's expiry. Auth.js still accepts a token for 15 s past its expiry (clock tolerance); this
 * does not, or a stream would be opened only to end at once, over and over.
 */
export async function sessionFromHeaders(headers: Headers | IncomingHttpHeaders): Promise<TokenSession | null> {
  const cookie = typeof headers.get === "function" ? (headers as Headers).get("cookie") : (headers as IncomingHttpHeaders).cookie;
  const secureCookie = cookie?.includes(SECURE_COOKIE) ?? false;
  const token = await getToken({ req: { headers: headers as Record<string, string> }, secret: env().AUTH_SECRET, secureCookie });
  if (typeof token?.sub !== "string") return null;
  const session = await validSession(token.sid);
  if (!session || session.userId !== token.sub) return null;
  const tokenExpiry = typeof token.exp === "number" ? token.exp * 1000 : Number.POSITIVE_INFINITY;
  const expiresAt = Math.min(tokenExpiry, session.expiresAt);
  setRequestUser(session.userId);
  return expiresAt > Date.now() ? { userId: session.userId, sessionId: session.id, expiresAt } : null;
}
