import { desc, eq, inArray } from "drizzle-orm";
import type postgres from "postgres";
import { prepared, type DatabaseOrTransaction } from "@/db";
import { ROW, toRow } from "@/db/queries/delivery";
import type { NotificationRow } from "@/db/queries/notifications";
import { messages, type Message, type NewMessage } from "@/db/schema";

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

// A message, its room's activity time and the recipient's notification in ONE statement (so one
// round trip, and atomic without an explicit transaction): the room is checked for membership, the
// sender's name is read, and the notification comes back as a full row for the DTO, with no
// read-back query. Lock order as everywhere: the room row, then the recipient's counter (trigger).
const SEND_SQL = `
  with room as (
    select r.id, case when r.user_a_id = $2 then r.user_b_id else r.user_a_id end as recipient
      from rooms r where r.id = $1 and $2 in (r.user_a_id, r.user_b_id)
  ), sender as (
    select u.id, u.name from users u where u.id = $2
  ), m as (
    insert into messages (room_id, sender_id, body) select room.id, sender.id, $3 from room, sender returning *
  ), touched as (
    update rooms set last_message_at = m.created_at from m where rooms.id = m.room_id
  ), n as (
    insert into notifications (user_id, category, priority, title, body, action_url, action_label, actor_id, subject_type, subject_id, metadata, source, group_key)
    select room.recipient, $4, $5, sender.name || $6, $7, $8, $9, sender.id, $10, m.id::text, $11::jsonb, 'app', 'room:' || room.id
      from m, room, sender
    returning *
  )
  select m.id::text as "messageId", m.room_id as "messageRoomId", m.sender_id as "messageSenderId", m.body as "messageBody",
         m.created_at as "messageCreatedAt", ${ROW}
    from m, n left join users a on a.id = n.actor_id left join api_tokens t on t.id = n.source_token_id`;

export type MessageNotificationFields = {
  category: string;
  priority: string;
  titleSuffix: string;
  body: string;
  actionUrl: string;
  actionLabel: string;
  subjectType: string;
  metadata: Record<string, unknown>;
};

/** Sends a message and notifies the other member; null when the sender is not a member of the room. */
export async function sendMessageWithNotification(
  sql: postgres.Sql,
  { roomId, senderId, body, notification: f }: { roomId: string; senderId: string; body: string; notification: MessageNotificationFields },
): Promise<{ message: Message; notification: NotificationRow } | null> {
  const [raw] = await sql.unsafe<Record<string, unknown>[]>(SEND_SQL, [
    roomId, senderId, body, f.category, f.priority, f.titleSuffix, f.body, f.actionUrl, f.actionLabel, f.subjectType, JSON.stringify(f.metadata),
  ], { prepare: prepared() });
  if (!raw) return null;
  const createdAt = raw.messageCreatedAt;
  const message: Message = {
    id: Number(raw.messageId),
    roomId: raw.messageRoomId as string,
    senderId: raw.messageSenderId as string,
    body: raw.messageBody as string,
    createdAt: createdAt instanceof Date ? createdAt : new Date(createdAt as string),
  };
  return { message, notification: toRow(raw) };
}
