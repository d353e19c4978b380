import { requireUser } from "@/lib/auth/session";
import { endpoint } from "@/lib/http/endpoint";
import { route } from "@/lib/http/respond";
import { unreadCount } from "@/lib/notifications/service";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  GET: route(async () => {
    const user = await requireUser();
    return Response.json(await unreadCount(user.id), { headers: { "Cache-Control": "no-store" } });
  }),
});
