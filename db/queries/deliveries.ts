import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DatabaseOrTransaction } from "@/db";
import {
  deliveryAttempts,
  notificationDeliveries as d,
  notifications as n,
  pushSubscriptions,
  users,
  type DeliveryChannelValue,
  type DeliveryStatusValue,
} from "@/db/schema";

const actor = alias(users, "actor");

/** A claimed delivery with what sending it needs: the notification as it is now and, for push, the device. */
export type ClaimedDelivery = {
  id: number;
  attempts: number;
  notificationId: number;
  category: (typeof n.$inferSelect)["category"];
  priority: (typeof n.$inferSelect)["priority"];
  title: string;
  body: string;
  actionUrl: string | null;
  actionLabel: string | null;
  actorName: string | null;
  createdAt: Date;
  readAt: Date | null;
  archivedAt: Date | null;
  subscription: { id: string; endpoint: string; p256dh: string; auth: string } | null;
};

/**
 * Takes the pending deliveries that match `where` and are due, for `leaseSeconds`: each row is
 * locked (SKIP LOCKED, so another instance takes different rows), leased and its attempt counted in
 * one statement that commits before anything is sent. A worker that dies mid-send leaves a lease
 * that runs out; the retried job takes the row again.
 */
async function claim(db: DatabaseOrTransaction, where: ReturnType<typeof sql>, leaseSeconds: number): Promise<ClaimedDelivery[]> {
  const claimed = await db.execute<{ id: number }>(sql`
    with due as (
      select id from notification_deliveries
       where status = 'pending' and (due_at is null or due_at <= now())
         and (lease_until is null or lease_until < now()) and ${where}
       order by id
       for update skip locked
    )
    update notification_deliveries t
       set lease_until = now() + ${leaseSeconds} * interval '1 second', attempts = t.attempts + 1, updated_at = now()
      from due where t.id = due.id
    returning t.id`);
  const ids = claimed.map((r) => Number(r.id));
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: d.id,
      attempts: d.attempts,
      notificationId: n.id,
      category: n.category,
      priority: n.priority,
      title: n.title,
      body: n.body,
      actionUrl: n.actionUrl,
      actionLabel: n.actionLabel,
      actorName: actor.name,
      createdAt: n.createdAt,
      readAt: n.readAt,
      archivedAt: n.archivedAt,
      subId: pushSubscriptions.id,
      endpoint: pushSubscriptions.endpoint,
      p256dh: pushSubscriptions.p256dh,
      auth: pushSubscriptions.auth,
    })
    .from(d)
    .innerJoin(n, eq(n.id, d.notificationId))
    .leftJoin(actor, eq(actor.id, n.actorId))
    .leftJoin(pushSubscriptions, eq(pushSubscriptions.id, d.subscriptionId))
    .where(inArray(d.id, ids))
    .orderBy(asc(d.id));
  return rows.map(({ subId, endpoint, p256dh, auth, ...row }) => ({
    ...row,
    subscription: subId && endpoint && p256dh && auth ? { id: subId, endpoint, p256dh, auth } : null,
  }));
}

/**
 * A user's email deliveries that are due now (several due at once go out as one email). Each row
 * planned its own job, so several runs for one user can claim at the same moment; SKIP LOCKED alone
 * would then split a batch between them (two emails for three rows due together). Claims of one user
 * take turns: a later one sees the earlier one's leases and takes only what is left.
 */
