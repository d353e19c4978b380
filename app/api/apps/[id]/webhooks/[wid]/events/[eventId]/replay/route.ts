import { endpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { appIdSchema } from "@/lib/validations/apps";
import { webhookEventIdSchema, webhookIdSchema } from "@/lib/validations/webhooks";
import { replayEvent } from "@/lib/webhooks/service";

type Ctx = { params: Promise<{ id: string; wid: string; eventId: string }> };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  /** Sends one of the app's events to this endpoint again, same `webhook-id`, from attempt 1 -> 202. */
  POST: userRoute(async (_request, { params }, user) => {
    const p = await params;
    const queued = await replayEvent(user, parseWith(appIdSchema, p.id), parseWith(webhookIdSchema, p.wid), parseWith(webhookEventIdSchema, p.eventId));
    return Response.json(queued, { status: 202 });
  }),
});
