import "server-only";
import type { Change, Counts } from "@/db/queries/delivery";
import { toNotificationDTO } from "@/lib/notifications/dto";
import { deliveryFor, toPreferencesDTO, type PreferencesDTO } from "@/lib/preferences/model";
import { encodeCursor } from "./cursor";
import type { CloseReason, StreamEventMap, StreamEventName } from "./protocol";

/**
 * One encoded SSE frame, shared by every stream it goes to. `seq` is the user's change number the
 * frame carries (0 for frames that are not changes: counts, heartbeats), so a stream can drop what
 * it already sent (a replay overlapping live delivery, a catch-up after a listener reconnect).
 */
export type Frame = { seq: number; bytes: Uint8Array };

const encoder = new TextEncoder();

/** Encodes one event of the protocol (lib/realtime/protocol.ts). Done once per event, then written to every stream of the user. */
export function sseFrame<K extends StreamEventName>(event: K, data: StreamEventMap[K], id?: string): Uint8Array {
  const idLine = id ? `id: ${id}\n` : "";
  return encoder.encode(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Lines that are not events: the reconnect delay and the heartbeat comment. */
export const controlFrame = (text: string): Frame => ({ seq: 0, bytes: encoder.encode(text) });

/** A replay bigger than this does not toast, sound or alert: it lands in the bell quietly. */
const LOUD_REPLAY_MAX = 3;

/** Whether a replay with this many new notifications lands quietly (decided once for all its pieces). */
export const quietReplay = (created: number) => created > LOUD_REPLAY_MAX;

/** What a user who never saved preferences gets (read-only here: built once, not per notification). */
let defaults: PreferencesDTO | undefined;

/** `quiet`: nothing in these changes toasts, sounds or alerts (a big replay). */
type Options = { quiet: boolean };

/** A user's changes -> their frames, built once per change and shared by every stream of the user. Change events carry `id:` = the resume cursor. */
export function changeFrames(changes: Change[], prefs: PreferencesDTO | undefined, { quiet }: Options): Frame[] {
  const now = Date.now();
  const expired = (row: { expiresAt: Date | null }) => row.expiresAt !== null && row.expiresAt.getTime() <= now;
  const frames: Frame[] = [];
  for (const c of changes) {
    const id = encodeCursor(c.userId, c.seq);
    let bytes: Uint8Array | null = null;
    if (c.kind === "created" || (c.kind === "resurface" && c.row)) {
      // A row back from a snooze is announced as new (as the newest of the rows that woke together).
      if (!c.row || expired(c.row)) continue;
      const dto = toNotificationDTO(c.row);
      const decided = deliveryFor(prefs ?? (defaults ??= toPreferencesDTO(null)), c.row);
      // Already read, archived or snoozed, or one of many replayed: show it, do not announce it.
      const silent = quiet || dto.readAt !== null || dto.archivedAt !== null || dto.snoozedUntil !== null;
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

export const NO_COUNTS: Counts = { unreadCount: 0, unseenCount: 0 };

export function countFrame(counts: Counts): Frame {
  return { seq: 0, bytes: sseFrame("notifications.count", { unreadCount: counts.unreadCount, unseenCount: counts.unseenCount }) };
}

export function closedFrame(reason: CloseReason): Frame {
  return { seq: 0, bytes: sseFrame("stream.closed", { reason }) };
}