export function claimDueEmails(db: DatabaseOrTransaction, params: { userId: string; leaseSeconds: number }) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`herald-email-claim:${params.userId}`}, 0))`);
    return claim(tx, sql`user_id = ${params.userId} and channel = 'email' and due_at is not null`, params.leaseSeconds);
  });
}

/** One notification's push deliveries, one per device. */
export function claimPushes(db: DatabaseOrTransaction, params: { notificationId: number; leaseSeconds: number }) {
  return claim(db, sql`notification_id = ${params.notificationId} and channel = 'push'`, params.leaseSeconds);
}

/** Email deliveries not yet given a send time, with what decides it. */
export async function unplannedEmails(db: DatabaseOrTransaction, userId: string) {
  return db
    .select({ id: d.id, createdAt: n.createdAt, priority: n.priority })
    .from(d)
    .innerJoin(n, eq(n.id, d.notificationId))
    .where(and(eq(d.userId, userId), eq(d.channel, "email"), eq(d.status, "pending"), sql`${d.dueAt} is null`));
}

export async function setDue(db: DatabaseOrTransaction, params: { ids: number[]; dueAt: Date; reason?: string | null }) {
  if (params.ids.length === 0) return;
  await db
    .update(d)
    .set({ dueAt: params.dueAt, leaseUntil: null, reason: params.reason ?? null, updatedAt: sql`now()` })
    .where(and(inArray(d.id, params.ids), eq(d.status, "pending")));
}

/**
 * The earliest send time among pending deliveries no job holds a lease on. It may already have
 * passed: a row that fell due between a claim and this read, or was skipped as locked by another
 * claim, still needs a run, so callers schedule one for this time however near or past it is. A
 * leased row is left to its holder (or to the job's retry once the lease runs out).
 */
async function nextDue(db: DatabaseOrTransaction, where: ReturnType<typeof and>): Promise<Date | null> {
  const [row] = await db
    .select({ due: sql<Date | null>`min(${d.dueAt})`.mapWith((v) => (v ? new Date(v) : null)) })
    .from(d)
    .where(and(eq(d.status, "pending"), sql`(${d.leaseUntil} is null or ${d.leaseUntil} < now())`, where));
  return row?.due ?? null;
}

/** The earliest send time among a user's pending email, if any. */
export const nextEmailDue = (db: DatabaseOrTransaction, userId: string) => nextDue(db, and(eq(d.userId, userId), eq(d.channel, "email")));

/** The earliest retry time among one notification's pending pushes, if any. */
export const nextPushDue = (db: DatabaseOrTransaction, notificationId: number) =>
  nextDue(db, and(eq(d.notificationId, notificationId), eq(d.channel, "push")));

type Outcome = { status: Exclude<DeliveryStatusValue, "pending">; reason?: string | null; messageId?: string | null };

/** The final word on some deliveries, with their attempt recorded when one was made. */
export async function finish(db: DatabaseOrTransaction, params: { ids: number[]; attempted: boolean } & Outcome) {
  if (params.ids.length === 0) return;
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(d)
      .set({ status: params.status, reason: params.reason ?? null, messageId: params.messageId ?? null, leaseUntil: null, updatedAt: sql`now()` })
      .where(and(inArray(d.id, params.ids), eq(d.status, "pending")))
      .returning({ id: d.id, attempts: d.attempts });
    if (!params.attempted || rows.length === 0) return;
    const outcome: "sent" | "failed" = params.status === "sent" ? "sent" : "failed";
    await tx
      .insert(deliveryAttempts)
      .values(rows.map((r) => ({ deliveryId: r.id, attempt: r.attempts, outcome, detail: params.reason ?? null })))
      .onConflictDoNothing();
  });
}

/** A failed attempt that will be tried again at `retryAt` (nobody claims it before its due time). */
export async function retryLater(db: DatabaseOrTransaction, params: { ids: number[]; retryAt: Date; reason: string }) {
  if (params.ids.length === 0) return;
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(d)
      .set({ leaseUntil: null, dueAt: params.retryAt, reason: `retrying: ${params.reason}`, updatedAt: sql`now()` })
      .where(and(inArray(d.id, params.ids), eq(d.status, "pending")))
      .returning({ id: d.id, attempts: d.attempts });
    if (rows.length === 0) return;
    await tx
      .insert(deliveryAttempts)
      .values(rows.map((r) => ({ deliveryId: r.id, attempt: r.attempts, outcome: "retry" as const, detail: params.reason })))
      .onConflictDoNothing();
  });
}

export type DeliveryRecord = {
  channel: DeliveryChannelValue;
  status: DeliveryStatusValue;
  at: Date;
  reason: string | null;
  device: string | null;
  attempts: number;
};

/** What email and push did with one notification, for its owner. */
export async function deliveriesOf(db: DatabaseOrTransaction, params: { notificationIds: number[]; userId: string }) {
  if (params.notificationIds.length === 0) return new Map<number, DeliveryRecord[]>();
  const rows = await db
    .select({
      notificationId: d.notificationId,
      channel: d.channel,
      status: d.status,
      at: d.updatedAt,
      reason: d.reason,
      device: d.target,
      attempts: d.attempts,
    })
    .from(d)
    .where(and(inArray(d.notificationId, params.notificationIds), eq(d.userId, params.userId)))
    .orderBy(asc(d.id));
  const byNotification = new Map<number, DeliveryRecord[]>();
  for (const { notificationId, ...row } of rows) {
    const list = byNotification.get(notificationId) ?? [];
    list.push(row);
    byNotification.set(notificationId, list);
  }
  return byNotification;
}

/**
 * Pending deliveries whose job is gone (it ran out of retries while its worker kept dying, or the
 * queue was cleared): due, unleased and untouched for `staleSeconds`. The sweep enqueues them again.
 */
export async function strandedDeliveries(db: DatabaseOrTransaction, staleSeconds: number) {
  return db
    .selectDistinct({ channel: d.channel, userId: d.userId, notificationId: d.notificationId })
    .from(d)
    .where(
      and(
        eq(d.status, "pending"),
        sql`coalesce(${d.dueAt}, ${d.createdAt}) < now() - ${staleSeconds} * interval '1 second'`,
        sql`(${d.leaseUntil} is null or ${d.leaseUntil} < now())`,
        sql`${d.updatedAt} < now() - ${staleSeconds} * interval '1 second'`,
      ),
    )
    .limit(1000);
}

export async function touchSubscription(db: DatabaseOrTransaction, id: string) {
  await db.update(pushSubscriptions).set({ lastUsedAt: sql`now()` }).where(eq(pushSubscriptions.id, id));
}

export async function deleteSubscriptionById(db: DatabaseOrTransaction, id: string) {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}
