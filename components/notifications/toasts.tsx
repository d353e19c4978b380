"use client";

import { toast, type ExternalToast } from "sonner";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { groupToastTitle, preview } from "./format";
import { CategoryIcon } from "./meta";
import { safeActionTarget } from "./safe-url";

/** More than this many toasts within BURST_WINDOW_MS collapse into one "N new notifications" toast. */
export const BURST_THRESHOLD = 3;
export const BURST_WINDOW_MS = 1_000;

const DURATION: Record<NotificationDTO["priority"], number> = { low: 4_000, normal: 6_000, high: 10_000, urgent: Infinity };

export type ToastHandlers = {
  /** Marks it read and opens its action URL (the toast's button). */
  open(n: NotificationDTO): void;
  /** Opens the whole inbox (the burst toast's "View all"). */
  viewAll(): void;
};

export const notificationToastId = (id: string) => `notification-${id}`;

/** A group's members share one toast, updated as they arrive ("3 new messages from Bob Chen"). */
const toastIdOf = (n: NotificationDTO) => (n.group ? `notification-group-${n.group.key}` : notificationToastId(n.id));

/** One toast for one notification, styled by priority; urgent ones stay until dismissed. Text only, never HTML. */
export function showNotificationToast(n: NotificationDTO, handlers: ToastHandlers) {
  const target = safeActionTarget(n.actionUrl);
  const options: ExternalToast = {
    id: toastIdOf(n),
    description: n.body ? preview(n.body) : undefined,
    duration: DURATION[n.priority],
    icon: <CategoryIcon category={n.category} size="sm" />,
    testId: `toast-${n.priority}`,
    action: target ? { label: n.actionLabel ?? "Open", onClick: () => handlers.open(n) } : undefined,
    classNames: { icon: "!size-7 !mr-1" },
  };
  const title = groupToastTitle(n);
  switch (n.priority) {
    case "urgent":
      return toast.error(title, options);
    case "high":
      return toast.warning(title, options);
    default:
      return toast(title, options);
  }
}

// Burst collapsing: the toasts of the last second are remembered; once there are more than a few,
// they are replaced by one summary toast that keeps counting until the burst has been quiet for a second.
let recent: { toastId: string; at: number; urgent: boolean }[] = [];
let burst: { toastId: string; count: number; urgent: boolean; quietTimer?: ReturnType<typeof setTimeout> } | null = null;
let burstSeq = 0;

function showBurst(handlers: ToastHandlers) {
  if (!burst) return;
  const options: ExternalToast = {
    id: burst.toastId,
    description: burst.urgent ? "Some are urgent. Open the inbox to see them all." : "Open the inbox to see them all.",
    duration: burst.urgent ? Infinity : 8_000,
    testId: "toast-burst",
    action: { label: "View all", onClick: () => handlers.viewAll() },
  };
  const title = `${burst.count} new notifications`;
  if (burst.urgent) toast.error(title, options);
  else toast.info(title, options);
}

/** Shows a notification's toast, or folds it into the current burst's summary toast. */
export function queueNotificationToast(n: NotificationDTO, handlers: ToastHandlers, now = Date.now()) {
  if (burst) {
    burst.count++;
    burst.urgent ||= n.priority === "urgent";
    clearTimeout(burst.quietTimer);
    burst.quietTimer = setTimeout(() => (burst = null), BURST_WINDOW_MS);
    showBurst(handlers);
    return;
  }
  recent = recent.filter((r) => now - r.at < BURST_WINDOW_MS);
  const toastId = toastIdOf(n);
  // Another member of a group whose toast is up: that toast now counts it.
  if (n.group && recent.some((r) => r.toastId === toastId)) {
    showNotificationToast(n, handlers);
    return;
  }
  recent.push({ toastId, at: now, urgent: n.priority === "urgent" });
  if (recent.length <= BURST_THRESHOLD) {
    showNotificationToast(n, handlers);
    return;
  }
  // The burst starts: the individual toasts of this second give way to one summary.
  for (const r of recent) toast.dismiss(r.toastId);
  burst = { toastId: `burst-${++burstSeq}`, count: recent.length, urgent: recent.some((r) => r.urgent) };
  burst.quietTimer = setTimeout(() => (burst = null), BURST_WINDOW_MS);
  recent = [];
  showBurst(handlers);
}
