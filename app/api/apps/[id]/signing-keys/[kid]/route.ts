import { removeSigningKey } from "@/lib/apps/service";
import { endpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { appIdSchema, kidSchema } from "@/lib/validations/apps";

type Ctx = { params: Promise<{ id: string; kid: string }> };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  /** Every token the key signed fails from now on, and the streams opened with one end within seconds. */
  DELETE: userRoute(async (_request, { params }, user) => {
    const p = await params;
    await removeSigningKey(user, parseWith(appIdSchema, p.id), parseWith(kidSchema, p.kid));
    return new Response(null, { status: 204 });
  }),
});
