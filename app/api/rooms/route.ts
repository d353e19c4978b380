import { requireUser } from "@/lib/auth/session";
import { openDirectRoom } from "@/lib/chat/service";
import { endpoint } from "@/lib/http/endpoint";
import { readJson, route } from "@/lib/http/respond";
import { openRoomSchema } from "@/lib/validations/chat";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** The direct room with another user, created if missing. */
  POST: route(async (request) => {
    const user = await requireUser();
    const { participantEmail } = await readJson(request, openRoomSchema);
    const { room, created } = await openDirectRoom(user.id, participantEmail);
    return Response.json(room, { status: created ? 201 : 200 });
  }),
});
