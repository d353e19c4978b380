import "server-only";
import { db, type DatabaseOrTransaction } from "@/db";
import {
  countUnread,
  getNotificationForUser,
  insertNotification,
  listNotificationsForUser,
  markNotificationRead,
} from "@/db/queries/notifications";
import type { NewNotification } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { toNotificationDTO, type NotificationDTO } from "./dto";

export type NotifyInput = Omit<NewNotification, "id" | "seq" | "createdAt">;

/**
 * Creates a notification. Live delivery needs nothing more: the table's trigger NOTIFYs every
 * listening server, whichever process (or program) wrote the row. Pass a transaction to make the
 * notification commit or roll back with the write it belongs to.
 */
export async function notify(tx: DatabaseOrTransaction, input: NotifyInput): Promise<NotificationDTO> {
  const id = await insertNotification(tx, input);
  const row = await getNotificationForUser(tx, id, input.userId);
  if (!row) throw new AppError(500, "internal_error", "Notification vanished after insert");
  return toNotificationDTO(row);
}

export function encodeCursor(id: number) {
  return Buffer.from(`n:${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^n:([1-9][0-9]{0,15})$/.exec(text);
  if (!match) throw new AppError(400, "validation_error", "cursor: is not a cursor this API returned");
  return Number(match[1]);
}

export async function listNotifications(userId: string, params: { limit: number; cursor?: string }) {
  const beforeId = params.cursor ? decodeCursor(params.cursor) : undefined;
  const [rows, unreadCount] = await Promise.all([
    listNotificationsForUser(db, { userId, limit: params.limit + 1, beforeId }),
    countUnread(db, userId),
  ]);
  const page = rows.slice(0, params.limit);
  return {
    items: page.map(toNotificationDTO),
    nextCursor: rows.length > params.limit ? encodeCursor(page[page.length - 1].id) : null,
    unreadCount,
  };
}

export async function markRead(userId: string, id: number): Promise<NotificationDTO> {
  if (!(await markNotificationRead(db, id, userId))) throw notFound("Notification");
  const row = await getNotificationForUser(db, id, userId);
  if (!row) throw notFound("Notification");
  return toNotificationDTO(row);
}
