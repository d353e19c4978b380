import { requireUser } from "@/lib/auth/session";
import { parseWith, route } from "@/lib/http/respond";
import { listNotifications } from "@/lib/notifications/service";
import { listNotificationsSchema } from "@/lib/validations/notifications";

export const GET = route(async (request) => {
  const user = await requireUser();
  const params = parseWith(listNotificationsSchema, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await listNotifications(user.id, params));
});
