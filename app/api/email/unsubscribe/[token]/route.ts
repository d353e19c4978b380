import { db } from "@/db";
import { getUserById } from "@/db/queries/users";
import { verifyUnsubscribeToken } from "@/lib/email/unsubscribe";
import { AppError, notFound } from "@/lib/errors";
import { endpoint } from "@/lib/http/endpoint";
import { guarded } from "@/lib/http/respond";
import { unsubscribeEmail } from "@/lib/preferences/service";

type Ctx = { params: Promise<{ token: string }> };

/**
 * The List-Unsubscribe target of every email (RFC 8058). POST turns the email off: the token's
 * signature is the authority (mail providers send no cookie and no Origin, so no session or origin
 * check applies). GET only leads to the confirmation page, because mail scanners fetch links.
 */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  GET: guarded(async (request, ctx) => {
    const { token } = await ctx.params;
    return new Response(null, { status: 303, headers: { Location: new URL(`/unsubscribe/${encodeURIComponent(token)}`, request.url).pathname } });
  }),

  POST: guarded(async (request, ctx) => {
    await request.body?.cancel();
    const claims = verifyUnsubscribeToken((await ctx.params).token);
    if (!claims) throw new AppError("bad_request", "This unsubscribe link is not valid");
    if (!(await getUserById(db, claims.userId))) throw notFound("Account");
    await unsubscribeEmail(claims.userId, claims.scope);
    return Response.json({ unsubscribed: claims.scope });
  }),
});
