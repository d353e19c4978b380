import "server-only";
import { db } from "@/db";
import { claimDueEmails, finish, nextEmailDue, retryLater, setDue, unplannedEmails, type ClaimedDelivery } from "@/db/queries/deliveries";
import { getUserById } from "@/db/queries/users";
import { renderDigestEmail, renderNotificationEmail, type EmailItem } from "@/lib/email/render";
import { unsubscribeUrl } from "@/lib/email/unsubscribe";
import { env } from "@/lib/env";
import { logError } from "@/lib/logging/log-error.mjs";
import { metrics } from "@/lib/metrics";
import { CATEGORY_LABELS } from "@/lib/notifications/constants";
import { getPreferences } from "@/lib/preferences/service";
import type { PreferencesDTO } from "@/lib/preferences/model";
import { sendEmail } from "./email-sender";
import { absoluteActionUrl, publicUrl } from "./links";
import { emailDueAt, quietUntil, retryDelayMs } from "./schedule";

export type EmailJob = { userId: string; notificationId?: number };
/** Schedules the user's email job to run at `at` (the worker's pg-boss `send`). */
export type Enqueue = (data: EmailJob, at: Date) => Promise<void>;

/**
 * One run for one user: give new deliveries their send time, send what is due (one email, or one
 * digest), and make sure a job wakes up for the next one. Any number of runs for the same user may
 * overlap, on any instance: each delivery is claimed by exactly one of them.
 */
export async function runEmailJob(job: EmailJob, enqueue: Enqueue) {
  const config = env();
  const prefs = await getPreferences(job.userId);
  await plan(job.userId, prefs);

  const claimed = await claimDueEmails(db, { userId: job.userId, leaseSeconds: config.HERALD_DELIVERY_TIMEOUT_S });
  if (claimed.length > 0) await deliver(job.userId, prefs, claimed, enqueue);

  const next = await nextEmailDue(db, job.userId);
  if (next) await enqueue({ userId: job.userId }, next);
}

async function plan(userId: string, prefs: PreferencesDTO) {
  const { HERALD_EMAIL_DELAY_S, HERALD_DIGEST_HOUR } = env();
  const rows = await unplannedEmails(db, userId);
  const byDue = new Map<number, number[]>();
  for (const row of rows) {
    const due = emailDueAt({
      createdAt: row.createdAt,
      priority: row.priority,
      digest: prefs.emailDigest,
      timeZone: prefs.quietHours.timeZone,
      delaySeconds: HERALD_EMAIL_DELAY_S,
      digestHour: HERALD_DIGEST_HOUR,
    }).getTime();
    byDue.set(due, [...(byDue.get(due) ?? []), row.id]);
  }
  for (const [due, ids] of byDue) await setDue(db, { ids, dueAt: new Date(due) });
}

/** Why a claimed delivery must not be sent any more, or null when it should go. */
function cancelled(prefs: PreferencesDTO, d: ClaimedDelivery): { status: "skipped" | "cancelled"; reason: string } | null {
  if (d.readAt) return { status: "skipped", reason: "read before the email was due" };
  if (d.archivedAt) return { status: "skipped", reason: "archived before the email was due" };
  const category = prefs.categories[d.category];
  if (category.muted) return { status: "cancelled", reason: `${CATEGORY_LABELS[d.category]} is muted` };
  if (!category.email) return { status: "cancelled", reason: `email turned off for ${CATEGORY_LABELS[d.category]}` };
  if (prefs.emailDigest === "off") return { status: "cancelled", reason: "email turned off" };
  return null;
}

