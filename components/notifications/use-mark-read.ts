"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { markReadRequest, notificationsQuery, type NotificationPage } from "./api";
import { replaceNotification } from "./cache";

/** Optimistic mark-read with rollback; the stream's count event then confirms the badge. */
export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: markReadRequest,
    onMutate: async (id: string) => {
      await client.cancelQueries({ queryKey: notificationsQuery.queryKey });
      const previous = client.getQueryData<NotificationPage>(notificationsQuery.queryKey);
      const item = previous?.items.find((i) => i.id === id);
      if (previous && item && !item.readAt) {
        client.setQueryData<NotificationPage>(notificationsQuery.queryKey, {
          ...previous,
          items: previous.items.map((i) => (i.id === id ? { ...i, readAt: new Date().toISOString() } : i)),
          unreadCount: Math.max(0, previous.unreadCount - 1),
        });
      }
      return { previous };
    },
    onError: (_err, _id, ctx) => {
      if (ctx?.previous) client.setQueryData(notificationsQuery.queryKey, ctx.previous);
      toast.error("Could not mark the notification as read");
    },
    onSuccess: (n) => replaceNotification(client, n),
  });
}
