import type { QueryClient } from "@tanstack/react-query";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { notificationKeys } from "../api";
import { addNotification, refetchAfterChange, removeNotification, replaceNotification, setUnreadCount } from "../cache";
import { alertNewNotification } from "./alerts";
import { unhandled, type StreamEvent } from "@/lib/realtime/protocol";
export type EventContext = {
  client: QueryClient;
  pathname: string;
  navigate: (url: string) => void;
  /** True on a `ready` that follows a reconnect: whatever happened meanwhile is refetched. */
  reconnected: boolean;
  /** Whether this tab holds the shared stream: only the leader shows native browser notifications. */
  isLeader: () => boolean;
  /** Marks a notification read and opens its action URL (toast button, native notification click). */
  open: (n: NotificationDTO) => void;
};

// Ids already handled, so a replayed event (after a reconnect, or relayed by another tab) never
// toasts twice. Bounded: the oldest are forgotten first.
const seen = new Set<string>();
function firstSighting(id: string) {
  if (seen.has(id)) return false;
  seen.add(id);
  if (seen.size > 2_000) seen.delete(seen.values().next().value as string);
  return true;
}

/** One live event -> the TanStack Query cache, plus toasts and alerts where the server says so. */
export function handleStreamEvent(event: StreamEvent, ctx: EventContext) {
  const { client } = ctx;
  switch (event.type) {
    case "ready":
    case "sync.reset":
      if (ctx.reconnected || event.type === "sync.reset") {
        refetchAfterChange(client, notificationKeys.all);
      }
      return;
    case "notification.created": {
      const n = event.data;
      if (!firstSighting(n.id)) return; // a duplicate: shown once only
      addNotification(client, n);
      alertNewNotification(n, ctx);
      return;
    }
    case "notification.updated":
      return replaceNotification(client, event.data);
    case "notification.deleted":
      return removeNotification(client, event.data.id);
    case "notifications.updated":
    case "notifications.deleted":
      // One bulk action (read-all, batch): refetch rather than patch many rows one by one.
      refetchAfterChange(client, notificationKeys.lists());
      return;
    case "notifications.count":
      return setUnreadCount(client, event.data.unreadCount);
    case "stream.closed":
      return; // the connection backs off and resumes; the cache has nothing to do
    default:
      return unhandled(event);
  }
}
