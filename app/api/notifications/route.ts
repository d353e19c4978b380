import { personEndpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { personRoute } from "@/lib/http/user-route";
import { listNotifications } from "@/lib/notifications/service";
import { listNotificationsSchema } from "@/lib/validations/notifications";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = personEndpoint({
  /** Newest first; filters `status`, `category`, `priority`, `q`, `before`/`after` cursors, `limit`. */
  GET: personRoute(async (request, _ctx, user) => {
    const params = parseWith(listNotificationsSchema, Object.fromEntries(new URL(request.url).searchParams));
    return Response.json(await listNotifications(user.id, params));
  }),
});
