import { endpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { appIdSchema } from "@/lib/validations/apps";
import { attemptCursorSchema, webhookIdSchema } from "@/lib/validations/webhooks";
import { listAttempts } from "@/lib/webhooks/service";

type Ctx = { params: Promise<{ id: string; wid: string }> };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  /** Newest first, 50 a page; `?cursor=` is the previous page's `nextCursor`. */
  GET: userRoute(async (request, { params }, user) => {
    const p = await params;
    const cursor = parseWith(attemptCursorSchema, new URL(request.url).searchParams.get("cursor") ?? undefined);
    const page = await listAttempts(user, parseWith(appIdSchema, p.id), parseWith(webhookIdSchema, p.wid), cursor);
    return Response.json(page, { headers: { "Cache-Control": "no-store" } });
  }),
});
