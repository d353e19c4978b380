"use server";

import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { archiveAll, batchUpdate, markAllRead } from "@/lib/notifications/service";
import { notificationIdSchema } from "@/lib/validations/notifications";
import { failure, type ActionResult } from "../action-result";

type BulkResult = ActionResult<{ ids: string[]; unreadCount: number }>;
const upToSchema = notificationIdSchema.optional();
const undoSchema = z.strictObject({
  action: z.enum(["unread", "unarchive"]),
  ids: z.array(notificationIdSchema).min(1).max(100_000),
});

/** "Mark all as read": everything up to the newest notification the user saw; returns the ids for Undo. */
export async function markAllReadAction(upTo?: string): Promise<BulkResult> {
  try {
    const user = await requireUser();
    const parsed = upToSchema.safeParse(upTo);
    if (!parsed.success) return { ok: false, error: "Invalid notification id" };
    return { ok: true, data: await markAllRead(user.id, parsed.data) };
  } catch (err) {
    return failure(err, "mark all read");
  }
}

/** "Clear all": archives everything up to the newest notification the user saw; returns the ids for Undo. */
export async function clearAllAction(upTo?: string): Promise<BulkResult> {
  try {
    const user = await requireUser();
    const parsed = upToSchema.safeParse(upTo);
    if (!parsed.success) return { ok: false, error: "Invalid notification id" };
    return { ok: true, data: await archiveAll(user.id, parsed.data) };
  } catch (err) {
    return failure(err, "clear all");
  }
}

/** Undo of the two above: restores exactly the ids they changed (only the user's own, by the WHERE). */
export async function undoBulkAction(input: { action: "unread" | "unarchive"; ids: string[] }): Promise<ActionResult<{ unreadCount: number }>> {
  try {
    const user = await requireUser();
    const parsed = undoSchema.safeParse(input);
    if (!parsed.success) return { ok: false, error: "Invalid undo request" };
    let unreadCount = 0;
    for (let i = 0; i < parsed.data.ids.length; i += 500) {
      ({ unreadCount } = await batchUpdate(user.id, parsed.data.ids.slice(i, i + 500), parsed.data.action));
    }
    return { ok: true, data: { unreadCount } };
  } catch (err) {
    return failure(err, "undo");
  }
}
