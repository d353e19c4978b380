import { sendTestNotifications } from "@/lib/demo/service";
import { endpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { userRoute } from "@/lib/http/user-route";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import { testNotificationSchema } from "@/lib/validations/notifications";

/**
 * Demo: sends a test notification to yourself or to another user (`recipientEmail`), with every
 * field, an optional expiry and up to 100 at once (`count`). 201 with the notification, or
 * `{count, items}` for a burst.
 */
const send = userRoute(async (request, _ctx, user) => {
  const input = await readJson(request, testNotificationSchema);
  await enforceRateLimit(rules.testNotifications(), user.id); // once per request, however big the burst
  const sent = await sendTestNotifications(user, input);
  return Response.json(input.count === 1 ? sent[0] : { count: sent.length, items: sent }, { status: 201 });
});

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({ POST: send });
