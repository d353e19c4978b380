"use client";

import type { NotificationDTO } from "@/lib/notifications/dto";
import { relativeTime } from "./format";

const priorityRing: Record<NotificationDTO["priority"], string> = {
  low: "bg-zinc-300 dark:bg-zinc-600",
  normal: "bg-indigo-500",
  high: "bg-amber-500",
  urgent: "bg-red-600",
};

const categoryIcon: Record<NotificationDTO["category"], string> = {
  message: "💬",
  appointment: "📅",
  report: "📊",
  system: "⚙️",
  reminder: "⏰",
  feedback: "⭐",
  task: "✅",
  general: "🔔",
};

/** Text only: titles and bodies are rendered as React text nodes, never as HTML. */
export function NotificationItem({ n, onOpen }: { n: NotificationDTO; onOpen: (n: NotificationDTO) => void }) {
  const unread = !n.readAt;
  return (
    <button
      type="button"
      role="menuitem"
      onClick={() => onOpen(n)}
      data-notification-id={n.id}
      className="flex w-full gap-3 px-4 py-3 text-left hover:bg-zinc-100 focus:bg-zinc-100 focus:outline-none dark:hover:bg-zinc-800 dark:focus:bg-zinc-800"
    >
      <span aria-hidden className="mt-0.5 text-lg leading-none">
        {categoryIcon[n.category]}
      </span>
      <span className="min-w-0 flex-1">
        <span className="flex items-center gap-2">
          <span className={`truncate text-sm ${unread ? "font-semibold" : "font-medium text-zinc-600 dark:text-zinc-400"}`}>
            {n.title}
          </span>
          <span className={`size-2 shrink-0 rounded-full ${priorityRing[n.priority]}`} title={`${n.priority} priority`} />
        </span>
        {n.body ? <span className="mt-0.5 line-clamp-2 block text-sm text-zinc-500 dark:text-zinc-400">{n.body}</span> : null}
        <span className="mt-1 block text-xs text-zinc-400">{relativeTime(n.createdAt)}</span>
      </span>
      {unread ? <span aria-label="unread" className="mt-1.5 size-2.5 shrink-0 rounded-full bg-indigo-600" /> : null}
    </button>
  );
}
