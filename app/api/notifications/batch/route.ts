import { requireUser } from "@/lib/auth/session";
import { endpoint } from "@/lib/http/endpoint";
import { readJson, route } from "@/lib/http/respond";
import { batchUpdate } from "@/lib/notifications/service";
import { batchSchema } from "@/lib/validations/notifications";

/** `{ids: [...<=500], action: read|unread|archive|unarchive|delete}` -> `{updated, unreadCount}` in one statement. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  POST: route(async (request) => {
    const user = await requireUser();
    const { ids, action } = await readJson(request, batchSchema);
    return Response.json(await batchUpdate(user.id, ids, action));
  }),
});
