import { endpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { createToken, listTokens } from "@/lib/tokens/service";
import { createTokenSchema } from "@/lib/validations/tokens";

const noStore = { "Cache-Control": "no-store" };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** The user's service tokens, active first; never a secret. */
  GET: userRoute(async (_request, _ctx, user) => {
    return Response.json({ items: await listTokens(user.id) }, { headers: noStore });
  }),

  /** `{name, scope?, categories?}` -> 201 `{token, secret}`: the only time the secret is ever shown. */
  POST: userRoute(async (request, _ctx, user) => {
    const input = await readJson(request, createTokenSchema);
    return Response.json(await createToken(user, input), { status: 201, headers: noStore });
  }),
});
