import "server-only";
import { db, rawSql } from "@/db";
import { lastMessagesForRooms, listMessages, sendMessageWithNotification } from "@/db/queries/messages";
import { countUnreadByRoom, markRoomNotificationsRead } from "@/db/queries/notifications";
import { getDirectRoom, getOrCreateDirectRoom, getRoomForMember, listRoomsForUser } from "@/db/queries/rooms";
import { getUserByEmail, getUserById } from "@/db/queries/users";
import type { Message, Room } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { countCreated } from "@/lib/metrics";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import { toNotificationDTO, type NotificationDTO } from "@/lib/notifications/dto";
import { MESSAGE_TITLE_SUFFIX, messageNotificationFields, messagePreview } from "@/lib/notifications/kinds/message";

export type MessageDTO = { id: string; roomId: string; senderId: string; body: string; createdAt: string };

export function toMessageDTO(m: Message): MessageDTO {
  return { id: String(m.id), roomId: m.roomId, senderId: m.senderId, body: m.body, createdAt: m.createdAt.toISOString() };
}

const otherMemberOf = (room: Room, userId: string) => (room.userAId === userId ? room.userBId : room.userAId);

/** The room if the user is one of its two members; 404 otherwise (no existence leak). */
async function memberRoom(userId: string, roomId: string) {
  const room = await getRoomForMember(db, { roomId, userId });
  if (!room) throw notFound("Room");
  return room;
}

/**
 * Starts (or finds) the direct room with whoever has `participantEmail`. The caller learns nothing
 * here about whether the address has an account (the API answers the same either way); the room,
 * when there is one, shows in their conversations. Starting one costs a hit of the per-user hourly
 * limit whether or not the account exists, so nobody probes addresses at speed; a room the two
 * already share is free (it tells them nothing new).
 */
export async function openDirectRoom(userId: string, participantEmail: string): Promise<{ roomId: string | null }> {
  const other = await getUserByEmail(db, participantEmail);
  if (other?.id === userId) throw new AppError("bad_request", "You cannot open a room with yourself");
  const existing = other ? await getDirectRoom(db, userId, other.id) : null;
  if (existing) return { roomId: existing.id };
  await enforceRateLimit(rules.roomsStarted(), userId, { message: "Too many new conversations" });
  if (!other) return { roomId: null };
  const { room } = await getOrCreateDirectRoom(db, userId, other.id);
  return { roomId: room.id };
}

/**
 * Sends a message: the message and the recipient's notification are written by ONE statement (one
 * round trip, one transaction), so there is never a message without its notification (or the reverse).
 */
export async function sendMessage({
  senderId,
  roomId,
  body,
}: {
  senderId: string;
  roomId: string;
  body: string;
}): Promise<{ message: MessageDTO; notification: NotificationDTO }> {
  const sent = await sendMessageWithNotification(rawSql(), {
    roomId,
    senderId,
    body,
    notification: { ...messageNotificationFields({ roomId, body }), titleSuffix: MESSAGE_TITLE_SUFFIX },
  });
  // Not a member, or no such room: the same 404 (no existence leak).
  if (!sent) throw notFound("Room");
  countCreated("app", [sent.notification.category]);
  return { message: toMessageDTO(sent.message), notification: toNotificationDTO(sent.notification) };
}

export type ConversationDTO = {
  id: string;
  other: { id: string; name: string; email: string };
  lastMessage: { body: string; mine: boolean; createdAt: string } | null;
  unread: number;
};

/** The user's rooms, most recent first, with the last message and the unread message notifications of each. */
export async function listConversations(userId: string): Promise<ConversationDTO[]> {
  const rooms = await listRoomsForUser(db, userId);
  const [last, unread] = await Promise.all([
    lastMessagesForRooms(db, rooms.map((r) => r.id)),
    countUnreadByRoom(db, userId),
  ]);
  return rooms.map((r) => {
    const m = last.get(r.id);
    return {
      id: r.id,
      other: r.other,
      lastMessage: m ? { body: messagePreview(m.body), mine: m.senderId === userId, createdAt: m.createdAt.toISOString() } : null,
      unread: unread.get(r.id) ?? 0,
    };
  });
}

/** Opening a room reads its message notifications (members only). */
export async function markRoomRead({ userId, roomId }: { userId: string; roomId: string }) {
  await memberRoom(userId, roomId);
  return { updated: (await markRoomNotificationsRead(db, { userId, roomId })).length };
}

/** What the room page shows: the other member and the latest messages (members only). */
export async function getRoomView({ userId, roomId }: { userId: string; roomId: string }) {
  const room = await memberRoom(userId, roomId);
  const otherId = otherMemberOf(room, userId);
  const [other, messages] = await Promise.all([getUserById(db, otherId), listMessages(db, room.id)]);
  return {
    roomId: room.id,
    other: { id: otherId, name: other?.name ?? "Deleted user", email: other?.email ?? "" },
    messages: messages.map(toMessageDTO),
  };
}
