import { deleteApp, getApp, updateApp } from "@/lib/apps/service";
import { endpoint } from "@/lib/http/endpoint";
import { parseWith, readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { appIdSchema, updateAppSchema } from "@/lib/validations/apps";

type Ctx = { params: Promise<{ id: string }> };
const noStore = { "Cache-Control": "no-store" };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  GET: userRoute(async (_request, { params }, user) => {
    const id = parseWith(appIdSchema, (await params).id);
    return Response.json(await getApp(user, id), { headers: noStore });
  }),

  /** `{name?, allowedOrigins?}`: origins take effect on the next request. */
  PATCH: userRoute(async (request, { params }, user) => {
    const id = parseWith(appIdSchema, (await params).id);
    const input = await readJson(request, updateAppSchema);
    return Response.json(await updateApp(user, id, input), { headers: noStore });
  }),

  /** Erases the app: its keys, app tokens, subscribers and everything of theirs. */
  DELETE: userRoute(async (_request, { params }, user) => {
    const id = parseWith(appIdSchema, (await params).id);
    await deleteApp(user, id);
    return new Response(null, { status: 204 });
  }),
});
