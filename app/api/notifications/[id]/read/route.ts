import { requireUser } from "@/lib/auth/session";
import { parseWith, route } from "@/lib/http/respond";
import { markRead } from "@/lib/notifications/service";
import { notificationIdSchema } from "@/lib/validations/notifications";

type Ctx = { params: Promise<{ id: string }> };

export const POST = route<Ctx>(async (_request, { params }) => {
  const user = await requireUser();
  const id = parseWith(notificationIdSchema, (await params).id);
  return Response.json(await markRead(user.id, id));
});
