import { endpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { batchUpdate } from "@/lib/notifications/service";
import { batchSchema } from "@/lib/validations/notifications";

/** `{ids: [...<=500], action: read|unread|archive|unarchive|delete}` -> `{updated, unreadCount}` in one statement. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  POST: userRoute(async (request, _ctx, user) => {
    const { ids, action } = await readJson(request, batchSchema);
    return Response.json(await batchUpdate(user.id, ids, action));
  }),
});
