import "server-only";
import { db } from "@/db";
import { claimPushes, deleteSubscriptionById, finish, nextPushDue, retryLater, setDue, touchSubscription, type ClaimedDelivery } from "@/db/queries/deliveries";
import { isLookingAtHerald } from "@/db/queries/presence";
import { env } from "@/lib/env";
import { logError } from "@/lib/logging/log-error.mjs";
import { log } from "@/lib/logging/logger.mjs";
import { metrics } from "@/lib/metrics";
import { actionTarget } from "@/lib/notifications/action-url";
import { CATEGORY_LABELS } from "@/lib/notifications/constants";
import { getPreferences } from "@/lib/preferences/service";
import { pushUrl } from "./links";
import { pushConfigured, sendPush } from "./push-sender";
import { quietUntil, retryDelayMs } from "./schedule";

export type PushJob = { notificationId: number; userId: string };
export type EnqueuePush = (data: PushJob, at: Date) => Promise<void>;

/** Sends in flight for one person in this process: a slow push service of one account cannot take every sender. */
export const SENDS_PER_USER = 2;
/** A send that timed out is tried again at most this often (a tarpit is not worth the full retry policy). */
export const TIMEOUT_RETRIES = 2;
const inFlight = new Map<string, number>();
const waiting = new Map<string, (() => void)[]>();

async function acquire(userId: string) {
  while ((inFlight.get(userId) ?? 0) >= SENDS_PER_USER) {
    await new Promise<void>((resolve) => waiting.set(userId, [...(waiting.get(userId) ?? []), resolve]));
  }
  inFlight.set(userId, (inFlight.get(userId) ?? 0) + 1);
}

function release(userId: string) {
  const n = (inFlight.get(userId) ?? 1) - 1;
  if (n > 0) inFlight.set(userId, n);
  else inFlight.delete(userId);
  const next = waiting.get(userId)?.shift();
  if (waiting.get(userId)?.length === 0) waiting.delete(userId);
  next?.();
}

/**
 * One run for one notification: a push to each of the user's devices, each claimed once, at most
 * SENDS_PER_USER at a time. While that user's sends are all taken, the job comes back a second
 * later instead of holding a worker. `signal` is the job's time budget: sends still going then end
 * as timed out (and are recorded so).
 */
export async function runPushJob(job: PushJob, enqueue: EnqueuePush, signal?: AbortSignal) {
  const config = env();
  if ((inFlight.get(job.userId) ?? 0) >= SENDS_PER_USER) return enqueue(job, new Date(Date.now() + 1000));
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

  const send = async (d: ClaimedDelivery) => {
    await acquire(job.userId);
    try {
      return await sendOne(d, signal);
    } finally {
      release(job.userId);
    }
  };
  const retries = (await Promise.all(claimed.map(send))).filter((t): t is number => t !== null);
  if (retries.length > 0) await enqueue(job, new Date(Math.max(...retries)));
}

/** Sends to one device and records the outcome; returns when to try again, or null. */
async function sendOne(d: ClaimedDelivery, signal?: AbortSignal): Promise<number | null> {
  const config = env();
  if (!d.subscription) {
    await finish(db, { ids: [d.id], attempted: false, status: "cancelled", reason: "the device was removed" });
    return null;
  }
  const result = await sendPush(
    d.subscription,
    {
      id: String(d.notificationId),
      title: d.title,
      body: d.body,
      url: pushUrl(d.actionUrl),
      action: actionTarget(d.actionUrl) !== null,
      priority: d.priority,
      category: d.category,
    },
    signal,
  );
  if (result.ok) {
    metrics().push.inc({ outcome: "sent" });
    await finish(db, { ids: [d.id], attempted: true, status: "sent" });
    await touchSubscription(db, d.subscription.id);
    return null;
  }
  // The status code or error stays in the log: the reason a person reads is generic.
  const logged = () => log().warn({ deliveryId: d.id, detail: result.detail, attempt: d.attempts }, "push service refused");
  if (result.gone) {
    metrics().push.inc({ outcome: "failed" });
    logged();
    await deleteSubscriptionById(db, d.subscription.id);
    await finish(db, { ids: [d.id], attempted: true, status: "failed", reason: result.reason });
    return null;
  }
  const outOfRetries = d.attempts > config.HERALD_DELIVERY_RETRIES || (result.timeout && d.attempts > TIMEOUT_RETRIES);
  if (result.permanent || outOfRetries) {
    metrics().push.inc({ outcome: "failed" });
    await finish(db, { ids: [d.id], attempted: true, status: "failed", reason: result.reason });
    logError("push delivery failed", new Error(`${result.reason} (${result.detail ?? "no detail"})`));
    return null;
  }
  metrics().push.inc({ outcome: "retry" });
  logged();
  const retryAt = new Date(Date.now() + retryDelayMs(d.attempts, config.HERALD_DELIVERY_RETRY_DELAY_S));
  await retryLater(db, { ids: [d.id], retryAt, reason: result.reason });
  return retryAt.getTime();
}
