import "server-only";
import { db, type DatabaseOrTransaction } from "@/db";
import {
  changeGroupsForUser,
  countItems,
  deleteItemForUser,
  getItemForUser,
  listItemsForUser,
  markSeenForUser,
  updateItemForUser,
  type ItemChange,
} from "@/db/queries/inbox";
import {
  archiveAllForUser,
  batchUpdateForUser,
  insertNotification,
  markAllReadForUser,
  type BatchAction,
} from "@/db/queries/notifications";
import { deliveriesOf } from "@/db/queries/deliveries";
import type { NewNotification } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import type { ListNotificationsInput } from "@/lib/validations/notifications";
import { searchNotifications } from "./search";
import { toDeliveryDTO, toNotificationDTO, type DeliveryDTO, type NotificationDTO } from "./dto";

export type NotifyInput = Omit<NewNotification, "id" | "seq" | "createdAt">;

/**
 * Creates a notification in one prepared statement. Live delivery needs nothing more: every server
 * reads committed rows from the WAL (or, on the fallback, the table's trigger NOTIFYs it), whichever
 * process or program wrote the row. Pass `db` for a write of its own, or a transaction to make the
 * notification commit or roll back with the write it belongs to. The caller counts what it wrote in
 * the metrics once that transaction committed (`countCreated`, lib/metrics).
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
  if (input.q) {
    await enforceRateLimit(rules.search(), userId);
    return searchNotifications(userId, { ...input, q: input.q });
  }
  const beforeId = input.before ?? input.cursor;
  const afterId = input.after;
  const filter = { userId, limit: input.limit + 1, category: input.category, priority: input.priority, beforeId, afterId };
  const [rows, counts] = await Promise.all([
    listItemsForUser(db, { ...filter, status: input.status, groupKey: input.groupKey }),
    countItems(db, userId),
  ]);
  const page = rows.slice(0, input.limit);
  const hasMore = rows.length > input.limit;
  // `after` pages are read oldest-first; every page is returned newest first.
  const items = afterId ? page.reverse() : page;
  return {
    items: items.map(toNotificationDTO),
    nextCursor: !afterId && hasMore ? pageCursor(page[page.length - 1].id) : null,
    ...(afterId ? { prevCursor: hasMore ? pageCursor(items[0].id) : null } : {}),
    ...counts,
  };
}

export async function getNotification(userId: string, id: number): Promise<NotificationDTO> {
  const row = await getItemForUser(db, id, userId);
  if (!row) throw notFound("Notification");
  return toNotificationDTO(row);
}

/** One notification with its email and push outcomes (GET /api/notifications/{id}). */
export async function getNotificationDetail(userId: string, id: number): Promise<NotificationDTO & { deliveries: DeliveryDTO[] }> {
  const [notification, deliveries] = await Promise.all([getNotification(userId, id), deliveriesOf(db, { notificationIds: [id], userId })]);
  return { ...notification, deliveries: (deliveries.get(id) ?? []).map(toDeliveryDTO) };
}

/**
 * Changes the item `id` stands for: the notification, and when it is grouped the rest of its class
 * (reading "Bob Chen sent you 5 messages" reads the five). Returns the item as it now is.
 */
export async function updateNotification(userId: string, id: number, change: ItemChange): Promise<NotificationDTO> {
  if (!(await getItemForUser(db, id, userId))) throw notFound("Notification");
  await updateItemForUser(db, id, userId, change);
  return getNotification(userId, id);
}

export const markRead = (userId: string, id: number) => updateNotification(userId, id, { read: true });

/**
 * Its action was opened: records the click-through the first time (later clicks keep that time) and
 * reads it, as opening does, in ONE statement on the read path: one change, one live event, the
 * counts kept by the triggers.
 */
export const markClicked = (userId: string, id: number) => updateNotification(userId, id, { read: true, clicked: true });

export async function deleteNotification(userId: string, id: number) {
  if ((await deleteItemForUser(db, id, userId)).length === 0) throw notFound("Notification");
}

/** What every bulk change answers: how many rows changed, which (for Undo), and the new counts. */
async function bulkResult(userId: string, ids: number[]) {
  return { updated: ids.length, ids: ids.map(String), ...(await countItems(db, userId)) };
}

/**
 * "Mark all as read", up to the newest id the user saw, so what arrives after the click stays
 * unread; with `groupKey`, that group's members only.
 */
export async function markAllRead(userId: string, upTo?: number, groupKey?: string) {
  if (groupKey) return bulkResult(userId, await changeGroupsForUser(db, userId, [groupKey], "read", upTo));
  return bulkResult(userId, await markAllReadForUser(db, userId, upTo));
}

/** The bell or inbox showed the user's notifications up to `upTo`: they leave the badge, unread dots stay. */
export async function markSeen(userId: string, upTo?: number) {
  return bulkResult(userId, await markSeenForUser(db, userId, upTo));
}

/** "Clear all": archives everything up to the newest id the user saw. */
export async function archiveAll(userId: string, upTo?: number, groupKey?: string) {
  if (groupKey) return bulkResult(userId, await changeGroupsForUser(db, userId, [groupKey], "archive", upTo));
  return bulkResult(userId, await archiveAllForUser(db, userId, upTo));
}

/** Exact rows (`ids`) and whole groups (`groupKeys`), each in one statement. */
export async function batchUpdate(userId: string, ids: number[], action: BatchAction, groupKeys: string[] = []) {
  const changed = ids.length ? await batchUpdateForUser(db, userId, [...new Set(ids)], action) : [];
  if (groupKeys.length) changed.push(...(await changeGroupsForUser(db, userId, [...new Set(groupKeys)], action)));
  return bulkResult(userId, [...new Set(changed)]);
}

export async function unreadCount(userId: string) {
  return countItems(db, userId);
}
