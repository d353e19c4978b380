import type { QueryClient } from "@tanstack/react-query";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { notificationKeys } from "@/sdk/client/src/api";
import { addNotification, cachedNotifications, refetchAfterChange, removeNotification, replaceNotification, setCounts } from "@/sdk/client/src/cache";
import { alertNewNotification } from "./alerts";
import { unhandled, type StreamEvent } from "@/lib/realtime/protocol";
export type EventContext = {
  client: QueryClient;
  pathname: string;
  /** Herald's inbox page, or the bell's dropdown inside a host page (which has no such page). */
  viewAll: () => void;
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
      // A duplicate (the same change replayed or relayed) is shown once only; a row back from a
      // snooze is a later change of the same id, announced again.
      if (!firstSighting(event.id ?? n.id)) return;
      addNotification(client, n);
      alertNewNotification(n, ctx);
      return;
    }
    case "notification.updated":
      // A group member's change moves its group's item (count, actors): read the lists again.
      if (event.data.group) return refetchAfterChange(client, notificationKeys.lists());
      return replaceNotification(client, event.data);
    case "notification.deleted": {
      const known = cachedNotifications(client).find((n) => n.id === event.data.id);
      // Not on screen: it may be a member of a group whose item shows another id.
      if (!known || known.group) return refetchAfterChange(client, notificationKeys.lists());
      return removeNotification(client, event.data.id);
    }
    case "notifications.updated":
    case "notifications.deleted":
      // One bulk action (read-all, batch): refetch rather than patch many rows one by one.
      refetchAfterChange(client, notificationKeys.lists());
      return;
    case "notifications.count":
      return setCounts(client, event.data);
    case "stream.closed":
      return; // the connection backs off and resumes; the cache has nothing to do
    default:
      return unhandled(event);
  }
}
