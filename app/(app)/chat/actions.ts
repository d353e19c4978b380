"use server";

import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { markRoomRead, openDirectRoom, sendMessage } from "@/lib/chat/service";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import { openRoomSchema, roomIdSchema, sendMessageSchema } from "@/lib/validations/chat";
import { failure, type ActionResult } from "../action-result";

export async function openRoomAction(form: FormData) {
  const user = await requireUser();
  const { participantEmail } = openRoomSchema.parse({ participantEmail: form.get("participantEmail") });
  const { room } = await openDirectRoom(user.id, participantEmail);
  redirect(`/chat/${room.id}`);
}

/** The same service as POST /api/rooms/{roomId}/messages. */
export async function sendMessageAction(roomId: string, body: string): Promise<ActionResult<{ id: string }>> {
  try {
    const user = await requireUser();
    const room = roomIdSchema.safeParse(roomId);
    const input = sendMessageSchema.safeParse({ body });
    if (!room.success) return { ok: false, error: "Unknown room" };
    if (!input.success) return { ok: false, error: `Message ${input.error.issues[0].message}` };
    await enforceRateLimit(rules.messages(), user.id); // the same per-user limit as the API route
    const { message } = await sendMessage({ senderId: user.id, roomId: room.data, body: input.data.body });
    return { ok: true, data: { id: message.id } };
  } catch (err) {
    return failure(err, "send message");
  }
}

/** Called when a room is on screen: its message notifications are read. */
export async function markRoomReadAction(roomId: string): Promise<ActionResult<{ updated: number }>> {
  try {
    const user = await requireUser();
    const room = roomIdSchema.safeParse(roomId);
    if (!room.success) return { ok: false, error: "Unknown room" };
    return { ok: true, data: await markRoomRead({ userId: user.id, roomId: room.data }) };
  } catch (err) {
    return failure(err, "mark room read");
  }
}
