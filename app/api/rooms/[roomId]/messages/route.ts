import { sendMessage } from "@/lib/chat/service";
import { endpoint } from "@/lib/http/endpoint";
import { parseWith, readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import { roomIdSchema, sendMessageSchema } from "@/lib/validations/chat";

type Ctx = { params: Promise<{ roomId: string }> };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  /** Only members may post; the chat page's server action calls the same service under the same limit. */
  POST: userRoute(async (request, { params }, user) => {
    const roomId = parseWith(roomIdSchema, (await params).roomId);
    const { body } = await readJson(request, sendMessageSchema);
    await enforceRateLimit(rules.messages(), user.id);
    return Response.json(await sendMessage({ senderId: user.id, roomId, body }), { status: 201 });
  }),
});
