import "server-only";
import { db } from "@/db";
import { getValidSession, touchSession } from "@/db/queries/sessions";
import { logError } from "@/lib/logging/log-error.mjs";

export type ValidSession = { id: string; userId: string; name: string; email: string; emailVerified: boolean; expiresAt: number };

/**
 * How long a lookup is trusted. Revocations are announced on `herald_sessions` and drop the user's
 * entries at once (lib/realtime/stream/revocation.ts); this bound is what holds if a notification is
 * missed, so a revoked session stops working within it (plus one query) on every instance.
 */
const TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;
const TOUCH_EVERY_MS = 60_000;

type Entry = { at: number; userId: string | null; lookup: Promise<ValidSession | null> };
// Per process, on globalThis so dev hot reloads share one cache with the listener that clears it.
const g = globalThis as unknown as { __heraldSessions?: Map<string, Entry> };
const cache = (g.__heraldSessions ??= new Map());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function lookup(id: string, entry: Entry): Promise<ValidSession | null> {
  const row = await getValidSession(db, id);
  if (!row) return null;
  entry.userId = row.userId;
  if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    touchSession(db, id).catch((err: Error) => logError("session touch failed", err));
  }
  return { id: row.id, userId: row.userId, name: row.name, email: row.email, emailVerified: row.emailVerified, expiresAt: row.expiresAt.getTime() };
}

/**
 * The session if it is valid now. Cached briefly per process; the entry is stored before the query
 * runs, so a revocation that clears it meanwhile is never overwritten by the older answer.
 */
export function validSession(id: unknown): Promise<ValidSession | null> {
  if (typeof id !== "string" || !UUID.test(id)) return Promise.resolve(null);
  const now = Date.now();
  const hit = cache.get(id);
  if (hit && now - hit.at < TTL_MS) return hit.lookup;
  if (hit) cache.delete(id);
  if (cache.size >= MAX_ENTRIES) {
    // Oldest first (Map keeps insertion order): drop a slice rather than one per insert.
    let n = MAX_ENTRIES / 10;
    for (const key of cache.keys()) {
      if (n-- <= 0) break;
      cache.delete(key);
    }
  }
  const entry: Entry = { at: now, userId: null, lookup: Promise.resolve(null) };
  entry.lookup = lookup(id, entry);
  // A failed query is not an answer to keep.
  entry.lookup.catch(() => cache.get(id) === entry && cache.delete(id));
  cache.set(id, entry);
  return entry.lookup;
}

/** Forgets everything cached about a user's sessions (one of them was revoked or deleted). */
export function forgetUserSessions(userId: string) {
  for (const [id, entry] of cache) if (entry.userId === userId || entry.userId === null) cache.delete(id);
}

/**
 * A session the change feed saw revoked or deleted: answered as invalid for the next lookups, even
 * before this process's snapshots see that commit (it is announced a moment before it is visible).
 */
export function rememberRevoked(id: string, userId: string) {
  cache.set(id, { at: Date.now(), userId, lookup: Promise.resolve(null) });
}

/** Forgets every cached lookup (announcements may have been missed). */
export function forgetAllSessions() {
  cache.clear();
}
