import { and, desc, eq, inArray, isNull, lt, or, gt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DatabaseOrTransaction } from "@/db";
import { notifications, users, type NewNotification, type Notification } from "@/db/schema";

const actor = alias(users, "actor");

/** Columns of a notification plus its actor's public fields: what the DTO is built from. */
export const notificationWithActor = {
  id: notifications.id,
  userId: notifications.userId,
  seq: notifications.seq,
  category: notifications.category,
  priority: notifications.priority,
  title: notifications.title,
  body: notifications.body,
  actionUrl: notifications.actionUrl,
  actionLabel: notifications.actionLabel,
  subjectType: notifications.subjectType,
  subjectId: notifications.subjectId,
  metadata: notifications.metadata,
  createdAt: notifications.createdAt,
  readAt: notifications.readAt,
  archivedAt: notifications.archivedAt,
  expiresAt: notifications.expiresAt,
  actorId: actor.id,
  actorName: actor.name,
};
export type NotificationRow = Notification & { actorName: string | null };

/** Expired notifications are hidden everywhere at once, before the cleanup job deletes them. */
export const notExpired = () => or(isNull(notifications.expiresAt), gt(notifications.expiresAt, sql`now()`))!;
const unread = () => and(isNull(notifications.readAt), isNull(notifications.archivedAt))!;

function selectWithActor(db: DatabaseOrTransaction) {
  return db.select(notificationWithActor).from(notifications).leftJoin(actor, eq(actor.id, notifications.actorId));
}

export async function insertNotification(db: DatabaseOrTransaction, values: NewNotification) {
  const [row] = await db.insert(notifications).values(values).returning({ id: notifications.id });
  return row.id;
}

export async function getNotificationsByIds(db: DatabaseOrTransaction, ids: number[]): Promise<NotificationRow[]> {
  if (ids.length === 0) return [];
  return selectWithActor(db).where(inArray(notifications.id, ids)).orderBy(notifications.seq);
}

export async function getNotificationForUser(db: DatabaseOrTransaction, id: number, userId: string) {
  const [row] = await selectWithActor(db).where(and(eq(notifications.id, id), eq(notifications.userId, userId), notExpired()));
  return row ?? null;
}

/** Newest first; `beforeId` is the keyset cursor. Archived ones are left out. */
export async function listNotificationsForUser(
  db: DatabaseOrTransaction,
  params: { userId: string; limit: number; beforeId?: number },
): Promise<NotificationRow[]> {
  const where: SQL[] = [eq(notifications.userId, params.userId), isNull(notifications.archivedAt), notExpired()];
  if (params.beforeId) where.push(lt(notifications.id, params.beforeId));
  return selectWithActor(db)
    .where(and(...where))
    .orderBy(desc(notifications.id))
    .limit(params.limit);
}

export async function countUnread(db: DatabaseOrTransaction, userId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), unread(), notExpired()));
  return row.n;
}

/** Unread counts of several users in one query (users with none are absent from the map). */
export async function countUnreadForUsers(db: DatabaseOrTransaction, userIds: string[]) {
  const counts = new Map<string, number>();
  if (userIds.length === 0) return counts;
  const rows = await db
    .select({ userId: notifications.userId, n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(inArray(notifications.userId, userIds), unread(), notExpired()))
    .groupBy(notifications.userId);
  for (const r of rows) counts.set(r.userId, r.n);
  return counts;
}

/** Marks read if it is the user's; returns whether such a notification exists. */
export async function markNotificationRead(db: DatabaseOrTransaction, id: number, userId: string) {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId), notExpired()))
    .returning({ id: notifications.id });
  return rows.length > 0;
}
