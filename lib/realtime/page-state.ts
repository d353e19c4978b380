import "server-only";
import { db } from "@/db";
import { countUnreadWithSeq } from "@/db/queries/notifications";
import { encodeCursor } from "./cursor";

export type PageNotificationState = {
  unreadCount: number;
  unseenCount: number;
  /** The stream's resume cursor for the same snapshot: the first connect replays what came after. */
  resumeCursor: string | null;
};

/**
 * What a page renders the bell with. Without the cursor, a notification committed between this
 * render and the stream's first connect would be in neither (a fresh stream sends only `ready`).
 */
export async function pageNotificationState(userId: string): Promise<PageNotificationState> {
  const row = await countUnreadWithSeq(db, userId);
  if (!row) return { unreadCount: 0, unseenCount: 0, resumeCursor: null };
  return { unreadCount: row.unreadCount, unseenCount: row.unseenCount, resumeCursor: encodeCursor(userId, row.seq) };
}
