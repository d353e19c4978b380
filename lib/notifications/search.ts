import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/db";
import { countItems } from "@/db/queries/inbox";
import { searchNotificationsForUser, type Marks } from "@/db/queries/search";
import type { ListNotificationsInput } from "@/lib/validations/notifications";
import { toNotificationDTO, type HighlightSegment } from "./dto";

/** Splits ts_headline's output into plain and matched runs; the marks themselves never reach the client. */
export function toSegments(marked: string, { start, stop }: Marks): HighlightSegment[] {
  const segments: HighlightSegment[] = [];
  const push = (text: string, match: boolean) => {
    if (!text) return;
    const last = segments[segments.length - 1];
    if (last && last.match === match) last.text += text;
    else segments.push({ text, match });
  };
  for (const [i, part] of marked.split(start).entries()) {
    if (i === 0) {
      push(part.replaceAll(stop, ""), false);
      continue;
    }
    const end = part.indexOf(stop);
    if (end === -1) {
      push(part, true);
      continue;
    }
    push(part.slice(0, end), true);
    push(part.slice(end + stop.length).replaceAll(stop, ""), false);
  }
  return segments;
}

/**
 * `GET /api/notifications?q=`: ranked matches with their highlights. Results are ranked, not in id
 * order, so the cursor is the position to continue from (as opaque to clients as the list's).
 */
export async function searchNotifications(userId: string, input: ListNotificationsInput & { q: string }) {
  const token = randomBytes(9).toString("hex");
  const marks: Marks = { start: `hs${token}s`, stop: `hs${token}e` };
  const offset = input.before ?? input.cursor ?? 0;
  const [rows, counts] = await Promise.all([
    searchNotificationsForUser(
      db,
      {
        userId,
        text: input.q,
        limit: input.limit + 1,
        offset,
        status: input.status,
        category: input.category,
        priority: input.priority,
        groupKey: input.groupKey,
      },
      marks,
    ),
    countItems(db, userId),
  ]);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((row) => ({
      ...toNotificationDTO(row),
      highlight: { title: toSegments(row.titleMarked, marks), body: toSegments(row.bodyMarked, marks) },
    })),
    nextCursor: rows.length > input.limit ? String(offset + input.limit) : null,
    ...counts,
  };
}
