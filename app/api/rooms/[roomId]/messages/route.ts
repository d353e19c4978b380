import { requireUser } from "@/lib/auth/session";
import { sendMessage } from "@/lib/chat/service";
import { parseWith, readJson, route } from "@/lib/http/respond";
import { roomIdSchema, sendMessageSchema } from "@/lib/validations/chat";

type Ctx = { params: Promise<{ roomId: string }> };

/** Only members may post; the chat page's server action calls the same service. */
export const POST = route<Ctx>(async (request, { params }) => {
  const user = await requireUser();
  const roomId = parseWith(roomIdSchema, (await params).roomId);
  const { body } = await readJson(request, sendMessageSchema);
  return Response.json(await sendMessage(user.id, roomId, body), { status: 201 });
});
