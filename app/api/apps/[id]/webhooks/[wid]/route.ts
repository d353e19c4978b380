import { endpoint } from "@/lib/http/endpoint";
import { parseWith, readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { appIdSchema } from "@/lib/validations/apps";
import { updateWebhookSchema, webhookIdSchema } from "@/lib/validations/webhooks";
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/webhooks/service";

type Ctx = { params: Promise<{ id: string; wid: string }> };
const noStore = { "Cache-Control": "no-store" };

async function ids(params: Ctx["params"]) {
  const p = await params;
  return [parseWith(appIdSchema, p.id), parseWith(webhookIdSchema, p.wid)] as const;
}

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  GET: userRoute(async (_request, { params }, user) => {
    const [appId, id] = await ids(params);
    return Response.json(await getWebhook(user, appId, id), { headers: noStore });
  }),

  /** `{url?, events?, enabled?}`; enabling sends what waited while it was off. */
  PATCH: userRoute(async (request, { params }, user) => {
    const [appId, id] = await ids(params);
    const input = await readJson(request, updateWebhookSchema);
    return Response.json(await updateWebhook(user, appId, id, input), { headers: noStore });
  }),

  DELETE: userRoute(async (_request, { params }, user) => {
    const [appId, id] = await ids(params);
    await deleteWebhook(user, appId, id);
    return new Response(null, { status: 204 });
  }),
});