async function deliver(userId: string, prefs: PreferencesDTO, claimed: ClaimedDelivery[], enqueue: Enqueue) {
  const config = env();
  const go: ClaimedDelivery[] = [];
  for (const d of claimed) {
    const stop = cancelled(prefs, d);
    if (stop) await finish(db, { ids: [d.id], attempted: false, ...stop });
    else go.push(d);
  }
  if (go.length === 0) return;

  // Quiet hours hold everything but urgent ones until the window ends; then they go together.
  const held = go.map((d) => ({ d, until: quietUntil(prefs, d.priority) }));
  const waiting = held.filter((h) => h.until);
  if (waiting.length > 0) {
    const until = waiting[0].until!;
    await setDue(db, { ids: waiting.map((h) => h.d.id), dueAt: until, reason: "waiting for quiet hours to end" });
    await enqueue({ userId }, until);
  }
  const now = held.filter((h) => !h.until).map((h) => h.d);
  if (now.length === 0) return;

  const user = await getUserById(db, userId);
  if (!user) return; // deleted meanwhile: its deliveries went with it
  // Planning already leaves unverified addresses out (db/migrations/0017); this holds for rows planned
  // otherwise, and for a subscriber whose app gave no address.
  if (!user.email || !user.emailVerifiedAt) {
    await finish(db, { ids: now.map((d) => d.id), attempted: false, status: "skipped", reason: user.email ? "the email address is not verified" : "no email address" });
    return;
  }
  if (!config.SMTP_URL) {
    await finish(db, { ids: now.map((d) => d.id), attempted: false, status: "skipped", reason: "email is not set up on this server" });
    return;
  }
  const ids = now.map((d) => d.id);
  const email = await compose(user, prefs, now);
  const result = await sendEmail({ ...email, to: user.email });
  if (result.ok) {
    metrics().email.inc({ outcome: "sent" });
    await finish(db, { ids, attempted: true, status: "sent", messageId: email.messageId });
    return;
  }
  const attempts = Math.max(...now.map((d) => d.attempts));
  if (result.permanent || attempts > config.HERALD_DELIVERY_RETRIES) {
    metrics().email.inc({ outcome: "failed" });
    await finish(db, { ids, attempted: true, status: "failed", reason: result.reason });
    logError("email delivery failed", new Error(result.reason));
    return;
  }
  metrics().email.inc({ outcome: "retry" });
  const retryAt = new Date(Date.now() + retryDelayMs(attempts, config.HERALD_DELIVERY_RETRY_DELAY_S));
  await retryLater(db, { ids, retryAt, reason: result.reason });
  await enqueue({ userId }, retryAt);
}

async function compose(user: { id: string; name: string }, prefs: PreferencesDTO, rows: ClaimedDelivery[]) {
  const items: EmailItem[] = rows
    .map((d) => ({
      id: d.notificationId,
      title: d.title,
      body: d.body,
      category: d.category,
      priority: d.priority,
      createdAt: d.createdAt,
      actionUrl: absoluteActionUrl(d.actionUrl),
      actionLabel: d.actionLabel,
      actorName: d.actorName,
    }))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
  const categories = new Set(items.map((i) => i.category));
  const digest = prefs.emailDigest === "hourly" || prefs.emailDigest === "daily" ? prefs.emailDigest : null;
  // One category: its unsubscribe turns off that category; a digest or a mix turns off email (all).
  const scope = !digest && categories.size === 1 ? items[0].category : "all";
  const base = publicUrl();
  const unsubscribe = unsubscribeUrl({ userId: user.id, scope, publicUrl: base });
  const ctx = { recipientName: user.name, publicUrl: base, unsubscribeUrl: unsubscribe, timeZone: prefs.quietHours.timeZone };
  const rendered = digest && items.some((i) => i.priority !== "urgent") ? await renderDigestEmail(items, { ...ctx, period: digest }) : await renderNotificationEmail(items, ctx);
  return {
    ...rendered,
    // Stable per delivery: should a crash come between the server's "250 OK" and our record of it,
    // the resend carries the same Message-ID and mail systems drop it as a duplicate.
    messageId: `<herald.${rows[0].id}.${rows.length}@${new URL(base).hostname}>`,
    headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}
