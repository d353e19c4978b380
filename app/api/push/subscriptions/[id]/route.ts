import { personEndpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { personRoute } from "@/lib/http/user-route";
import { removeDevice } from "@/lib/push/service";
import { pushSubscriptionIdSchema } from "@/lib/validations/push";

type Ctx = { params: Promise<{ id: string }> };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = personEndpoint<Ctx>({
  /** 404 when it is not one of yours. */
  DELETE: personRoute(async (_request, { params }, user) => {
    await removeDevice(user.id, parseWith(pushSubscriptionIdSchema, (await params).id));
    return new Response(null, { status: 204 });
  }),
});
