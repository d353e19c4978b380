import { endpoint } from "@/lib/http/endpoint";
import { parseWith } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { revokeToken } from "@/lib/tokens/service";
import { tokenIdSchema } from "@/lib/validations/tokens";

type Ctx = { params: Promise<{ id: string }> };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  /** Revokes the token at once (kept in the list as revoked); 404 if it is not yours. */
  DELETE: userRoute(async (_request, { params }, user) => {
    const id = parseWith(tokenIdSchema, (await params).id);
    return Response.json(await revokeToken(user.id, id));
  }),
});
