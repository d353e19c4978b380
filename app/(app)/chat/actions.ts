"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { markRoomRead, openDirectRoom, sendMessage } from "@/lib/chat/service";
import { userAction } from "@/lib/http/action";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import { openRoomSchema, roomIdSchema, sendMessageSchema } from "@/lib/validations/chat";

export async function openRoomAction(form: FormData) {
  const user = await requireUser();
  const { participantEmail } = openRoomSchema.parse({ participantEmail: form.get("participantEmail") });
  const { room } = await openDirectRoom(user.id, participantEmail);
  redirect(`/chat/${room.id}`);
}

/** The same service and limit as POST /api/rooms/{roomId}/messages. */
export const sendMessageAction = userAction("send message", z.strictObject({ roomId: roomIdSchema, body: sendMessageSchema.shape.body }), async ({ roomId, body }, user) => {
  await enforceRateLimit(rules.messages(), user.id);
  const { message } = await sendMessage({ senderId: user.id, roomId, body });
  return { id: message.id };
});

/** Called when a room is on screen: its message notifications are read. */
export const markRoomReadAction = userAction("mark room read", roomIdSchema, (roomId, user) => markRoomRead({ userId: user.id, roomId }));
