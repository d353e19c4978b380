import { openDirectRoom } from "@/lib/chat/service";
import { endpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { openRoomSchema } from "@/lib/validations/chat";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** The direct room with another user, created if missing. */
  POST: userRoute(async (request, _ctx, user) => {
    const { participantEmail } = await readJson(request, openRoomSchema);
    const { room, created } = await openDirectRoom(user.id, participantEmail);
    return Response.json(room, { status: created ? 201 : 200 });
  }),
});
