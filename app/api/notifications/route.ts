import { requireUser } from "@/lib/auth/session";
import { endpoint } from "@/lib/http/endpoint";
import { parseWith, route } from "@/lib/http/respond";
import { listNotifications } from "@/lib/notifications/service";
import { listNotificationsSchema } from "@/lib/validations/notifications";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** Newest first; filters `status`, `category`, `priority`, `q`, `before`/`after` cursors, `limit`. */
  GET: route(async (request) => {
    const user = await requireUser();
    const params = parseWith(listNotificationsSchema, Object.fromEntries(new URL(request.url).searchParams));
    return Response.json(await listNotifications(user.id, params));
  }),
});
