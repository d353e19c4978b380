import "server-only";
import { sessionFromHeaders, type TokenSession } from "@/lib/auth/token-session";

export type StreamSession = TokenSession;

/**
 * Who opens a stream. The Node fast path runs outside Next's request context (no auth()), so both
 * paths read the session token directly and check its `sessions` row, and agree. The stream keeps
 * the session id (a revocation ends it) and ends when the session expires.
 */
export const streamSession = sessionFromHeaders;
