"use server";

import { z } from "zod";
import { userAction } from "@/lib/http/action";
import { archiveAll, batchUpdate, markAllRead } from "@/lib/notifications/service";
import { notificationIdSchema } from "@/lib/validations/notifications";

const upToSchema = notificationIdSchema.optional();
const undoSchema = z.strictObject({
  action: z.enum(["unread", "unarchive"]),
  ids: z.array(notificationIdSchema).min(1).max(100_000),
});

/** "Mark all as read": everything up to the newest notification the user saw; returns the ids for Undo. */
export const markAllReadAction = userAction("mark all read", upToSchema, (upTo, user) => markAllRead(user.id, upTo));

/** "Clear all": archives everything up to the newest notification the user saw; returns the ids for Undo. */
export const clearAllAction = userAction("clear all", upToSchema, (upTo, user) => archiveAll(user.id, upTo));

/** Undo of the two above: restores exactly the ids they changed (only the user's own, by the WHERE). */
export const undoBulkAction = userAction("undo", undoSchema, async ({ action, ids }, user) => {
  let counts = { unreadCount: 0, unseenCount: 0 };
  for (let i = 0; i < ids.length; i += 500) {
    const { unreadCount, unseenCount } = await batchUpdate(user.id, ids.slice(i, i + 500), action);
    counts = { unreadCount, unseenCount };
  }
  return counts;
});
