import { and, asc, desc, eq, notInArray, sql } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { pushSubscriptions as s } from "@/db/schema";

const device = { id: s.id, name: s.name, createdAt: s.createdAt, lastUsedAt: s.lastUsedAt };

/**
 * Saves a browser's subscription. An endpoint is one browser profile: posted again it is updated
 * (new keys, and a new owner if someone else signed in there since), never duplicated.
 * `created` tells a new row from an existing one.
 */
export async function upsertSubscription(
  db: DatabaseOrTransaction,
  v: { userId: string; endpoint: string; p256dh: string; auth: string; name: string; expirationTime: Date | null },
) {
  const [row] = await db
    .insert(s)
    .values(v)
    .onConflictDoUpdate({
      target: s.endpoint,
      set: { userId: v.userId, p256dh: v.p256dh, auth: v.auth, name: v.name, expirationTime: v.expirationTime },
    })
    .returning({ ...device, created: sql<boolean>`(xmax = 0)` });
  return row;
}

export async function listSubscriptions(db: DatabaseOrTransaction, userId: string) {
  return db.select(device).from(s).where(eq(s.userId, userId)).orderBy(desc(s.createdAt));
}

export async function deleteSubscription(db: DatabaseOrTransaction, params: { id: string; userId: string }) {
  const rows = await db.delete(s).where(and(eq(s.id, params.id), eq(s.userId, params.userId))).returning({ id: s.id });
  return rows.length > 0;
}

/** Keeps a user's `max` most recently used devices; returns how many older ones went. */
export async function pruneSubscriptions(db: DatabaseOrTransaction, params: { userId: string; max: number }) {
  const keep = db
    .select({ id: s.id })
    .from(s)
    .where(eq(s.userId, params.userId))
    .orderBy(desc(sql`coalesce(${s.lastUsedAt}, ${s.createdAt})`), asc(s.id))
    .limit(params.max);
  const rows = await db
    .delete(s)
    .where(and(eq(s.userId, params.userId), notInArray(s.id, keep)))
    .returning({ id: s.id });
  return rows.length;
}
