import { and, eq, gt, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { sessions, users } from "@/db/schema";
import { deleteUserDevices } from "./push-subscriptions";
import { accountEmail } from "./users";

export async function createSession(
  db: DatabaseOrTransaction,
  params: { userId: string; userAgent: string | null; expiresAt: Date },
) {
  const [row] = await db.insert(sessions).values(params).returning({ id: sessions.id, expiresAt: sessions.expiresAt });
  return row;
}

/**
 * A session that is still valid (its row exists, is not revoked, not expired), with its user as
 * the users table has them now. Null otherwise, including when the user was deleted (the row
 * cascades away).
 */
export async function getValidSession(db: DatabaseOrTransaction, id: string) {
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      name: users.name,
      email: accountEmail(users.email),
      emailVerified: sql<boolean>`${users.emailVerifiedAt} is not null`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)));
  return row ?? null;
}

/** Of these session ids, the ones still valid. */
export async function filterValidSessions(db: DatabaseOrTransaction, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(inArray(sessions.id, ids), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)));
  return new Set(rows.map((r) => r.id));
}

/** Marks the session used now, unless it was within the last minute (one write a minute at most). */
export async function touchSession(db: DatabaseOrTransaction, id: string) {
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(and(eq(sessions.id, id), lt(sessions.lastSeenAt, sql`now() - interval '1 minute'`)));
}

/** Revokes one session of the user; the trigger announces it on herald_sessions. */
export async function revokeSession(db: DatabaseOrTransaction, params: { userId: string; sessionId: string }) {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, params.sessionId), eq(sessions.userId, params.userId), isNull(sessions.revokedAt)));
}

/**
 * Revokes every session of the user but `exceptId` (one statement, one announcement). Returns how
 * many. The revoked sessions' push devices go with them (a trigger, db/migrations/0018); with none
 * kept (sign out everywhere) every device of the user goes, those no session registered included.
 */
export async function revokeUserSessions(db: DatabaseOrTransaction, userId: string, exceptId?: string) {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), exceptId ? ne(sessions.id, exceptId) : undefined))
    .returning({ id: sessions.id });
  if (!exceptId) await deleteUserDevices(db, userId);
  return rows.length;
}

/** How many valid sessions the user has (signed-in browsers and devices). */
export async function countValidSessions(db: DatabaseOrTransaction, userId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)));
  return row?.n ?? 0;
}
