import { personEndpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { personRoute } from "@/lib/http/user-route";
import { markRead } from "@/lib/notifications/service";
import { notificationIdSchema } from "@/lib/validations/notifications";

type Ctx = { params: Promise<{ id: string }> };

/** Kept from the first API version: the same as PATCH {read: true}. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = personEndpoint<Ctx>({
  POST: personRoute(async (_request, { params }, user) => {
    const id = parseWith(notificationIdSchema, (await params).id);
    return Response.json(await markRead(user.id, id));
  }),
});
