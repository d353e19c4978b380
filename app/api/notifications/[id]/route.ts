import { personEndpoint } from "@/lib/http/endpoint";
import { parseWith, readJson } from "@/lib/http/respond";
import { personRoute } from "@/lib/http/user-route";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import { deleteNotification, getNotificationDetail, updateNotification } from "@/lib/notifications/service";
import { notificationIdSchema, updateNotificationSchema } from "@/lib/validations/notifications";

type Ctx = { params: Promise<{ id: string }> };
// Validated before any query: "abc", "-1" or a 30-digit id never reach the database.
const idFrom = async (ctx: Ctx) => parseWith(notificationIdSchema, (await ctx.params).id);

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = personEndpoint<Ctx>({
  GET: personRoute(async (_request, ctx, user) => {
    return Response.json(await getNotificationDetail(user.id, await idFrom(ctx)));
  }),

  /** `{read?: boolean, archived?: boolean, snoozedUntil?: ISO | null}`: on the item (a grouped one's whole class). */
  PATCH: personRoute(async (request, ctx, user) => {
    const id = await idFrom(ctx);
    const change = await readJson(request, updateNotificationSchema);
    // Every snooze and wake is trigger work and a job; one person cannot make unlimited amounts of it.
    await enforceRateLimit(rules.notificationUpdates(), user.id);
    return Response.json(await updateNotification(user.id, id, change));
  }),

  DELETE: personRoute(async (_request, ctx, user) => {
    await deleteNotification(user.id, await idFrom(ctx));
    return new Response(null, { status: 204 });
  }),
});
