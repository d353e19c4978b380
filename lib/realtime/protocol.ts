import type { NotificationDTO } from "@/lib/notifications/dto";
import type { Delivery } from "@/lib/preferences/model";

/**
 * The live stream's protocol, shared by the server that encodes it and the browser that reads it.
 * No server imports: client components import this module.
 *
 * Adding an event: add it to `StreamEventMap` and to `NUMBERED`; the encoder accepts it, the
 * client subscribes to it, and every `switch` over `StreamEvent["type"]` that ends in
 * `unhandled(event)` stops compiling until it handles it.
 */
export type StreamEventMap = {
  /** The stream is live; `id:` is the position it resumed to. */
  ready: { at: string };
  /** The server cannot replay what the client missed: refetch everything. `id:` is the new position. */
  "sync.reset": { reason: ResetReason };
  /**
   * One new notification (or one back from a snooze), with what to do beyond the inbox (decided from
   * the user's preferences). With `group`, it is its group's newest member: it replaces the group's
   * item in place, and `group.count` says how many it now stands for.
   */
  "notification.created": NotificationDTO & { delivery: Delivery };
  /** One notification changed: its current state. */
  "notification.updated": NotificationDTO;
  "notification.deleted": { id: string };
  /** One bulk update (read-all, batch actions). */
  "notifications.updated": { ids: string[] };
  "notifications.deleted": { ids: string[] };
  /** The counts after each delivery round: unread items, and unread items not yet seen (the badge). */
  "notifications.count": { unreadCount: number; unseenCount: number };
  /** The server ends this stream on purpose; the client backs off before it reconnects. */
  "stream.closed": { reason: CloseReason };
};

export type StreamEventName = keyof StreamEventMap;

/** Why a stream answers sync.reset: a cursor it cannot use, or a replay it will not make ("too-large"). */
export type ResetReason = "invalid" | "future" | "too-old" | "too-large";
/** Why the server ends a stream with `stream.closed`. */
/**
 * `token-expired`: the subscriber token it was opened with ran out (reconnect with a fresh one);
 * `token-revoked`: that token's signing key was deleted.
 */
export type CloseReason = "too-many-streams" | "restarting" | "token-expired" | "token-revoked";

/**
 * Whether an event carries the stream's position in its `id:` (change events and positions). The
 * others (counts, closes) carry none, and EventSource then reports the previous id with them.
 */
const NUMBERED: Record<StreamEventName, boolean> = {
  ready: true,
  "sync.reset": true,
  "notification.created": true,
  "notification.updated": true,
  "notification.deleted": true,
  "notifications.updated": true,
  "notifications.deleted": true,
  "notifications.count": false,
  "stream.closed": false,
};

/** Every event name, for the client to subscribe to. */
export const STREAM_EVENT_NAMES = Object.keys(NUMBERED) as StreamEventName[];

export const isNumbered = (name: StreamEventName) => NUMBERED[name];

/** One event as the browser received it: `at` is when it arrived, `id` its position if numbered. */
export type StreamEvent = {
  [K in StreamEventName]: { type: K; data: StreamEventMap[K]; at: number; id?: string };
}[StreamEventName];

/** For the end of an exhaustive switch: an event type nobody handles is a compile error. */
export function unhandled(event: never): never {
  throw new Error(`unhandled stream event ${(event as { type?: string }).type}`);
}

/**
 * A resume cursor (an event `id:`) is `<seq>.<mac>`: the user's change number and a MAC that only the
 * server checks (lib/realtime/cursor.ts). The browser reads the number to drop events seen twice.
 */
const CURSOR = /^(0|[1-9][0-9]{0,15})\.([A-Za-z0-9_-]{16})$/;

export function parseCursor(id: string | undefined | null): { seq: number; mac: string } | null {
  const match = id ? CURSOR.exec(id) : null;
  if (!match) return null;
  const seq = Number(match[1]);
  return Number.isSafeInteger(seq) ? { seq, mac: match[2] } : null;
}

export const formatCursor = (seq: number, mac: string) => `${seq}.${mac}`;
