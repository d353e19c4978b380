import { desc, eq, inArray } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { messages, type NewMessage } from "@/db/schema";

export async function insertMessage(db: DatabaseOrTransaction, values: NewMessage) {
  const [message] = await db.insert(messages).values(values).returning();
  return message;
}

/** The latest `limit` messages of a room, oldest first. */
export async function listMessages(db: DatabaseOrTransaction, roomId: string, limit = 200) {
  const rows = await db
    .select()
    .from(messages)
    .where(eq(messages.roomId, roomId))
    .orderBy(desc(messages.id))
    .limit(limit);
  return rows.reverse();
}

/** The newest message of each room, in one query (for the conversation list's previews). */
export async function lastMessagesForRooms(db: DatabaseOrTransaction, roomIds: string[]) {
  if (roomIds.length === 0) return new Map<string, { body: string; senderId: string; createdAt: Date }>();
  const rows = await db
    .selectDistinctOn([messages.roomId], { roomId: messages.roomId, body: messages.body, senderId: messages.senderId, createdAt: messages.createdAt })
    .from(messages)
    .where(inArray(messages.roomId, roomIds))
    .orderBy(messages.roomId, desc(messages.id));
  return new Map(rows.map((r) => [r.roomId, { body: r.body, senderId: r.senderId, createdAt: r.createdAt }]));
}
