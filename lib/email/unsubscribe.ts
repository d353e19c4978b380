import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { NOTIFICATION_CATEGORIES } from "@/lib/notifications/constants";
import { env } from "@/lib/env";

/**
 * One-click unsubscribe links (RFC 8058). The token names a user and what to stop (a category, or
 * "all": every email), signed with a key derived from AUTH_SECRET; the signature is the only
 * authority a POST to it needs, since mail providers send neither cookies nor Origin. No expiry: an
 * old email's link must keep working. Nothing in the token is secret; it only cannot be forged.
 */
export type UnsubscribeScope = (typeof NOTIFICATION_CATEGORIES)[number] | "all";

const claims = z.object({ u: z.uuid(), s: z.enum([...NOTIFICATION_CATEGORIES, "all"]) });

const key = () => createHmac("sha256", env().AUTH_SECRET).update("herald-unsubscribe-v1").digest();
const sign = (payload: string) => createHmac("sha256", key()).update(payload).digest("base64url");

export function unsubscribeToken(p: { userId: string; scope: UnsubscribeScope }) {
  const payload = Buffer.from(JSON.stringify({ u: p.userId, s: p.scope })).toString("base64url");
  return `${payload}.${sign(payload)}`;
}

export function unsubscribeUrl(p: { userId: string; scope: UnsubscribeScope; publicUrl: string }) {
  return `${p.publicUrl}/api/email/unsubscribe/${unsubscribeToken(p)}`;
}

/** A token as a URL path segment carries it: decoded, or as it is when its encoding is broken (then it verifies as nothing). */
export function tokenFromPath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function verifyUnsubscribeToken(token: string): { userId: string; scope: UnsubscribeScope } | null {
  if (token.length > 300) return null;
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(sign(m[1]));
  const given = Buffer.from(m[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const parsed = claims.safeParse(JSON.parse(Buffer.from(m[1], "base64url").toString("utf8")));
    return parsed.success ? { userId: parsed.data.u, scope: parsed.data.s } : null;
  } catch {
    return null;
  }
}
