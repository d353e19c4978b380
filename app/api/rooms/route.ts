import { requireUser } from "@/lib/auth/session";
import { openDirectRoom } from "@/lib/chat/service";
import { readJson, route } from "@/lib/http/respond";
import { openRoomSchema } from "@/lib/validations/chat";

/** The direct room with another user, created if missing. */
export const POST = route(async (request) => {
  const user = await requireUser();
  const { participantEmail } = await readJson(request, openRoomSchema);
  const { room, created } = await openDirectRoom(user.id, participantEmail);
  return Response.json(room, { status: created ? 201 : 200 });
});
