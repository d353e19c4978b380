import { personEndpoint } from "@/lib/http/endpoint";
import { personRoute } from "@/lib/http/user-route";
import { unreadCount } from "@/lib/notifications/service";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = personEndpoint({
  GET: personRoute(async (_request, _ctx, user) => {
    return Response.json(await unreadCount(user.id), { headers: { "Cache-Control": "no-store" } });
  }),
});
