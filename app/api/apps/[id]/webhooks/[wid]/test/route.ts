import { endpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { appIdSchema } from "@/lib/validations/apps";
import { webhookIdSchema } from "@/lib/validations/webhooks";
import { sendTestEvent } from "@/lib/webhooks/service";

type Ctx = { params: Promise<{ id: string; wid: string }> };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  /** Queues a `webhook.test` event for this endpoint -> 202 `{eventId}`; its attempts show how it went. */
  POST: userRoute(async (_request, { params }, user) => {
    const p = await params;
    return Response.json(await sendTestEvent(user, parseWith(appIdSchema, p.id), parseWith(webhookIdSchema, p.wid)), { status: 202 });
  }),
});
