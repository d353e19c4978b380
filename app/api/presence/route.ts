import { endpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { reportPresence } from "@/lib/push/service";
import { presenceSchema } from "@/lib/validations/push";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** `{tabId, visible}` from each Herald tab: while one is visible, push waits for nobody. */
  POST: userRoute(async (request, _ctx, user) => {
    await reportPresence(user.id, await readJson(request, presenceSchema));
    return new Response(null, { status: 204 });
  }),
});
