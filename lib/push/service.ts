import "server-only";
import { db } from "@/db";
import { deleteSubscription, listSubscriptions, pruneSubscriptions, upsertSubscription } from "@/db/queries/push-subscriptions";
import { setTabPresence } from "@/db/queries/presence";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import type { PushSubscriptionInput } from "@/lib/validations/push";
import { deviceName } from "./device-name";
import { endpointProblem } from "./endpoint-policy";

/** Devices one person may register; a new one beyond it replaces their least recently used (or oldest). */
export const MAX_DEVICES = 10;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toDevice = (r: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }) => ({
  id: r.id,
  name: r.name,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: iso(r.lastUsedAt),
});

export function vapidPublicKey() {
  const { VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY } = env();
  if (!VAPID_PUBLIC_KEY || !VAPID_PRIVATE_KEY) throw new AppError("unavailable", "Push is not set up on this server (VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY)");
  return VAPID_PUBLIC_KEY;
}

/**
 * Saves this browser's subscription. The endpoint must be on a known push service (the server POSTs
 * to it); `sessionId` is the sign-in registering it, whose revocation removes it again.
 */
export async function subscribe(userId: string, input: PushSubscriptionInput, ctx: { userAgent: string | null; sessionId: string | null }) {
  const { HERALD_PUSH_SERVICES, HERALD_PUSH_ALLOW_LOCAL } = env();
  const problem = endpointProblem(input.endpoint, { services: HERALD_PUSH_SERVICES, allowLocal: HERALD_PUSH_ALLOW_LOCAL });
  if (problem) throw new AppError("validation_error", `endpoint: ${problem}`, { details: [{ path: "endpoint", message: problem }] });
  const row = await db.transaction(async (tx) => {
    const saved = await upsertSubscription(tx, {
      userId,
      endpoint: input.endpoint,
      p256dh: input.keys.p256dh,
      auth: input.keys.auth,
      name: input.name ?? deviceName(ctx.userAgent),
      expirationTime: input.expirationTime ? new Date(input.expirationTime) : null,
      sessionId: ctx.sessionId,
    });
    if (!saved) throw new AppError("push_endpoint_taken", "This push endpoint is registered to another account with other keys");
    await pruneSubscriptions(tx, { userId, max: MAX_DEVICES });
    return saved;
  });
  return { created: row.created, device: toDevice(row) };
}

export async function listDevices(userId: string) {
  return { items: (await listSubscriptions(db, userId)).map(toDevice) };
}

export async function removeDevice(userId: string, id: string) {
  if (!(await deleteSubscription(db, { id, userId }))) throw notFound("Push subscription");
}

/** A tab says it is visible (for the next 45 s) or hidden: no push while any of a user's tabs is looked at. */
export async function reportPresence(userId: string, p: { tabId: string; visible: boolean }) {
  await setTabPresence(db, { userId, tabId: p.tabId, visibleForSeconds: p.visible ? 45 : 0 });
}
