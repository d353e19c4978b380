import { personEndpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { personRoute } from "@/lib/http/user-route";
import { batchUpdate } from "@/lib/notifications/service";
import { batchSchema } from "@/lib/validations/notifications";

/** `{ids?: [...<=500], groupKeys?: [...<=100], action: read|unread|archive|unarchive|delete}` -> `{updated, ids, unreadCount, unseenCount}`. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = personEndpoint({
  POST: personRoute(async (request, _ctx, user) => {
    const { ids, groupKeys, action } = await readJson(request, batchSchema);
    return Response.json(await batchUpdate(user.id, ids ?? [], action, groupKeys ?? []));
  }),
});
