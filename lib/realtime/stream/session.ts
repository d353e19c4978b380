import "server-only";
import type { IncomingHttpHeaders } from "node:http";
import { db } from "@/db";
import { anyAppAllowsOrigin } from "@/db/queries/apps";
import { looksLikeJwt, verifySubscriberToken } from "@/lib/auth/subscriber-token";
import { sessionFromHeaders } from "@/lib/auth/token-session";
import { AppError, unauthorized } from "@/lib/errors";
import { crossOriginOf } from "@/lib/http/cors";

export type StreamSession = {
  userId: string;
  /** A signed-in person's `sessions` row: revoking it ends the stream. */
  sessionId?: string;
  /** A subscriber token's signing key: deleting it ends the stream. */
  signingKey?: string;
  /** Epoch ms when the session or token ends. */
  expiresAt: number;
};

/** `cors`: the origin to answer with CORS headers (a host page), or null. */
export type StreamAuth = { ok: true; session: StreamSession; cors: string | null } | { ok: false; error: AppError; cors: string | null };

const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

function header(headers: Headers | IncomingHttpHeaders, name: string): string | null {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const v = (headers as IncomingHttpHeaders)[name];
  return typeof v === "string" ? v : null;
}

/**
 * Who opens a stream. The Node fast path runs outside Next's request context (no auth()), so both
 * paths read the credentials directly and agree: an app's subscriber token in `Authorization`
 * (never in the URL, which ends up in logs), checked against the page's Origin; otherwise the
 * session cookie and its `sessions` row. The stream ends when the session or token does.
 */
export async function authenticateStream(headers: Headers | IncomingHttpHeaders): Promise<StreamAuth> {
  const token = BEARER.exec(header(headers, "authorization") ?? "")?.[1];
  const origin = crossOriginOf(header(headers, "origin"), header(headers, "host"));
  if (token && looksLikeJwt(token)) {
    try {
      const s = await verifySubscriberToken(token);
      if (origin && !s.allowedOrigins.includes(origin)) {
        return { ok: false, error: new AppError("origin_not_allowed", "This page's origin is not among the app's allowed origins"), cors: null };
      }
      return { ok: true, session: { userId: s.userId, signingKey: s.kid, expiresAt: s.expiresAt }, cors: origin };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return { ok: false, error: err, cors: origin && (await anyAppAllowsOrigin(db, origin)) ? origin : null };
    }
  }
  const session = await sessionFromHeaders(headers);
  if (!session) return { ok: false, error: unauthorized(), cors: null };
  return { ok: true, session: { userId: session.userId, sessionId: session.sessionId, expiresAt: session.expiresAt }, cors: null };
}
