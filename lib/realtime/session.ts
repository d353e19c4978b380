import "server-only";
import { getToken } from "next-auth/jwt";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

const SECURE_COOKIE = "__Secure-authjs.session-token";

/**
 * The stream's user, and when their session token expires: a stream must not outlive the session
 * it was opened with (Auth.js JWT sessions cannot be revoked server-side, so the stream's maximum
 * lifetime also bounds how long a signed-out browser keeps receiving).
 */
export async function streamSession(request: Request): Promise<{ userId: string; expiresAt: number } | null> {
  const user = await getSessionUser();
  if (!user) return null;
  const secureCookie = request.headers.get("cookie")?.includes(SECURE_COOKIE) ?? false;
  const token = await getToken({ req: request, secret: env().AUTH_SECRET, secureCookie });
  const expiresAt = typeof token?.exp === "number" ? token.exp * 1000 : Number.POSITIVE_INFINITY;
  // Auth.js still accepts a token for 15 s past its expiry (clock tolerance); a stream does not, or
  // a client would reconnect into a stream that ends at once, over and over.
  if (expiresAt <= Date.now()) return null;
  return { userId: user.id, expiresAt };
}
