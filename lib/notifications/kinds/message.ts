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

/** What follows the sender's name in the title ("Bob Chen sent you a message"). */
export const MESSAGE_TITLE_SUFFIX = " sent you a message";

/**
 * The parts of a message's notification known before the message is written; the recipient, the
 * title (the sender's name), the actor and the subject (the message's id) come with the write itself
 * (db/queries/messages.ts sendMessageWithNotification).
 */
export function messageNotificationFields(p: { roomId: string; body: string }) {
  return {
    category: MESSAGE_CATEGORY,
    priority: "normal",
    body: preview(p.body, PREVIEW_CHARS),
    actionUrl: roomPath(p.roomId),
    actionLabel: "Reply",
    subjectType: "message",
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
