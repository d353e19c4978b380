import "server-only";
import { db } from "@/db";
import { withTransaction } from "@/db/transaction";
import { getUserByEmail } from "@/db/queries/users";
import { isAdmin } from "@/lib/auth/roles";
import { countCreated } from "@/lib/metrics";
import type { SessionUser } from "@/lib/auth/session";
import { AppError, notFound } from "@/lib/errors";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { notify } from "@/lib/notifications/service";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import type { TestNotificationInput } from "@/lib/validations/notifications";

/** The bytes of text one notification of the burst stores (what the daily byte budget counts). */
const textBytes = (f: { title: string; body: string; actionUrl?: string; actionLabel?: string }) =>
  Buffer.byteLength(f.title) + Buffer.byteLength(f.body) + Buffer.byteLength(f.actionUrl ?? "") + Buffer.byteLength(f.actionLabel ?? "");

/**
 * Sends the demo page's notification(s): to the sender or to another user, all `count` of them in
 * ONE transaction, so a burst of 100 arrives together (and all or nothing). Only an admin may send
 * to someone else: a member refused before any lookup learns nothing about who has an account.
 * The sender's daily budgets (notifications and bytes) and, for someone else, the per-recipient
 * limit the service API applies are counted in the same transaction: a refused burst stores
 * nothing and uses nothing up.
 */
export async function sendTestNotifications(sender: SessionUser, input: TestNotificationInput): Promise<NotificationDTO[]> {
  const { recipientEmail, expiresInSeconds, expiresAt, count, ...fields } = input;
  let recipientId = sender.id;
  if (recipientEmail && recipientEmail !== sender.email.toLowerCase()) {
    if (!isAdmin(sender)) {
      throw new AppError("recipient_not_allowed", "recipientEmail: only an admin can send test notifications to someone else; leave it out to notify yourself");
    }
    const recipient = await getUserByEmail(db, recipientEmail);
    if (!recipient) throw notFound("User");
    recipientId = recipient.id;
  }
  const expiry = expiresAt ? new Date(expiresAt) : expiresInSeconds ? new Date(Date.now() + expiresInSeconds * 1000) : null;
  const sent = await withTransaction(async (tx) => {
    await enforceRateLimit(rules.testNotificationsPerDay(), sender.id, { db: tx, cost: count, message: "Too many test notifications today" });
    await enforceRateLimit(rules.testBytesPerDay(), sender.id, { db: tx, cost: count * textBytes(fields), message: "Too much test notification text today" });
    if (recipientId !== sender.id) {
      await enforceRateLimit(rules.perRecipient(), `${sender.id}:${recipientId}`, { db: tx, cost: count, message: "Too many notifications to one recipient" });
    }
    const sent: NotificationDTO[] = [];
    for (let i = 1; i <= count; i++) {
      sent.push(
        await notify(tx, {
          ...fields,
          title: count > 1 ? `${fields.title} (${i}/${count})` : fields.title,
          actionUrl: fields.actionUrl ?? null,
          actionLabel: fields.actionLabel ?? null,
          userId: recipientId,
          // Someone else's test shows who sent it.
          actorId: recipientId === sender.id ? null : sender.id,
          expiresAt: expiry,
          metadata: { source: "demo", ...(count > 1 ? { burst: { index: i, size: count } } : {}) },
        }),
      );
    }
    return sent;
  });
  countCreated("app", sent.map((n) => n.category));
  return sent;
}
