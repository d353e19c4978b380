import { endpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { appIdSchema } from "@/lib/validations/apps";
import { webhookIdSchema } from "@/lib/validations/webhooks";
import { rotateSecret } from "@/lib/webhooks/service";

type Ctx = { params: Promise<{ id: string; wid: string }> };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  /** A new secret, shown this once; the old one keeps signing beside it for 24 h. */
  POST: userRoute(async (_request, { params }, user) => {
    const p = await params;
    const rotated = await rotateSecret(user, parseWith(appIdSchema, p.id), parseWith(webhookIdSchema, p.wid));
    return Response.json(rotated, { headers: { "Cache-Control": "no-store" } });
  }),
});
