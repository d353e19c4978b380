import { listConversations, openDirectRoom } from "@/lib/chat/service";
import { endpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { openRoomSchema } from "@/lib/validations/chat";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** Your conversations (the people you share a room with), most recent first. */
  GET: userRoute(async (_request, _ctx, user) => Response.json({ items: await listConversations(user.id) })),
  /**
   * Starts the direct room with whoever has this address: 202 and the same body whether or not an
   * account has it (no account probing); the room, if any, is then in GET /api/rooms.
   */
  POST: userRoute(async (request, _ctx, user) => {
    const { participantEmail } = await readJson(request, openRoomSchema);
    await openDirectRoom(user.id, participantEmail);
    return Response.json({ participantEmail }, { status: 202 });
  }),
});
