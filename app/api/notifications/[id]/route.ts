import { requireUser } from "@/lib/auth/session";
import { parseWith, readJson, route } from "@/lib/http/respond";
import { deleteNotification, getNotification, updateNotification } from "@/lib/notifications/service";
import { notificationIdSchema, updateNotificationSchema } from "@/lib/validations/notifications";

type Ctx = { params: Promise<{ id: string }> };
const idFrom = async (ctx: Ctx) => parseWith(notificationIdSchema, (await ctx.params).id);

export const GET = route<Ctx>(async (_request, ctx) => {
  const user = await requireUser();
  return Response.json(await getNotification(user.id, await idFrom(ctx)));
});

/** `{read?: boolean, archived?: boolean}` */
export const PATCH = route<Ctx>(async (request, ctx) => {
  const user = await requireUser();
  const id = await idFrom(ctx);
  const change = await readJson(request, updateNotificationSchema);
  return Response.json(await updateNotification(user.id, id, change));
});

export const DELETE = route<Ctx>(async (_request, ctx) => {
  const user = await requireUser();
  await deleteNotification(user.id, await idFrom(ctx));
  return new Response(null, { status: 204 });
});
