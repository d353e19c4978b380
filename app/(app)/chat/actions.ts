"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { markRoomRead, openDirectRoom, sendMessage } from "@/lib/chat/service";
import { AppError } from "@/lib/errors";
import { failure, userAction, type ActionResult } from "@/lib/http/action";
import { parseWith } from "@/lib/http/respond";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import { openRoomSchema, roomIdSchema, sendMessageSchema } from "@/lib/validations/chat";

export type OpenRoomState = ActionResult<string> | null;

/**
 * The chat page's "start a conversation" form: the room with whoever has the address opens; no
 * such account reads like any other outcome the form cannot show, and bad input is a message
 * (never a thrown error). The same service and limit as POST /api/rooms.
 */
export async function openRoomAction(_previous: OpenRoomState, form: FormData): Promise<OpenRoomState> {
  let opened: { email: string; roomId: string | null };
  try {
    const user = await requireUser();
    const { participantEmail } = parseWith(openRoomSchema, { participantEmail: form.get("participantEmail") });
    opened = { email: participantEmail, roomId: (await openDirectRoom(user.id, participantEmail)).roomId };
  } catch (err) {
    if (err instanceof AppError && err.code === "validation_error") return { ok: false, error: "Enter an email address, like name@example.com." };
    return failure(err, "open room");
  }
  if (opened.roomId) redirect(`/chat/${opened.roomId}`);
  return { ok: true, data: `If ${opened.email} has an account here, your conversation with them is in the list.` };
}

/** The same service and limit as POST /api/rooms/{roomId}/messages. */
export const sendMessageAction = userAction("send message", z.strictObject({ roomId: roomIdSchema, body: sendMessageSchema.shape.body }), async ({ roomId, body }, user) => {
  await enforceRateLimit(rules.messages(), user.id);
  const { message } = await sendMessage({ senderId: user.id, roomId, body });
  return { id: message.id };
});

/** Called when a room is on screen: its message notifications are read. */
export const markRoomReadAction = userAction("mark room read", roomIdSchema, (roomId, user) => markRoomRead({ userId: user.id, roomId }));
