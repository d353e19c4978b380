import { and, asc, desc, eq, notInArray, sql } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { pushSubscriptions as s } from "@/db/schema";

const device = { id: s.id, name: s.name, createdAt: s.createdAt, lastUsedAt: s.lastUsedAt };

/**
 * Saves a browser's subscription. An endpoint is one browser profile: posted again it is updated,
 * never duplicated. It moves to another account only with the same keys (someone else signed in on
 * that browser, which holds the keys); anyone else who merely knows the URL gets null.
 * `created` tells a new row from an existing one.
 */
export async function upsertSubscription(
  db: DatabaseOrTransaction,
  v: { userId: string; endpoint: string; p256dh: string; auth: string; name: string; expirationTime: Date | null; sessionId: string | null },
) {
  const [row] = await db
    .insert(s)
    .values(v)
    .onConflictDoUpdate({
      target: s.endpoint,
      set: { userId: v.userId, p256dh: v.p256dh, auth: v.auth, name: v.name, expirationTime: v.expirationTime, sessionId: v.sessionId },
      setWhere: sql`${s.userId} = ${v.userId} or (${s.p256dh} = ${v.p256dh} and ${s.auth} = ${v.auth})`,
    })
    .returning({ ...device, created: sql<boolean>`(xmax = 0)` });
  return row ?? null;
}

export async function listSubscriptions(db: DatabaseOrTransaction, userId: string) {
  return db.select(device).from(s).where(eq(s.userId, userId)).orderBy(desc(s.createdAt));
}

export async function deleteSubscription(db: DatabaseOrTransaction, params: { id: string; userId: string }) {
  const rows = await db.delete(s).where(and(eq(s.id, params.id), eq(s.userId, params.userId))).returning({ id: s.id });
  return rows.length > 0;
}

/** Keeps a user's `max` most recently used (or registered) devices; returns how many older ones went. */
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

/** Removes every device of the user. */
export async function deleteUserDevices(db: DatabaseOrTransaction, userId: string) {
  await db.delete(s).where(eq(s.userId, userId));
}

/** Moves the devices one session of the user registered to another of theirs. */
export async function moveSessionDevices(db: DatabaseOrTransaction, params: { userId: string; from: string; to: string }) {
  await db
    .update(s)
    .set({ sessionId: params.to })
    .where(and(eq(s.userId, params.userId), eq(s.sessionId, params.from)));
}
