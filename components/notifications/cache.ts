import type { QueryClient } from "@tanstack/react-query";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { notificationsQuery, type NotificationPage } from "./api";

// The one place that changes the cached notification list: used by live events and mutations.
function update(client: QueryClient, fn: (page: NotificationPage) => NotificationPage) {
  client.setQueryData<NotificationPage>(notificationsQuery.queryKey, (page) => (page ? fn(page) : page));
}

/** Returns false when the notification was already in the cache (a replayed or duplicate event). */
export function addNotification(client: QueryClient, n: NotificationDTO): boolean {
  const page = client.getQueryData<NotificationPage>(notificationsQuery.queryKey);
  if (page?.items.some((i) => i.id === n.id)) return false;
  update(client, (p) => ({
    ...p,
    items: [n, ...p.items].sort((a, b) => Number(b.id) - Number(a.id)),
    unreadCount: n.readAt ? p.unreadCount : p.unreadCount + 1,
  }));
  return true;
}

export function replaceNotification(client: QueryClient, n: NotificationDTO) {
  update(client, (p) => ({
    ...p,
    items: n.archivedAt ? p.items.filter((i) => i.id !== n.id) : p.items.map((i) => (i.id === n.id ? n : i)),
  }));
}

export function removeNotification(client: QueryClient, id: string) {
  update(client, (p) => ({ ...p, items: p.items.filter((i) => i.id !== id) }));
}

export function setUnreadCount(client: QueryClient, unreadCount: number) {
  update(client, (p) => ({ ...p, unreadCount }));
}
