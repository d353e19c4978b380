// A chat message's notification: how one is built and how to tell which room one is about. The one
// place that knows the link (`metadata.roomId`); server, SQL and client all ask here. No server
// imports: the client uses it too.
import { preview } from "@/lib/text/preview";

export const MESSAGE_CATEGORY = "message";
/** The metadata key naming the room; SQL reads it as `metadata->>'roomId'` (see ROOM_ID_SQL_KEY). */
export const ROOM_KEY = "roomId";
/** ROOM_KEY as a SQL string literal, for `metadata->>` expressions that must match in GROUP BY. */
export const ROOM_ID_SQL_KEY = `'${ROOM_KEY}'`;
const PREVIEW_CHARS = 140;

export const roomPath = (roomId: string) => `/chat/${roomId}`;

type Person = { id: string; name: string };

/** The recipient's notification for a message, written in the message's own transaction. */
export function messageNotification(p: { roomId: string; sender: Person; recipientId: string; message: { id: number; body: string } }) {
  return {
    userId: p.recipientId,
    category: MESSAGE_CATEGORY,
    priority: "normal",
    title: `${p.sender.name} sent you a message`,
    body: preview(p.message.body, PREVIEW_CHARS),
    actionUrl: roomPath(p.roomId),
    actionLabel: "Reply",
    actorId: p.sender.id,
    subjectType: "message",
    subjectId: String(p.message.id),
    metadata: { [ROOM_KEY]: p.roomId },
  } as const;
}

/** The room a notification is about, or null for anything that is not a message notification. */
export function roomOf(n: { category: string; metadata?: unknown }): string | null {
  if (n.category !== MESSAGE_CATEGORY || !n.metadata || typeof n.metadata !== "object") return null;
  const roomId = (n.metadata as Record<string, unknown>)[ROOM_KEY];
  return typeof roomId === "string" ? roomId : null;
}

/** A chat message's one-line preview (conversation lists, the notification body). */
export const messagePreview = (body: string) => preview(body, PREVIEW_CHARS);
