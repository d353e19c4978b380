import { endpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { serviceRoute } from "@/lib/http/service-route";
import { getServiceNotification } from "@/lib/notifications/service-api";
import { notificationIdSchema } from "@/lib/validations/notifications";

type Ctx = { params: Promise<{ id: string }> };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  /** The current state of a notification this token created (read, archived...); 404 otherwise. */
  GET: serviceRoute(async (_request, { params }, token) => {
    const id = parseWith(notificationIdSchema, (await params).id);
    return Response.json(await getServiceNotification(token, id), { headers: { "Cache-Control": "no-store" } });
  }),
});
