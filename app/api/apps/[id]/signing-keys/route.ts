import { addSigningKey } from "@/lib/apps/service";
import { endpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { appIdSchema } from "@/lib/validations/apps";

type Ctx = { params: Promise<{ id: string }> };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  /** Adds a key (rotation: old and new both verify until the old one is deleted) -> 201 `{kid, secret}`. */
  POST: userRoute(async (_request, { params }, user) => {
    const id = parseWith(appIdSchema, (await params).id);
    return Response.json(await addSigningKey(user, id), { status: 201, headers: { "Cache-Control": "no-store" } });
  }),
});
