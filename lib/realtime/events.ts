import "server-only";
import type { Change } from "@/db/queries/delivery";
import { toNotificationDTO } from "@/lib/notifications/dto";
import { deliveryFor, toPreferencesDTO, type PreferencesDTO } from "@/lib/preferences/model";
import { encodeCursor } from "./cursor";
import { sseFrame, type Frame } from "./hub";

/**
 * The stream's event vocabulary, built once per change and shared by every stream of the user:
 *   notification.created   one new notification (DTO + server-decided `delivery`)
 *   notification.updated   one notification changed (its current DTO)
 *   notification.deleted   {id}
 *   notifications.updated  {ids}: one bulk update (read-all, batch actions)
 *   notifications.deleted  {ids}: one bulk delete
 *   notifications.count    {unreadCount}, computed by the server after each batch
 *   stream.closed          {reason}: the server ends this stream on purpose ("too-many-streams")
 * Change events carry `id:` = the resume cursor.
 */

/** A replay bigger than this does not toast, sound or alert: it lands in the bell quietly. */
const LOUD_REPLAY_MAX = 3;

/** Whether a replay with this many new notifications lands quietly (decided once for all its pieces). */
export const quietReplay = (created: number) => created > LOUD_REPLAY_MAX;

/** `quiet`: nothing in these changes toasts, sounds or alerts (a big replay). */
type Options = { quiet: boolean };

export function changeFrames(changes: Change[], prefs: PreferencesDTO | undefined, { quiet }: Options): Frame[] {
  const now = Date.now();
  const expired = (row: { expiresAt: Date | null }) => row.expiresAt !== null && row.expiresAt.getTime() <= now;
  const frames: Frame[] = [];
  for (const c of changes) {
    const id = encodeCursor(c.userId, c.seq);
    let bytes: Uint8Array | null = null;
    if (c.kind === "created") {
      if (expired(c.row)) continue;
      const dto = toNotificationDTO(c.row);
      const decided = deliveryFor(prefs ?? toPreferencesDTO(null), c.row);
      // Already read or archived elsewhere, or one of many replayed: show it, do not announce it.
      const silent = quiet || dto.readAt !== null || dto.archivedAt !== null;
      const delivery = silent ? { ...decided, toast: false, browser: false, sound: false } : decided;
      bytes = sseFrame("notification.created", { ...dto, delivery }, id);
    } else if (c.ids.length === 1) {
      // A one-row update whose row is gone (deleted later) or expired is followed by nothing useful.
      if (c.kind === "delete") bytes = sseFrame("notification.deleted", { id: c.ids[0] }, id);
      else if (c.row && !expired(c.row)) bytes = sseFrame("notification.updated", toNotificationDTO(c.row), id);
    } else {
      bytes = sseFrame(c.kind === "delete" ? "notifications.deleted" : "notifications.updated", { ids: c.ids }, id);
    }
    if (bytes) frames.push({ seq: c.seq, bytes });
  }
  return frames;
}

export function countFrame(unreadCount: number): Frame {
  return { seq: 0, bytes: sseFrame("notifications.count", { unreadCount }) };
}

export type CloseReason = "too-many-streams";

export function closedFrame(reason: CloseReason): Frame {
  return { seq: 0, bytes: sseFrame("stream.closed", { reason }) };
}
