import { sessionFromHeaders } from "@/lib/auth/token-session";
import { personEndpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { personRoute } from "@/lib/http/user-route";
import { listDevices, subscribe } from "@/lib/push/service";
import { pushSubscriptionSchema } from "@/lib/validations/push";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = personEndpoint({
  GET: personRoute(async (_request, _ctx, user) => Response.json(await listDevices(user.id))),

  /**
   * `PushSubscription.toJSON()`: 201 for a new device, 200 when this endpoint was already saved; 409
   * `push_endpoint_taken` when another account holds it with other keys.
   */
  POST: personRoute(async (request, _ctx, user) => {
    const input = await readJson(request, pushSubscriptionSchema);
    const session = await sessionFromHeaders(request.headers);
    const sessionId = session?.userId === user.id ? session.sessionId : null;
    const { created, device } = await subscribe(user.id, input, { userAgent: request.headers.get("user-agent"), sessionId });
    return Response.json(device, { status: created ? 201 : 200 });
  }),
});
