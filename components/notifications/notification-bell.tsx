"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { notificationsQuery } from "./api";
import { badgeText } from "./format";
import { NotificationItem } from "./notification-item";
import { ConnectionIndicator } from "./connection-indicator";
import { useMarkRead } from "./use-mark-read";

export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const router = useRouter();
  const { data, isPending, isError, refetch } = useQuery(notificationsQuery);
  const markRead = useMarkRead();
  const unread = data?.unreadCount ?? 0;

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!panelRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const onOpen = (n: NotificationDTO) => {
    if (!n.readAt) markRead.mutate(n.id);
    setOpen(false);
    if (n.actionUrl) {
      if (n.actionUrl.startsWith("/")) router.push(n.actionUrl);
      else window.open(n.actionUrl, "_blank", "noopener,noreferrer");
    }
  };

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : "Notifications"}
        onClick={() => setOpen((o) => !o)}
        className="relative grid size-10 place-items-center rounded-full text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2">
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 ? (
          <span
            data-testid="unread-badge"
            className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-[11px] font-semibold leading-5 text-white"
          >
            {badgeText(unread)}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          ref={panelRef}
          id={menuId}
          role="menu"
          aria-label="Notifications"
          className="absolute right-0 z-50 mt-2 w-[min(24rem,calc(100vw-1rem))] overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-xl dark:border-zinc-800 dark:bg-zinc-900"
        >
          <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
            <span className="font-semibold">Notifications</span>
            <ConnectionIndicator />
          </div>
          <div className="max-h-[70vh] overflow-y-auto">
            {isPending ? (
              <p className="px-4 py-8 text-center text-sm text-zinc-500">Loading…</p>
            ) : isError ? (
              <div className="px-4 py-8 text-center text-sm text-zinc-500">
                Could not load notifications.{" "}
                <button className="font-medium text-indigo-600" onClick={() => refetch()}>
                  Retry
                </button>
              </div>
            ) : data.items.length === 0 ? (
              <p className="px-4 py-8 text-center text-sm text-zinc-500">You are all caught up.</p>
            ) : (
              data.items.map((n) => <NotificationItem key={n.id} n={n} onOpen={onOpen} />)
            )}
          </div>
        </div>
      ) : null}
    </div>
  );
}
