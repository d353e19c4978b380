import type { QueryClient } from "@tanstack/react-query";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { notificationsQuery } from "../api";
import { addNotification, removeNotification, replaceNotification, setUnreadCount } from "../cache";
import { showNotificationToast } from "../toasts";
import type { StreamEvent } from "./connection";

export type Delivery = { inApp: boolean; toast: boolean; browser: boolean; sound: boolean };
export type EventContext = {
  client: QueryClient;
  pathname: string;
  navigate: (url: string) => void;
  /** True on a `ready` that follows a reconnect: whatever happened meanwhile is refetched. */
  reconnected: boolean;
};

/** One live event -> the TanStack Query cache, and a toast where the server says so. */
export function handleStreamEvent(event: StreamEvent, ctx: EventContext) {
  const { client } = ctx;
  switch (event.type) {
    case "ready":
    case "sync.reset":
      if (ctx.reconnected || event.type === "sync.reset") {
        void client.invalidateQueries({ queryKey: notificationsQuery.queryKey });
      }
      return;
    case "notification.created": {
      const n = event.data as NotificationDTO & { delivery?: Delivery };
      if (!addNotification(client, n)) return; // a duplicate: shown once only
      if (n.delivery && !n.delivery.toast) return; // muted category or quiet hours: decided by the server
      if (n.actionUrl && n.actionUrl === ctx.pathname) return; // already looking at it
      showNotificationToast(n, ctx.navigate);
      return;
    }
    case "notification.updated":
      return replaceNotification(client, event.data as NotificationDTO);
    case "notification.deleted":
      return removeNotification(client, (event.data as { id: string }).id);
    case "notifications.updated":
    case "notifications.deleted":
      // One bulk action (read-all, batch): refetch rather than patch many rows one by one.
      void client.invalidateQueries({ queryKey: notificationsQuery.queryKey });
      return;
    case "notifications.count":
      return setUnreadCount(client, (event.data as { unreadCount: number }).unreadCount);
  }
}
