import { createApp, listApps } from "@/lib/apps/service";
import { endpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { createAppSchema } from "@/lib/validations/apps";

const noStore = { "Cache-Control": "no-store" };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** Every app, newest first, with its signing keys' ids (admins only). */
  GET: userRoute(async (_request, _ctx, user) => Response.json({ items: await listApps(user) }, { headers: noStore })),

  /** `{name, allowedOrigins}` -> 201 `{app, signingKey: {kid, secret}}`: the only time the secret is shown. */
  POST: userRoute(async (request, _ctx, user) => {
    const input = await readJson(request, createAppSchema);
    return Response.json(await createApp(user, input), { status: 201, headers: noStore });
  }),
});
