import { endpoint } from "@/lib/http/endpoint";
import { parseWith, readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { appIdSchema } from "@/lib/validations/apps";
import { createWebhookSchema } from "@/lib/validations/webhooks";
import { createWebhook, listWebhooks } from "@/lib/webhooks/service";

type Ctx = { params: Promise<{ id: string }> };
const noStore = { "Cache-Control": "no-store" };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  GET: userRoute(async (_request, { params }, user) => {
    const id = parseWith(appIdSchema, (await params).id);
    return Response.json({ items: await listWebhooks(user, id) }, { headers: noStore });
  }),

  /** `{url, events, description?}` -> 201 with the signing secret, shown this once. */
  POST: userRoute(async (request, { params }, user) => {
    const id = parseWith(appIdSchema, (await params).id);
    const input = await readJson(request, createWebhookSchema);
    return Response.json(await createWebhook(user, id, input), { status: 201, headers: noStore });
  }),
});
