import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { formatCursor, parseCursor, type ResetReason } from "./protocol";

/**
 * SSE event ids are resume cursors: `<seq>.<mac>`, where seq is the user's change number (see the
 * delivery migration) and mac an HMAC of (user, seq) under AUTH_SECRET. The MAC tells a cursor of
 * this user apart from another user's (an account switch in the same browser) or a forged one, and
 * every instance sharing the secret accepts every other instance's cursors.
 */

/** A resume further back than this many numbers gets sync.reset (the change log keeps 10,000). */
export const MAX_REPLAY = 5_000;
/** Numbers of notification_changes the database keeps per user (the delivery migration prunes older ones). */
export const CHANGE_LOG_KEEPS = 10_000;

const MAC_CHARS = 16;
let key: Buffer | undefined;

function mac(userId: string, seq: number) {
  key ??= createHmac("sha256", env().AUTH_SECRET).update("herald:sse-cursor").digest();
  return createHmac("sha256", key).update(`${userId}:${seq}`).digest("base64url").slice(0, MAC_CHARS);
}

export function encodeCursor(userId: string, seq: number) {
  return formatCursor(seq, mac(userId, seq));
}

/** The seq of a cursor that this user was given, or null for anything else. */
export function decodeCursor(userId: string, cursor: string): number | null {
  const parsed = parseCursor(cursor);
  if (!parsed) return null;
  const expected = Buffer.from(mac(userId, parsed.seq));
  const given = Buffer.from(parsed.mac);
  return expected.length === given.length && timingSafeEqual(expected, given) ? parsed.seq : null;
}

export type ResumePlan =
  | { kind: "fresh" }
  | { kind: "replay"; from: number }
  | { kind: "reset"; reason: ResetReason };

/**
 * What to do with a client's Last-Event-ID given the user's current number: replay what follows it,
 * or tell the client to refetch (sync.reset), never a silent empty replay.
 */
export function planResume(userId: string, lastEventId: string | null, current: number): ResumePlan {
  if (lastEventId === null || lastEventId === "") return { kind: "fresh" };
  const seq = decodeCursor(userId, lastEventId);
  if (seq === null) return { kind: "reset", reason: "invalid" };
  if (seq > current) return { kind: "reset", reason: "future" };
  if (current - seq > MAX_REPLAY) return { kind: "reset", reason: "too-old" };
  return { kind: "replay", from: seq };
}
