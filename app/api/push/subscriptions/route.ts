import { endpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { listDevices, subscribe } from "@/lib/push/service";
import { pushSubscriptionSchema } from "@/lib/validations/push";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  GET: userRoute(async (_request, _ctx, user) => Response.json(await listDevices(user.id))),

  /** `PushSubscription.toJSON()`: 201 for a new device, 200 when this endpoint was already saved. */
  POST: userRoute(async (request, _ctx, user) => {
    const input = await readJson(request, pushSubscriptionSchema);
    const { created, device } = await subscribe(user.id, input, request.headers.get("user-agent"));
    return Response.json(device, { status: created ? 201 : 200 });
  }),
});
