import "server-only";
import { db, type DatabaseOrTransaction } from "@/db";
import {
  archiveAllForUser,
  batchUpdateForUser,
  countUnread,
  deleteNotificationForUser,
  getNotificationForUser,
  insertNotification,
  listNotificationsForUser,
  markAllReadForUser,
  updateNotificationState,
  type BatchAction,
  type StateChange,
} from "@/db/queries/notifications";
import { deliveriesOf } from "@/db/queries/deliveries";
import type { NewNotification } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { ListNotificationsInput } from "@/lib/validations/notifications";
import { toDeliveryDTO, toNotificationDTO, type DeliveryDTO, type NotificationDTO } from "./dto";

export type NotifyInput = Omit<NewNotification, "id" | "seq" | "createdAt">;

/**
 * Creates a notification. Live delivery needs nothing more: the table's trigger NOTIFYs every
 * listening server, whichever process (or program) wrote the row. Pass a transaction to make the
 * notification commit or roll back with the write it belongs to.
 */
export async function notify(tx: DatabaseOrTransaction, input: NotifyInput): Promise<NotificationDTO> {
  return toNotificationDTO(await insertNotification(tx, { source: "app", ...input }));
}

/**
 * Pages are keyset pages on the id, so a cursor is the id to continue from, as a string: its format is
 * the id's (validated by the list schema like any id), and what a client does with it stays opaque.
 */
const pageCursor = (id: number) => String(id);

export async function listNotifications(userId: string, input: ListNotificationsInput) {
  const beforeId = input.before ?? input.cursor;
  const afterId = input.after;
  const [rows, unreadCount] = await Promise.all([
    listNotificationsForUser(db, {
      userId,
      limit: input.limit + 1,
      status: input.status,
      category: input.category,
      priority: input.priority,
      q: input.q || undefined,
      beforeId,
      afterId,
    }),
    countUnread(db, userId),
  ]);
  const page = rows.slice(0, input.limit);
  const hasMore = rows.length > input.limit;
  // `after` pages are read oldest-first; every page is returned newest first.
  const items = afterId ? page.reverse() : page;
  return {
    items: items.map(toNotificationDTO),
    nextCursor: !afterId && hasMore ? pageCursor(page[page.length - 1].id) : null,
    ...(afterId ? { prevCursor: hasMore ? pageCursor(items[0].id) : null } : {}),
    unreadCount,
  };
}

export async function getNotification(userId: string, id: number): Promise<NotificationDTO> {
  const row = await getNotificationForUser(db, id, userId);
  if (!row) throw notFound("Notification");
  return toNotificationDTO(row);
}

/** One notification with its email and push outcomes (GET /api/notifications/{id}). */
export async function getNotificationDetail(userId: string, id: number): Promise<NotificationDTO & { deliveries: DeliveryDTO[] }> {
  const [notification, deliveries] = await Promise.all([getNotification(userId, id), deliveriesOf(db, { notificationIds: [id], userId })]);
  return { ...notification, deliveries: (deliveries.get(id) ?? []).map(toDeliveryDTO) };
}

export async function updateNotification(userId: string, id: number, change: StateChange): Promise<NotificationDTO> {
  if (!(await updateNotificationState(db, id, userId, change))) throw notFound("Notification");
  return getNotification(userId, id);
}

export const markRead = (userId: string, id: number) => updateNotification(userId, id, { read: true });

export async function deleteNotification(userId: string, id: number) {
  if (!(await deleteNotificationForUser(db, id, userId))) throw notFound("Notification");
}

/** What every bulk change answers: how many rows changed, which (for Undo), and the new count. */
async function bulkResult(userId: string, ids: number[]) {
  return { updated: ids.length, ids: ids.map(String), unreadCount: await countUnread(db, userId) };
}

/** "Mark all as read", up to the newest id the user saw, so what arrives after the click stays unread. */
export async function markAllRead(userId: string, upTo?: number) {
  return bulkResult(userId, await markAllReadForUser(db, userId, upTo));
}

/** "Clear all": archives everything up to the newest id the user saw. */
export async function archiveAll(userId: string, upTo?: number) {
  return bulkResult(userId, await archiveAllForUser(db, userId, upTo));
}

export async function batchUpdate(userId: string, ids: number[], action: BatchAction) {
  return bulkResult(userId, await batchUpdateForUser(db, userId, [...new Set(ids)], action));
}

export async function unreadCount(userId: string) {
  return { unreadCount: await countUnread(db, userId) };
}
