"use server";

import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { openDirectRoom, sendMessage } from "@/lib/chat/service";
import { AppError } from "@/lib/errors";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import { openRoomSchema, roomIdSchema, sendMessageSchema } from "@/lib/validations/chat";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string };

function failure(err: unknown): { ok: false; error: string } {
  if (err instanceof AppError) return { ok: false, error: err.message };
  console.error("[herald] chat action failed", err);
  return { ok: false, error: "Something went wrong; please try again." };
}

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
    const { message } = await sendMessage(user.id, room.data, input.data.body);
    return { ok: true, data: { id: message.id } };
  } catch (err) {
    return failure(err);
  }
}
