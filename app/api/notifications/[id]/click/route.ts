import { personEndpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { personRoute } from "@/lib/http/user-route";
import { markClicked } from "@/lib/notifications/service";
import { notificationIdSchema } from "@/lib/validations/notifications";

type Ctx = { params: Promise<{ id: string }> };

/** Its action was opened: `clickedAt` the first time, and read (the bell, the inbox, toasts, push). */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = personEndpoint<Ctx>({
  POST: personRoute(async (_request, { params }, user) => {
    const id = parseWith(notificationIdSchema, (await params).id);
    return Response.json(await markClicked(user.id, id));
  }),
});
