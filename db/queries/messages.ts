import { desc, eq } from "drizzle-orm";
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
