import "server-only";
import { db } from "@/db";
import { claimPushes, deleteSubscriptionById, finish, nextPushDue, retryLater, setDue, touchSubscription, type ClaimedDelivery } from "@/db/queries/deliveries";
import { isLookingAtHerald } from "@/db/queries/presence";
import { env } from "@/lib/env";
import { logError } from "@/lib/logging/log-error.mjs";
import { metrics } from "@/lib/metrics";
import { actionTarget } from "@/lib/notifications/action-url";
import { CATEGORY_LABELS } from "@/lib/notifications/constants";
import { getPreferences } from "@/lib/preferences/service";
import { pushUrl } from "./links";
import { pushConfigured, sendPush } from "./push-sender";
import { quietUntil, retryDelayMs } from "./schedule";

export type PushJob = { notificationId: number; userId: string };
export type EnqueuePush = (data: PushJob, at: Date) => Promise<void>;

/** One run for one notification: a push to each of the user's devices, each claimed once. */
export async function runPushJob(job: PushJob, enqueue: EnqueuePush) {
  const config = env();
  const claimed = await claimPushes(db, { notificationId: job.notificationId, leaseSeconds: config.HERALD_DELIVERY_TIMEOUT_S });
  if (claimed.length === 0) {
    // Woken before a retry was due, or its rows were locked by another claim: run again when due.
    const next = await nextPushDue(db, job.notificationId);
    if (next) await enqueue(job, next);
    return;
  }
  const ids = claimed.map((d) => d.id);
  const first = claimed[0];
  const prefs = await getPreferences(job.userId);
  const category = prefs.categories[first.category];

  const stop =
    first.readAt ? { status: "skipped" as const, reason: "read before the push was sent" }
    : first.archivedAt ? { status: "skipped" as const, reason: "archived before the push was sent" }
    : category.muted ? { status: "cancelled" as const, reason: `${CATEGORY_LABELS[first.category]} is muted` }
    : !category.push ? { status: "cancelled" as const, reason: `push turned off for ${CATEGORY_LABELS[first.category]}` }
    : !pushConfigured() ? { status: "skipped" as const, reason: "push is not set up on this server" }
    : null;
  if (stop) return finish(db, { ids, attempted: false, ...stop });

  const until = quietUntil(prefs, first.priority);
  if (until) {
    await setDue(db, { ids, dueAt: until, reason: "waiting for quiet hours to end" });
    return enqueue(job, until);
  }
  if (await isLookingAtHerald(db, job.userId)) {
    return finish(db, { ids, attempted: false, status: "skipped", reason: "seen in an open Herald tab" });
  }

  const retries = (await Promise.all(claimed.map((d) => sendOne(d)))).filter((t): t is number => t !== null);
  if (retries.length > 0) await enqueue(job, new Date(Math.max(...retries)));
}

/** Sends to one device and records the outcome; returns when to try again, or null. */
async function sendOne(d: ClaimedDelivery): Promise<number | null> {
  const config = env();
  if (!d.subscription) {
    await finish(db, { ids: [d.id], attempted: false, status: "cancelled", reason: "the device was removed" });
    return null;
  }
  const result = await sendPush(d.subscription, {
    id: String(d.notificationId),
    title: d.title,
    body: d.body,
    url: pushUrl(d.actionUrl),
    action: actionTarget(d.actionUrl) !== null,
    priority: d.priority,
    category: d.category,
  });
  if (result.ok) {
    metrics().push.inc({ outcome: "sent" });
    await finish(db, { ids: [d.id], attempted: true, status: "sent" });
    await touchSubscription(db, d.subscription.id);
    return null;
  }
  if (result.gone) {
    metrics().push.inc({ outcome: "failed" });
    await deleteSubscriptionById(db, d.subscription.id);
    await finish(db, { ids: [d.id], attempted: true, status: "failed", reason: result.reason });
    return null;
  }
  if (result.permanent || d.attempts > config.HERALD_DELIVERY_RETRIES) {
    metrics().push.inc({ outcome: "failed" });
    await finish(db, { ids: [d.id], attempted: true, status: "failed", reason: result.reason });
    logError("push delivery failed", new Error(result.reason));
    return null;
  }
  metrics().push.inc({ outcome: "retry" });
  const retryAt = new Date(Date.now() + retryDelayMs(d.attempts, config.HERALD_DELIVERY_RETRY_DELAY_S));
  await retryLater(db, { ids: [d.id], retryAt, reason: result.reason });
  return retryAt.getTime();
}
