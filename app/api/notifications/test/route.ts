import { db } from "@/db";
import { requireUser } from "@/lib/auth/session";
import { readJson, route } from "@/lib/http/respond";
import { notify } from "@/lib/notifications/service";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import { testNotificationSchema } from "@/lib/validations/notifications";

/** Demo: sends a notification to yourself. */
export const POST = route(async (request) => {
  const user = await requireUser();
  const input = await readJson(request, testNotificationSchema);
  await enforceRateLimit(rules.testNotifications(), user.id); // once per request, however big the burst
  const notification = await notify(db, { ...input, userId: user.id, metadata: { source: "demo" } });
  return Response.json(notification, { status: 201 });
});
