import { and, desc, eq, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DatabaseOrTransaction } from "@/db";
import { rooms, users } from "@/db/schema";
import { accountEmail } from "./users";

const orderedPair = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);

/** The direct room of two users, or null. */
export async function getDirectRoom(db: DatabaseOrTransaction, userId: string, otherId: string) {
  const [userAId, userBId] = orderedPair(userId, otherId);
  const [room] = await db
    .select()
    .from(rooms)
    .where(and(eq(rooms.userAId, userAId), eq(rooms.userBId, userBId)));
  return room ?? null;
}

/** The direct room of two users, created if missing (safe under concurrent calls). */
export async function getOrCreateDirectRoom(db: DatabaseOrTransaction, userId: string, otherId: string) {
  const [userAId, userBId] = orderedPair(userId, otherId);
  const [created] = await db.insert(rooms).values({ userAId, userBId }).onConflictDoNothing().returning();
  if (created) return { room: created, created: true };
  const [existing] = await db
    .select()
    .from(rooms)
    .where(and(eq(rooms.userAId, userAId), eq(rooms.userBId, userBId)));
  return { room: existing, created: false };
}

/** The room if `userId` is one of its two members, else null. */
export async function getRoomForMember(db: DatabaseOrTransaction, { roomId, userId }: { roomId: string; userId: string }) {
  const [room] = await db
    .select()
    .from(rooms)
    .where(and(eq(rooms.id, roomId), or(eq(rooms.userAId, userId), eq(rooms.userBId, userId))));
  return room ?? null;
}

export async function touchRoom(db: DatabaseOrTransaction, roomId: string, at: Date) {
  await db.update(rooms).set({ lastMessageAt: at }).where(eq(rooms.id, roomId));
}

const other = alias(users, "other");

/** The user's rooms with the other member, most recently active first. */
export async function listRoomsForUser(db: DatabaseOrTransaction, userId: string) {
  return db
    .select({
      id: rooms.id,
      lastMessageAt: rooms.lastMessageAt,
      other: { id: other.id, name: other.name, email: accountEmail(other.email) },
    })
    .from(rooms)
    .innerJoin(
      other,
      sql`${other.id} = case when ${rooms.userAId} = ${userId} then ${rooms.userBId} else ${rooms.userAId} end`,
    )
    .where(or(eq(rooms.userAId, userId), eq(rooms.userBId, userId)))
    .orderBy(sql`${rooms.lastMessageAt} desc nulls last`, desc(rooms.createdAt));
}
