"use server";

import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/session";
import { failure, userAction } from "@/lib/http/action";
import { createToken, revokeToken } from "@/lib/tokens/service";
import { createTokenSchema, tokenIdSchema } from "@/lib/validations/tokens";

export type CreateTokenState =
  | { ok: true; secret: string; name: string }
  | { ok: false; error: string }
  | null;

/** The same service as POST /api/tokens; the secret goes back to this one response only. */
export async function createTokenAction(_previous: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  try {
    const user = await requireUser();
    const categories = form.getAll("categories");
    const parsed = createTokenSchema.safeParse({
      name: form.get("name") ?? "",
      scope: form.get("scope") ?? undefined,
      // No box ticked: every category.
      ...(categories.length ? { categories } : {}),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, error: `${issue.path[0] === "name" ? "Name" : String(issue.path[0] ?? "Input")} ${issue.message}` };
    }
    const { token, secret } = await createToken(user, parsed.data);
    revalidatePath("/settings/tokens");
    return { ok: true, secret, name: token.name };
  } catch (err) {
    return failure(err, "token creation");
  }
}

/** The same service as DELETE /api/tokens/{id}. */
export const revokeTokenAction = userAction("token revocation", tokenIdSchema, async (id, user) => {
  await revokeToken(user.id, id);
  revalidatePath("/settings/tokens");
  return null;
});
