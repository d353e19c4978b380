import { requireUser } from "@/lib/auth/session";
import { route } from "@/lib/http/respond";
import { unreadCount } from "@/lib/notifications/service";

export const GET = route(async () => {
  const user = await requireUser();
  return Response.json(await unreadCount(user.id), { headers: { "Cache-Control": "no-store" } });
});
