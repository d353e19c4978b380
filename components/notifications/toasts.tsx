"use client";

import { toast } from "sonner";
import type { NotificationDTO } from "@/lib/notifications/dto";

/** One toast per notification, styled by priority; urgent ones stay until dismissed. */
export function showNotificationToast(n: NotificationDTO, navigate: (url: string) => void) {
  const options = {
    id: `notification-${n.id}`,
    description: n.body || undefined,
    duration: n.priority === "urgent" ? Infinity : n.priority === "high" ? 8_000 : 5_000,
    action: n.actionUrl
      ? { label: n.actionLabel ?? "Open", onClick: () => navigate(n.actionUrl as string) }
      : undefined,
  };
  switch (n.priority) {
    case "urgent":
      return toast.error(n.title, options);
    case "high":
      return toast.warning(n.title, options);
    case "low":
      return toast(n.title, options);
    default:
      return toast.info(n.title, options);
  }
}
